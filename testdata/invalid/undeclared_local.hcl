# References to local values that are not declared.
integration "acme" {
  title = "Acme"

  config "token" {
    sensitive = true
  }

  locals {
    api_root = "https://api.acme.example"
    path     = "${local.prefx}/hosts" # ERROR: Reference to undeclared local value
  }

  http {
    base_url = local.api_rot # ERROR: Reference to undeclared local value
  }

  auth "bearer" {
    token = config.token
  }

  stream "hosts" {
    request {
      path = local.endpoint # ERROR: Reference to undeclared local value
    }

    records = ".items[]"

    asset = <<-JQ
      { key: "acme:host:\(.id)", class: "host", name: .name }
    JQ
  }
}
