# Durations are Go durations: "30s", "2m", "1h30m".
integration "acme" {
  title = "Acme"

  config "token" {
    sensitive = true
  }

  http {
    base_url        = "https://api.acme.example"
    connect_timeout = "30 seconds" # ERROR: Invalid duration
    header_timeout  = 60 # ERROR: Invalid duration

    retry {
      initial_interval = "-1s" # ERROR: Invalid duration
      max_wait         = "5min" # ERROR: Invalid duration
    }

    rate_limit {
      requests = 100
      per      = "0s" # ERROR: Invalid duration
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
