# A base_url of the wrong type is reported once (it was reported twice).
integration "acme" {
  http {
    base_url = ["https://api.acme.example"] # ERROR: Incorrect attribute value type
  }

  stream "hosts" {
    request {
      path = "/hosts"
    }

    records = ".items[]"
    asset   = <<-JQ
      { key: "acme:host:\(.id // error("no id"))", class: "host" }
    JQ
  }
}
