# Locals that depend on each other in a circle.
integration "acme" {
  title = "Acme"

  config "token" {
    sensitive = true
  }

  locals {
    api     = "${local.root}/v2" # ERROR: Cycle in local values
    root    = "${local.api}/.." # ERROR: Cycle in local values
    headers = { Accept = "application/json" }
    uses    = local.api # only uses the cycle: no error of its own
  }

  http {
    base_url = local.api
    headers  = local.headers
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
