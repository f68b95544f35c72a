# Lists must not hold null, and sizes must fit: these once crashed or overflowed.
integration "acme" {
  title = "Acme"

  config "client_id" {}

  config "client_secret" {
    sensitive = true
  }

  http {
    base_url          = "https://api.acme.example"
    max_response_size = "99999999999999GiB" # ERROR: Invalid size

    retry {
      on_status = [429, null] # ERROR: Invalid value
    }
  }

  auth "oauth2_client_credentials" {
    token_url     = "https://api.acme.example/oauth2/token"
    client_id     = config.client_id
    client_secret = config.client_secret
    scopes        = ["hosts:read", null] # ERROR: Invalid value
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
