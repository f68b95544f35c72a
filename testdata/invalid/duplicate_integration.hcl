# A file holds one integration.
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
  }
}

integration "acme2" { # ERROR: Duplicate integration block
  http {
    base_url = "https://api.acme.example"
  }

  stream "devices" {
    request {
      path = "/devices"
    }

    records = ".items[]"
    asset   = "."
  }
}
