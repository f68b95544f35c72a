# Attribute values of the wrong type, in every kind of attribute.
integration "acme" {
  title = "Acme"

  config "token" {
    sensitive = true
  }

  http {
    base_url = "https://api.acme.example"
    headers  = ["Accept: application/json"] # ERROR: Incorrect attribute value type

    retry {
      attempts  = "five" # ERROR: Incorrect attribute value type
      on_status = "429" # ERROR: Incorrect attribute value type
    }
  }

  auth "bearer" {
    token = config.token
  }

  stream "hosts" {
    request {
      path       = "/hosts"
      query      = "limit=100" # ERROR: Incorrect attribute value type
      idempotent = "yes" # ERROR: Incorrect attribute value type
    }

    records = ".items[]"

    asset = <<-JQ
      { key: "acme:host:\(.id)", class: "host", name: .name }
    JQ
  }
}
