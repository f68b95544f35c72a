# Sizes are bytes, or a number with B, KB, MB, GB, KiB, MiB or GiB.
integration "acme" {
  title = "Acme"

  config "token" {
    sensitive = true
  }

  http {
    base_url          = "https://api.acme.example"
    max_response_size = "64 megabytes" # ERROR: Invalid size
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
