# jq syntax errors point at their line inside the heredoc, in every jq attribute.
integration "acme" {
  title = "Acme"

  config "token" {
    sensitive = true
  }

  http {
    base_url      = "https://api.acme.example"
    error_message = ".errors[0].message |" # ERROR: Invalid jq expression
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
        key:   "acme:host:\(.id)",
        class: "host",
        name:  .name | | ascii_downcase, # ERROR: Invalid jq expression
        ips:   [.addresses[].ip]
      }
    JQ

    filter = <<-JQ
      .status != "deleted"
        and .name != null
        and (.tags | index("ignore") | not)) # ERROR: Invalid jq expression
    JQ
  }
}
