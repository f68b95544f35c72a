org       = "file-org"
page_size = 200
tags      = ["prod", "eu"]
