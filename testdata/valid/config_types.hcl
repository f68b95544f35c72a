# Configs of every type, with defaults, allowed values and validation: the definition
# the ResolveConfig tests resolve.
integration "acme_config" {
  title = "Acme (config)"

  config "org" {
    description = "The organization."
  }

  config "token" {
    sensitive = true
  }

  config "region" {
    default = "us-1"
    allowed = ["us-1", "us-2", "eu-1"]
  }

  config "page_size" {
    type    = number
    default = 100

    validation {
      condition     = config.page_size >= 1 && config.page_size <= 500
      error_message = "page_size must be between 1 and 500."
    }
  }

  config "verbose" {
    type    = bool
    default = false
  }

  config "tags" {
    type    = list(string)
    default = []
  }

  config "filter" {
    default = null
  }

  http {
    base_url = "https://${config.region}.api.acme.example"
  }

  auth "bearer" {
    token = config.token
  }

  stream "hosts" {
    request {
      path  = "/orgs/${config.org}/hosts"
      query = { limit = config.page_size, verbose = config.verbose, tags = join(",", config.tags) }
    }

    records = ".items[]"

    asset = <<-JQ
      { key: "acme:host:\(.id)", class: "host", name: .name, attributes: { org: $config.org } }
    JQ
  }
}
