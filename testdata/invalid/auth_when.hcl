# when is a bool condition.
integration "acme" {
  title = "Acme"

  config "token" {
    default   = ""
    sensitive = true
  }

  config "username" {
    default = ""
  }

  http {
    base_url = "https://api.acme.example"
  }

  auth "bearer" {
    when  = "sometimes" # ERROR: Incorrect attribute value type
    token = config.token
  }

  auth "basic" {
    when     = { user = config.username } # ERROR: Incorrect attribute value type
    username = config.username
    password = config.token
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
