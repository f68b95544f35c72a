# A stream maps its records to assets or to findings: exactly one of them.
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

  stream "hosts" { # ERROR: Missing mapping
    request {
      path = "/hosts"
    }

    records = ".items[]"
    filter  = ".name != null"
  }
}
