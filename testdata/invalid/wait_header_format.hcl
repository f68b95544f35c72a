# wait_header needs a format from the list.
integration "acme" {
  title = "Acme"

  config "token" {
    sensitive = true
  }

  http {
    base_url = "https://api.acme.example"

    retry {
      attempts = 5

      wait_header "X-RateLimit-RetryAfter" {
        format = "epoch_second" # ERROR: Invalid value
      }

      wait_header "X-Retry-In" {
        format = "minutes" # ERROR: Invalid value
      }
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
