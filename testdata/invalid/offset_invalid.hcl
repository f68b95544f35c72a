# offset pagination: limit and start are whole numbers in range.
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

    paginate "offset" {
      limit        = 0 # ERROR: Invalid value
      start        = 2.5 # ERROR: Invalid value
      offset_param = ["skip"] # ERROR: Incorrect attribute value type
    }

    records = ".items[]"

    asset = <<-JQ
      { key: "acme:host:\(.id)", class: "host", name: .name }
    JQ
  }
}
