# Misspelt blocks inside a stream.
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

  stream "hosts" { # a misspelt request is not also reported missing
    requst { # ERROR: Unsupported block type
      path = "/hosts"
    }

    paginat "link_header" {} # ERROR: Unsupported block type

    records = ".items[]"

    asset = <<-JQ
      { key: "acme:host:\(.id)", class: "host", name: .name }
    JQ
  }
}
