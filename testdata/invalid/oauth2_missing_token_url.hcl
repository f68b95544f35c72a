# oauth2_client_credentials needs token_url, client_id and client_secret.
integration "acme" {
  title = "Acme"

  config "client_id" {}

  config "client_secret" {
    sensitive = true
  }

  http {
    base_url = "https://api.acme.example"
  }

  auth "oauth2_client_credentials" { # ERROR: Missing required argument
    client_id     = config.client_id
    client_secret = config.client_secret
    scopes        = ["hosts:read"]
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
