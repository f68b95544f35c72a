# jq programs are literal: config reaches jq as $config, never through ${...}.
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
      path = "/hosts"
    }

    records = ".sites[\"${config.site}\"].hosts[]" # ERROR: jq program must be a literal string

    asset = config.site # ERROR: jq program must be a literal string

    filter = <<-JQ
      .site == "${config.site}" # ERROR: jq program must be a literal string
    JQ
  }
}
