# jq variables: only $config, $stream and $now are bound.
integration "acme" {
  title = "Acme"

  config "token" {
    sensitive = true
  }

  config "site" {}

  http {
    base_url = "https://api.acme.example"
  }

  auth "bearer" {
    token = config.token
  }

  stream "hosts" {
    request {
      path = "/sites/${config.site}/hosts"
    }

    records = ".items[]"

    asset = <<-JQ
      {
        key:   "acme:host:\(.id)",
        class: "host",
        site:  $confg.site, # ERROR: Invalid jq expression
        name:  .name
      }
    JQ

    filter = ".updated_at > $since" # ERROR: Invalid jq expression
  }
}
