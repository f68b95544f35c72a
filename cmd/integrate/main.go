// Command integrate runs declarative security integrations: see README.md.
package main

import "os"

func main() { os.Exit(newCLI(os.Stdin, os.Stdout, os.Stderr, os.Environ()).Run(os.Args[1:])) }
