# offset pagination needs its page size.
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

    paginate "offset" { # ERROR: Missing required argument
      offset_param = "skip"
      total        = ".meta.total"
    }

    records = ".items[]"

    asset = <<-JQ
      { key: "acme:host:\(.id)", class: "host", name: .name }
    JQ
  }
}
