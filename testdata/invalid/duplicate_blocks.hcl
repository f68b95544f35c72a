# Blocks that may appear once: http, check, and request and paginate in a stream.
integration "acme" {
  title = "Acme"

  config "token" {
    sensitive = true
  }

  http {
    base_url = "https://api.acme.example"
  }

  http { # ERROR: Duplicate http block
    base_url = "https://api2.acme.example"
  }

  auth "bearer" {
    token = config.token
  }

  check {
    request {
      path = "/me"
    }
  }

  check { # ERROR: Duplicate check block
    request {
      path = "/whoami"
    }
  }

  stream "hosts" {
    request {
      path = "/hosts"
    }

    request { # ERROR: Duplicate request block
      path = "/devices"
    }

    paginate "link_header" {}
    paginate "none" {} # ERROR: Duplicate paginate block

    records = ".items[]"

    asset = <<-JQ
      { key: "acme:host:\(.id)", class: "host", name: .name }
    JQ
  }
}
