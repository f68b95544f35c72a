org       = "file-org"
page_sise = 10
