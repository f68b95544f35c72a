# An integration with nothing to fetch.
integration "acme" { # ERROR: Missing stream block
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
    request {
      path = "/me"
    }
  }
}
