# method is GET or POST (a body with a bad method is not also "a body on a GET").
integration "acme" {
  title = "Acme"

  config "token" {
    sensitive = true
  }

  http {
    base_url = "https://api.acme.example"
  }

  auth "bearer" {
    token = config.token
  }

  stream "hosts" {
    request {
      method = "PUT" # ERROR: Invalid value
      path   = "/hosts"
      json   = { limit = 100 }
    }

    records = ".items[]"

    asset = <<-JQ
      { key: "acme:host:\(.id)", class: "host", name: .name }
    JQ
  }

  stream "devices" {
    request {
      method = "PSOT" # ERROR: Invalid value
      path   = "/devices"
    }

    records = ".items[]"

    asset = <<-JQ
      { key: "acme:device:\(.id)", class: "host", name: .name }
    JQ
  }
}
