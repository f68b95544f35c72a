# oauth2_client_credentials: client_auth is "body" or "basic", scopes a list.
integration "acme" {
  title = "Acme"

  config "client_id" {}

  config "client_secret" {
    sensitive = true
  }

  http {
    base_url = "https://api.acme.example"
  }

  auth "oauth2_client_credentials" {
    token_url      = "https://api.acme.example/oauth2/token"
    client_id      = config.client_id
    client_secret  = config.client_secret
    client_auth    = "basci" # ERROR: Invalid value
    scopes         = "hosts:read" # ERROR: Incorrect attribute value type
    refresh_before = "a minute" # ERROR: Invalid duration
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
