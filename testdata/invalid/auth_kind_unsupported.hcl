# Auth kinds outside the table, with and without a close match.
integration "acme" {
  title = "Acme"

  config "token" {
    sensitive = true
  }

  http {
    base_url = "https://api.acme.example"
  }

  auth "bearr" { # ERROR: Unsupported auth kind
    when  = config.token != ""
    token = config.token
  }

  auth "saml" { # ERROR: Unsupported auth kind
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
