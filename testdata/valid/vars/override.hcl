org    = "override-org"
region = "eu-1"
