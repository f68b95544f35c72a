# A stream maps its records to assets or to findings, not both.
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
      path = "/hosts"
    }

    records = ".items[]"

    asset = <<-JQ
      { key: "acme:host:\(.id)", class: "host", name: .name }
    JQ

    finding = "{ key: .id, asset_key: .host_id, name: .title }" # ERROR: Conflicting attributes
  }
}
