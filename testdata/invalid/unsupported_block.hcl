# Misspelt blocks: "Did you mean", and the required ones they were meant to be.
integration "acme" { # a misspelt stream is not also reported missing
  title = "Acme"

  config "token" {
    sensitive = true
  }

  http {
    base_url = "https://api.acme.example"

    rety { # ERROR: Unsupported block type
      attempts = 3
    }
  }

  auth "bearer" {
    token = config.token
  }

  strem "hosts" { # ERROR: Unsupported block type
    request {
      path = "/hosts"
    }

    records = ".items[]"

    asset = <<-JQ
      { key: "acme:host:\(.id)", class: "host", name: .name }
    JQ
  }
}
