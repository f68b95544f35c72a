# The integration's title and description are literal strings.
integration "acme" {
  title       = 42 # ERROR: Incorrect attribute value type
  description = "Hosts of ${config.org}" # ERROR: Variables not allowed

  config "token" {
    sensitive = true
  }

  config "org" {}

  http {
    base_url = "https://api.acme.example"
  }

  auth "bearer" {
    token = config.token
  }

  stream "hosts" {
    request {
      path = "/orgs/${config.org}/hosts"
    }

    records = ".items[]"

    asset = <<-JQ
      { key: "acme:host:\(.id)", class: "host", name: .name }
    JQ
  }
}
