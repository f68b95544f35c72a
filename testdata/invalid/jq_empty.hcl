# An empty jq program is an error, quoted or heredoc.
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

  stream "hosts" {
    request {
      path = "/hosts"
    }

    records = "" # ERROR: Empty jq program

    filter = "   " # ERROR: Empty jq program

    asset = "\n" # ERROR: Empty jq program
  }
}
