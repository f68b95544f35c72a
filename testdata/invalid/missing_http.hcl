# Every integration needs an http block.
integration "acme" { # ERROR: Missing http block
  title = "Acme"

  config "token" {
    sensitive = true
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
      { key: "acme:host:\(.id)", class: "host", name: .name }
    JQ
  }
}
