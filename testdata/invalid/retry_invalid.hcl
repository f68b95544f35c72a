# retry: attempts from 1 to 100, whole statuses, durations.
integration "acme" {
  title = "Acme"

  config "token" {
    sensitive = true
  }

  http {
    base_url = "https://api.acme.example"

    retry {
      attempts     = 101 # ERROR: Invalid value
      on_status    = [429.5, 503] # ERROR: Invalid value
      max_interval = "forever" # ERROR: Invalid duration
      max_wait     = "2m"
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
