# Config names are identifiers; sensitive is a bool; description and error_message are strings.
integration "acme" {
  title = "Acme"

  config "token" {
    sensitive = "yes" # ERROR: Incorrect attribute value type
  }

  config "1st_site" {} # ERROR: Invalid config name

  config "page_size" {
    type        = number
    description = 100 # ERROR: Incorrect attribute value type
    default     = 100

    validation {
      condition     = config.page_size > 0
      error_message = ["must be positive"] # ERROR: Incorrect attribute value type
    }
  }

  config "org" {
    descripton = "The organization." # ERROR: Unsupported argument
  }

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
