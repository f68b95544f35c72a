# A request body needs POST, and is json or form, not both.
integration "acme" {
  title = "Acme"

  config "token" {
    sensitive = true
  }

  config "method" {
    default = "POST"
  }

  http {
    base_url = "https://api.acme.example"
  }

  auth "bearer" {
    token = config.token
  }

  stream "hosts" {
    request { # ERROR: Body on a GET request
      path = "/hosts/search"
      json = { filter = "active" }
    }

    records = ".items[]"

    asset = <<-JQ
      { key: "acme:host:\(.id)", class: "host", name: .name }
    JQ
  }

  stream "devices" {
    request {
      method = "POST"
      path   = "/devices/search"
      json   = { filter = "active" }
      form   = { filter = "active" } # ERROR: Conflicting attributes
    }

    records = ".items[]"

    asset = <<-JQ
      { key: "acme:device:\(.id)", class: "host", name: .name }
    JQ
  }

  stream "users" {
    request {
      method = config.method
      path   = "/users/search"
      json   = "active" # ERROR: Incorrect attribute value type
    }

    records = ".items[]"

    asset = <<-JQ
      { key: "acme:user:\(.id)", class: "user", name: .name }
    JQ
  }
}
