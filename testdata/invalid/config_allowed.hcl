# allowed is a list of values of the config's type, and holds the default.
integration "acme" {
  title = "Acme"

  config "token" {
    sensitive = true
  }

  config "region" {
    default = "us-3" # ERROR: Default not allowed
    allowed = ["us-1", "us-2", "eu-1"]
  }

  config "tier" {
    allowed = "gold" # ERROR: Invalid allowed values
  }

  config "page_size" {
    type    = number
    default = 100
    allowed = [50, 100, "all"] # ERROR: Invalid allowed values
  }

  config "site" {
    default = null
    allowed = ["eu", null] # ERROR: Invalid allowed values
  }

  http {
    base_url = "https://api.acme.example"
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
