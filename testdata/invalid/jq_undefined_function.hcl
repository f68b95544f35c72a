# jq calls to functions that do not exist, with "Did you mean".
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
      limit = 100
      total = ".meta | totl" # ERROR: Invalid jq expression
    }

    records = ".items[]"

    asset = <<-JQ
      {
        key:   "acme:host:\(.id)",
        class: "host",
        name:  (.name | asciidowncase), # ERROR: Invalid jq expression
        last_seen: (.last_seen | to_rfc3339)
      }
    JQ
  }
}
