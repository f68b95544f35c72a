org       = "file-org"
page_size = "lots"
verbose   = "maybe"
tags      = "prod"
