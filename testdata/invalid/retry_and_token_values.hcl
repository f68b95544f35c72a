# Values of the right type that cannot work: a success to retry, a first wait over the
# cap, a token endpoint that is not a URL.
integration "acme" {
  title = "Acme"

  config "secret" {
    sensitive = true
  }

  http {
    base_url = "https://api.acme.example"

    retry {
      on_status        = [429, 200] # ERROR: Invalid retry status
      initial_interval = "10s" # ERROR: Invalid retry intervals
      max_interval     = "1s"
    }
  }

  auth "oauth2_client_credentials" {
    token_url     = "not a url" # ERROR: Invalid token URL
    client_id     = "id"
    client_secret = config.secret
  }

  stream "hosts" {
    request {
      path = "/hosts"
    }

    records = ".items[]"
    asset   = <<-JQ
      { key: "acme:host:\(.id // error("no id"))", class: "host" }
    JQ
  }
}
