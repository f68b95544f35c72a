# cursor: exactly one source (token, token_header) and one destination (param, body_field).
integration "acme" {
  title = "Acme"

  config "token" {
    sensitive = true
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

    paginate "cursor" { # ERROR: Cursor source required # ERROR: Cursor destination required
      has_more = ".has_more"
    }

    records = ".items[]"

    asset = <<-JQ
      { key: "acme:host:\(.id)", class: "host", name: .name }
    JQ
  }

  stream "devices" {
    request {
      method = "POST"
      path   = "/devices/search"
      json   = { limit = 100 }
    }

    paginate "cursor" {
      token        = ".next"
      token_header = "X-Next-Cursor" # ERROR: Conflicting attributes
      param        = "cursor"
      body_field   = "cursor" # ERROR: Conflicting attributes
    }

    records = ".items[]"

    asset = <<-JQ
      { key: "acme:device:\(.id)", class: "host", name: .name }
    JQ
  }
}
