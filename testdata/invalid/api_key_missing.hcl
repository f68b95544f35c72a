# api_key: a header or query without value, or nothing at all.
integration "acme" {
  title = "Acme"

  config "key" {
    sensitive = true
  }

  http {
    base_url = "https://api.acme.example"
  }

  auth "api_key" { # ERROR: Missing required argument
    when   = config.key != ""
    header = "X-Api-Key"
    prefix = "SSWS "
  }

  auth "api_key" { # ERROR: Missing required argument
    prefix = "SSWS "
  }

  stream "hosts" {
    request {
      path = "/hosts"
    }

    records = ".items[]"

    asset = <<-JQ
      { key: "acme:host:\(.id)", class: "host", name: .name }
    JQ
  }
}
