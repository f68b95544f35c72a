# A cursor sent in a JSON body needs a request that has one.
integration "acme" {
  http {
    base_url = "https://api.example.com"
  }

  stream "hosts" {
    request {
      path = "/hosts"
    }

    paginate "cursor" {
      token      = ".next"
      body_field = "cursor" # ERROR: Body on a GET request
    }

    records = ".items[]"

    asset = <<-JQ
      { key: "acme:host:\(.id)", class: "host", name: .name }
    JQ
  }
}
