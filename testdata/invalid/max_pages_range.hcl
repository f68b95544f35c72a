# max_pages is a whole number from 1, in every pagination kind.
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

    paginate "link_header" {
      max_pages = 0 # ERROR: Invalid value
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

    paginate "next_url" {
      url       = ".next"
      max_pages = 10.5 # ERROR: Invalid value
    }

    records = ".items[]"

    asset = <<-JQ
      { key: "acme:device:\(.id)", class: "host", name: .name }
    JQ
  }

  stream "users" {
    request {
      path = "/users"
    }

    paginate "none" {
      max_pages = "all" # ERROR: Incorrect attribute value type
    }

    records = ".items[]"

    asset = <<-JQ
      { key: "acme:user:\(.id)", class: "user", name: .name }
    JQ
  }
}
