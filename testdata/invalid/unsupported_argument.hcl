# Misspelt arguments: "Did you mean", and the required ones they were meant to be.
integration "acme" {
  titel = "Acme" # ERROR: Unsupported argument

  config "token" {
    sensitive = true
  }

  http { # ERROR: Missing required argument
    base_ur = "https://api.acme.example" # ERROR: Unsupported argument
  }

  auth "bearer" {
    token = config.token
  }

  stream "hosts" { # ERROR: Missing required argument
    request {
      path = "/hosts"
    }

    recrods = ".items[]" # ERROR: Unsupported argument

    asset = <<-JQ
      { key: "acme:host:\(.id)", class: "host", name: .name }
    JQ
  }
}
