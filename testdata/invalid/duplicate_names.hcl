# Streams and configs are named once; a duplicate points at the first.
integration "acme" {
  title = "Acme"

  config "token" {
    sensitive = true
  }

  config "token" { # ERROR: Duplicate config name
    description = "The token, again."
  }

  config "org" {}

  http {
    base_url = "https://api.acme.example"
  }

  auth "bearer" {
    token = config.token
  }

  stream "hosts" {
    request {
      path = "/orgs/${config.org}/hosts"
    }

    records = ".items[]"

    asset = <<-JQ
      { key: "acme:host:\(.id)", class: "host", name: .name }
    JQ
  }

  stream "hosts" { # ERROR: Duplicate stream name
    request {
      path = "/orgs/${config.org}/devices"
    }

    records = ".items[]"

    asset = <<-JQ
      { key: "acme:device:\(.id)", class: "host", name: .name }
    JQ
  }
}
