package web

import "github.com/gofiber/fiber/v2"

// AddAnother says whether the form was sent with its "Save and add another"
// button (name "then", value "another"): the browser then goes back to an
// empty form instead of the list, for people who add many rows in a row.
func AddAnother(c *fiber.Ctx) bool { return c.FormValue("then") == "another" }
