# Validation conditions are checked by validate too: function calls, references and types
# (length is for collections; strlen is for strings).
integration "acme" {
  title = "Acme"

  config "token" {
    sensitive = true

    validation {
      condition     = length(config.token) > 20 # ERROR: Error in function call
      error_message = "The token is longer than 20 characters."
    }
  }

  config "page_size" {
    type    = number
    default = 100

    validation {
      condition     = "yes" # ERROR: Invalid validation condition
      error_message = "page_size must be positive."
    }

    validation {
      condition     = config.page_size >= "one" # ERROR: Invalid operand
      error_message = "page_size must be at least one."
    }
  }

  config "site" {
    validation {
      condition     = local.sites[config.site] # ERROR: Unknown variable
      error_message = "site must be one of the known sites."
    }
  }

  locals {
    sites = { eu = true, us = true }
  }

  http {
    base_url = "https://api.acme.example"
  }

  auth "bearer" {
    token = config.token
  }

  stream "hosts" {
    request {
      path = "/sites/${config.site}/hosts"
    }

    records = ".items[]"

    asset = <<-JQ
      { key: "acme:host:\(.id)", class: "host", name: .name }
    JQ
  }
}
