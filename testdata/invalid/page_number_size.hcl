# page_number: size and size_param go together; start is 0 or 1.
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

    paginate "page_number" { # ERROR: Incomplete page size
      size  = 500
      start = 2 # ERROR: Invalid value
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

    paginate "page_number" { # ERROR: Incomplete page size
      size_param  = "per_page"
      total_pages = ".meta.pages"
    }

    records = ".items[]"

    asset = <<-JQ
      { key: "acme:device:\(.id)", class: "host", name: .name }
    JQ
  }
}
