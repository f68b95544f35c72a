# A default must have the config's type.
integration "acme" {
  title = "Acme"

  config "token" {
    sensitive = true
  }

  config "page_size" {
    type    = number
    default = "a hundred" # ERROR: Invalid default value
  }

  config "verbose" {
    type    = bool
    default = "maybe" # ERROR: Invalid default value
  }

  config "tags" {
    type    = list(string)
    default = "prod" # ERROR: Invalid default value
  }

  config "labels" {
    type    = map(string)
    default = { env = ["prod"] } # ERROR: Invalid default value
  }

  config "since" {
    default = config.page_size # ERROR: Variables not allowed
  }

  http {
    base_url = "https://api.acme.example"
  }

  auth "bearer" {
    token = config.token
  }

  stream "hosts" {
    request {
      path = "/hosts"
    }

    records = ".items[]"

    asset = <<-JQ
      { key: "acme:host:\(.id)", class: "host", name: .name }
    JQ
  }
}
