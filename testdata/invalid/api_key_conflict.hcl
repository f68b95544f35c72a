# api_key: header or query with value, or headers; never both.
integration "acme" {
  title = "Acme"

  config "key" {
    sensitive = true
  }

  config "secret" {
    sensitive = true
  }

  http {
    base_url = "https://api.acme.example"
  }

  auth "api_key" {
    when   = config.secret == ""
    header = "X-Api-Key"
    query  = "api_key" # ERROR: Conflicting attributes
    value  = config.key
  }

  auth "api_key" {
    header  = "X-Api-Key"
    value   = config.key
    headers = { "api-key" = config.key, "api-secret" = config.secret } # ERROR: Conflicting attributes
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
