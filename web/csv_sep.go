package web

import (
	"github.com/gofiber/fiber/v2"

	"pakt/models"
)

// CSVSeparator reads ?sep= of a CSV export: "," (the default) or ";" for
// Excel in the region's locales; anything else is 422.
func CSVSeparator(c *fiber.Ctx) (rune, error) {
	switch c.Query("sep") {
	case "", ",":
		return ',', nil
	case ";":
		return ';', nil
	}
	return 0, models.Invalid("sep", "validation.csv_sep")
}
