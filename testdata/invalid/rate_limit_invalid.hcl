# rate_limit: whole numbers in range and a known reset format.
integration "acme" {
  title = "Acme"

  config "token" {
    sensitive = true
  }

  http {
    base_url = "https://api.acme.example"

    rate_limit {
      requests     = 0 # ERROR: Invalid value
      burst        = 2.5 # ERROR: Invalid value
      reset_header = "X-RateLimit-Reset"
      reset_format = "epoch_milliseconds" # ERROR: Invalid value
      low_water    = -1 # ERROR: Invalid value
    }
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
