# A reference error found while loading does not hide the type errors that only
# validation finds: every one is reported at once.
integration "acme" {
  title = "Acme"

  config "token" {
    sensitive = true
  }

  http {
    base_url        = config.base # ERROR: Reference to undeclared config
    connect_timeout = "forever" # ERROR: Invalid duration

    headers         = { Accept = ["json"] } # ERROR: Incorrect attribute value type

    retry {
      attempts  = "five" # ERROR: Incorrect attribute value type
      on_status = [429, "often"] # ERROR: Incorrect attribute value type
    }
  }

  auth "bearer" {
    token = config.token
  }

  stream "hosts" {
    request {
      path = "/hosts"
    }

    paginate "offset" {
      limit = "many" # ERROR: Incorrect attribute value type
    }

    records = ".items[]"
    asset   = <<-JQ
      { key: "acme:host:\(.id)", class: "host" }
    JQ
  }
}
