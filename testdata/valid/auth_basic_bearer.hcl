# bearer when a token is set, else basic; page_number, link_header and none pagination.
integration "acme_basic" {
  title = "Acme (basic or bearer)"

  config "token" {
    default   = ""
    sensitive = true
  }

  config "username" {
    default = ""
  }

  config "password" {
    default   = ""
    sensitive = true
  }

  config "page_size" {
    type    = number
    default = 100

    validation {
      condition     = config.page_size >= 1 && config.page_size <= 500
      error_message = "page_size must be between 1 and 500."
    }
  }

  http {
    base_url       = "https://console.acme.example:3780/api/3"
    header_timeout = "2m"
    error_message  = ".message"

    retry {
      attempts  = 5
      on_status = [429, 503]
    }
  }

  auth "bearer" {
    when   = config.token != ""
    token  = config.token
    scheme = "token"
  }

  auth "basic" {
    username = config.username
    password = config.password
  }

  stream "assets" {
    request {
      path = "/assets"
    }

    paginate "page_number" {
      param       = "page"
      start       = 0
      size_param  = "size"
      size        = config.page_size
      total_pages = ".page.totalPages"
    }

    records = ".resources[]"

    asset = <<-JQ
      { key: "acme:asset:\(.id)", class: "host", name: (.hostName // .ip) }
    JQ
  }

  stream "sites" {
    request {
      path = "/sites"
    }

    paginate "link_header" {
      rel = "next"
    }

    records = ".[]"

    asset = <<-JQ
      { key: "acme:site:\(.id)", class: "site", name: .name }
    JQ
  }

  stream "scanners" {
    request {
      path = "/scanners"
    }

    paginate "none" {}

    records = ".resources[]"

    asset = <<-JQ
      { key: "acme:scanner:\(.id)", class: "scanner", name: .name }
    JQ
  }
}
