region    = "eu-1" # ERROR: Missing integration block
page_size = 200
