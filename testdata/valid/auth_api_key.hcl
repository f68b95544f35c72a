# Every form of api_key auth, chosen by when: a header with a prefix, a query
# parameter, and several headers at once. Offset pagination.
integration "acme_api_key" {
  title       = "Acme (API keys)"
  description = "Hosts, with the key in a header, a query parameter or two headers."

  config "key_style" {
    description = "header, query or pair."
    default     = "header"
    allowed     = ["header", "query", "pair"]
  }

  config "api_key" {
    sensitive = true
  }

  config "api_secret" {
    default   = ""
    sensitive = true
  }

  http {
    base_url = "https://api.acme.example/v1"
    headers  = { Accept = "application/json" }
  }

  auth "api_key" {
    when   = config.key_style == "header"
    header = "Authorization"
    prefix = "SSWS "
    value  = config.api_key
  }

  auth "api_key" {
    when  = config.key_style == "query"
    query = "api_key"
    value = config.api_key
  }

  auth "api_key" {
    headers = {
      "api-key"    = config.api_key
      "api-secret" = config.api_secret
    }
  }

  check {
    request {
      path = "/me"
    }
  }

  stream "hosts" {
    request {
      path  = "/hosts"
      query = { sort = "id" }
    }

    paginate "offset" {
      limit        = 200
      offset_param = "skip"
      limit_param  = "take"
      start        = 0
      total        = ".meta.total"
      max_pages    = 500
    }

    records = ".data[]"

    asset = <<-JQ
      {
        key:   "acme:host:\(.id)",
        class: "host",
        name:  .hostname,
        ips:   [.ip] | map(select(. != null))
      }
    JQ

    filter = ".status != \"deleted\""
  }
}
