# Two mistakes on one block header, one found by loading and one by validation: both
# are reported, not only the first.
integration "acme" {
  title = "Acme"

  http {
    base_url = "https://api.acme.example"
  }

  stream "hosts" {
    request { # ERROR: Missing required argument # ERROR: Body on a GET request
      json = { a = 1 }
    }

    records = ".items[]"
    asset   = <<-JQ
      { key: "acme:host:\(.id // error("no id"))", class: "host" }
    JQ
  }
}
