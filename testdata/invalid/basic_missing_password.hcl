# basic auth needs both username and password.
integration "acme" {
  title = "Acme"

  config "username" {}

  http {
    base_url = "https://api.acme.example"
  }

  auth "basic" { # ERROR: Missing required argument
    username = config.username
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
