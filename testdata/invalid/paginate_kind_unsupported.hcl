# Pagination kinds outside the table, with and without a close match.
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

    paginate "cursr" { # ERROR: Unsupported pagination kind
      token = ".next"
      param = "after"
    }

    records = ".items[]"

    asset = <<-JQ
      { key: "acme:host:\(.id)", class: "host", name: .name }
    JQ
  }

  stream "devices" {
    request {
      path = "/devices"
    }

    paginate "graphql" {} # ERROR: Unsupported pagination kind

    records = ".items[]"

    asset = "."
  }
}
