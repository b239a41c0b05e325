// Command pakt is the Territorial Employment Pact portal: one binary, one
// PostgreSQL database. See README.md.
package main

import (
	"os"

	"pakt/app"
)

func main() { os.Exit(app.Run(os.Args)) }
