# jq reads config through $config; a name that is not there, or a sensitive one (never
# in $config), would always be null.
integration "acme" {
  title = "Acme"

  config "token" {
    sensitive = true
  }

  config "region" {
    default = "eu-1"
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
    asset   = <<-JQ
      {
        key:   "acme:host:\(.id // error("no id"))",
        class: "host",
        name:  "\(.name).\($config.regoin)", # ERROR: Reference to undeclared config
        attributes: {
          site:   $config["site"], # ERROR: Reference to undeclared config
          token:  $config.token, # ERROR: Sensitive config in jq
          region: $config.region  # a comment may say $config.nothing
        }
      }
    JQ
  }
}
