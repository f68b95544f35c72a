# A local value is declared once, across every locals block.
integration "acme" {
  title = "Acme"

  config "token" {
    sensitive = true
  }

  locals {
    api     = "https://api.acme.example"
    version = "v2"
  }

  locals {
    api = "https://api2.acme.example" # ERROR: Duplicate local value
  }

  http {
    base_url = "${local.api}/${local.version}"
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
