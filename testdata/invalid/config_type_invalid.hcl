# Config types are type expressions, not strings or misspelt keywords.
integration "acme" {
  title = "Acme"

  config "token" {
    sensitive = true
  }

  config "page_size" {
    type    = numbr # ERROR: Invalid type specification
    default = 100
  }

  config "tags" {
    type    = "list(string)" # ERROR: Invalid type specification
    default = []
  }

  config "regions" {
    type = list(strin) # ERROR: Invalid type specification
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
