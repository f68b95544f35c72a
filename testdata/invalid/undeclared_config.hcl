# References to configs that are not declared: misspelt ("Did you mean") or missing.
integration "acme" {
  title = "Acme"

  config "token" {
    sensitive = true
  }

  config "organization" {}

  http {
    base_url = "https://api.acme.example"
  }

  auth "bearer" {
    token = config.tokne # ERROR: Reference to undeclared config
  }

  stream "hosts" {
    request {
      path  = "/orgs/${config.organisation}/hosts" # ERROR: Reference to undeclared config
      query = { region = config.region } # ERROR: Reference to undeclared config
    }

    records = ".items[]"

    asset = <<-JQ
      { key: "acme:host:\(.id)", class: "host", name: .name }
    JQ
  }
}
