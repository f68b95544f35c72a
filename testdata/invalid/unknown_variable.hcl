# Expressions read config.<name> and local.<name>; any other root is unknown.
integration "acme" {
  title = "Acme"

  config "token" {
    sensitive = true
  }

  config "org" {
    validation {
      condition     = confg.org != "" # ERROR: Unknown variable
      error_message = "org must not be empty."
    }
  }

  http {
    base_url = "https://api.acme.example"
  }

  auth "bearer" {
    token = confg.token # ERROR: Unknown variable
  }

  stream "hosts" {
    request {
      path  = "/orgs/${var.org}/hosts" # ERROR: Unknown variable
      query = { org = locals.org } # ERROR: Unknown variable
    }

    records = ".items[]"

    asset = <<-JQ
      { key: "acme:host:\(.id)", class: "host", name: .name }
    JQ
  }
}
