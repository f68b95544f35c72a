# Calls to HCL functions that do not exist, with HCL's own "Did you mean".
integration "acme" {
  title = "Acme"

  config "token" {
    sensitive = true
  }

  config "site" {
    validation {
      condition     = lenght(config.site) > 0 # ERROR: Call to unknown function
      error_message = "site must not be empty."
    }
  }

  locals {
    site = lowr(config.site) # ERROR: Call to unknown function
  }

  http {
    base_url = "https://${local.site}.acme.example"
  }

  auth "bearer" {
    token = trimspaces(config.token) # ERROR: Call to unknown function
  }

  stream "hosts" {
    request {
      path  = "/hosts"
      query = { fields = joinn(",", ["id", "name"]) } # ERROR: Call to unknown function
    }

    records = ".items[]"

    asset = <<-JQ
      { key: "acme:host:\(.id)", class: "host", name: .name }
    JQ
  }
}
