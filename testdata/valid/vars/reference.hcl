org = "a${b}c"
