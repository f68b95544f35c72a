# config and local are not values themselves: config.<name>, local.<name>.
integration "acme" {
  title = "Acme"

  config "token" {
    sensitive = true
  }

  locals {
    headers = { Accept = "application/json" }
  }

  http {
    base_url = "https://api.acme.example"
    headers  = local # ERROR: Invalid reference
  }

  auth "bearer" {
    token = config["token"] # ERROR: Invalid reference
  }

  stream "hosts" {
    request {
      path  = "/hosts"
      query = config # ERROR: Invalid reference
    }

    records = ".items[]"

    asset = <<-JQ
      { key: "acme:host:\(.id)", class: "host", name: .name }
    JQ
  }
}
