# jq syntax errors in quoted strings point at the column in the source, escapes counted.
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

    records = ".items[] | select(.kind == \"host\") }" # ERROR: Invalid jq expression

    asset = "{ key: .id, class: \"host\", name: .name,, }" # ERROR: Invalid jq expression
  }
}
