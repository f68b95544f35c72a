# A request without its path, in the check and in a stream.
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

  check {
    request {} # ERROR: Missing required argument
  }

  stream "hosts" {
    request { # ERROR: Missing required argument
      query = { limit = 100 }
    }

    records = ".items[]"

    asset = <<-JQ
      { key: "acme:host:\(.id)", class: "host", name: .name }
    JQ
  }
}
