# Blocks with too few or too many labels.
integration "acme" {
  title = "Acme"

  config "token" {
    sensitive = true
  }

  http "main" { # ERROR: Extraneous label for http
    base_url = "https://api.acme.example"
  }

  auth { # ERROR: Missing kind for auth
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

  stream { # ERROR: Missing name for stream
    request {
      path = "/devices"
    }

    records = ".items[]"

    asset = "."
  }
}
