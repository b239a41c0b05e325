package web

import (
	"github.com/gofiber/fiber/v2"
)

// Task is one thing waiting for the signed-in user on the dashboard:
// a signature, a questionnaire, a report due.
// TaskSource lists one feature's tasks for the signed-in user.
type TaskSource func(*fiber.Ctx) ([]Task, error)

// PublicSource gives one feature's block of a municipality's public page.
type PublicSource func(*fiber.Ctx, int64) (*PublicSection, error)

type Task struct {
	Kind  string // catalog key of the task kind, e.g. "task.sign"
	Title string
	Link  string
	Due   string // formatted date or ""
	Late  bool
}

// PublicSection is a block on a municipality's public page (published
// analyses, adopted plans, reports), each feature owning its own.
type PublicSection struct {
	Title string
	Items []PublicLink
}

// PublicLink is one public document or page. Own says that Text is the
// municipality's own words (a plan's title), printed with the
// municipality's lang; Prefix is translated words shown before it.
type PublicLink struct {
	Text, Link, Note string
	Prefix           string
	Own              bool
}
