# oauth2_client_credentials with the secret in the body or in a Basic header; every
# cursor form and next_url pagination.
integration "acme_oauth2" {
  title = "Acme (OAuth 2.0)"

  config "region" {
    default = "us-1"
    allowed = ["us-1", "eu-1"]
  }

  config "client_id" {}

  config "client_secret" {
    sensitive = true
  }

  config "basic_client_auth" {
    type    = bool
    default = false
  }

  locals {
    hosts = {
      "us-1" = "https://api.acme.example"
      "eu-1" = "https://api.eu-1.acme.example"
    }
    base_url = local.hosts[config.region]
  }

  http {
    base_url = local.base_url

    retry {
      wait_header "X-RateLimit-RetryAfter" {
        format = "epoch_seconds"
      }
    }

    rate_limit {
      requests         = 6000
      per              = "1m"
      burst            = 20
      remaining_header = "X-RateLimit-Remaining"
      reset_header     = "X-RateLimit-Reset"
      reset_format     = "epoch_seconds"
    }
  }

  auth "oauth2_client_credentials" {
    when           = !config.basic_client_auth
    token_url      = "${local.base_url}/oauth2/token"
    client_id      = config.client_id
    client_secret  = config.client_secret
    scopes         = ["hosts:read", "vulns:read"]
    params         = { audience = "acme-api" }
    refresh_before = "4m"
  }

  auth "oauth2_client_credentials" {
    token_url     = "${local.base_url}/oauth2/token"
    client_id     = config.client_id
    client_secret = config.client_secret
    client_auth   = "basic"
  }

  stream "hosts" {
    request {
      path  = "/hosts"
      query = { limit = 500 }
    }

    paginate "cursor" {
      token = ".meta.pagination.after"
      param = "after"
    }

    records = ".resources[]"

    asset = <<-JQ
      { key: "acme:host:\(.id)", class: "host", name: .hostname }
    JQ
  }

  stream "vulnerabilities" {
    request {
      method = "POST"
      path   = "/vulns/search"
      json   = { filter = { status = ["open"] }, limit = 100 }
    }

    paginate "cursor" {
      token      = ".next_cursor"
      body_field = "cursor"
      has_more   = ".has_more"
    }

    records = ".data[]"

    finding = <<-JQ
      {
        key:       "acme:vuln:\(.id)",
        asset_key: "acme:host:\(.host_id)",
        name:      .title,
        severity:  (.severity | ascii_downcase)
      }
    JQ
  }

  stream "events" {
    request {
      method     = "POST"
      path       = "/events/query"
      form       = { q = "type:login" }
      idempotent = true
    }

    paginate "cursor" {
      token_header = "X-Next-Cursor"
      param        = "cursor"
    }

    records = ".events[]"

    finding = <<-JQ
      { key: "acme:event:\(.id)", asset_key: "acme:host:\(.host)", name: .message }
    JQ
  }

  stream "users" {
    request {
      path = "/users"
    }

    paginate "next_url" {
      url       = ".links.next"
      max_pages = 100
    }

    records = ".users[]"

    asset = <<-JQ
      { key: "acme:user:\(.id)", class: "user", name: .email }
    JQ
  }
}
