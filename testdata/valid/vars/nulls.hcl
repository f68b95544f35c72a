org       = null
page_size = null
