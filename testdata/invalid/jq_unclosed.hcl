# A jq program that ends too early: the error is at its end.
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

    records = ".items[]"

    asset = <<-JQ
      {
        key:    "acme:host:\(.id)",
        class:  "host",
        status: (if .active then "active" else "inactive") # ERROR: Invalid jq expression
      }
    JQ
  }

  stream "devices" {
    request {
      path = "/devices"
    }

    records = ".items[]"

    asset = <<-JQ
      { key: "acme:device:\(.id)", class: "host",
        name: (.name // .serial # ERROR: Invalid jq expression
    JQ
  }
}
