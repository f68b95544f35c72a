# Several auth blocks: each but the last needs a when condition.
integration "acme" {
  title = "Acme"

  config "token" {
    default   = ""
    sensitive = true
  }

  config "username" {
    default = ""
  }

  config "password" {
    default   = ""
    sensitive = true
  }

  http {
    base_url = "https://api.acme.example"
  }

  auth "bearer" { # ERROR: Unreachable auth block
    token = config.token
  }

  auth "basic" {
    when     = config.username != ""
    username = config.username
    password = config.password
  }

  auth "api_key" {
    header = "X-Api-Key"
    value  = config.token
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
