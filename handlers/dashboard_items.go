package handlers

import (
	"sort"

	"github.com/gofiber/fiber/v2"
)

// Task is one thing waiting for the signed-in user on the dashboard:
// a signature, a questionnaire, a report due.
type Task struct {
	Kind  string // catalog key of the task kind, e.g. "task.sign"
	Title string
	Link  string
	Due   string // formatted date or ""
	Late  bool
}

// taskSources are the features that put work on a user's dashboard. Each
// feature owns its function in its own file.
func (h *Handler) taskSources() []func(*fiber.Ctx) ([]Task, error) {
	return []func(*fiber.Ctx) ([]Task, error){h.agreementTasks, h.sitanTasks, h.reportTasks}
}

// tasks gathers every feature's tasks for the dashboard, late ones first.
func (h *Handler) tasks(c *fiber.Ctx) ([]Task, error) {
	var all []Task
	for _, src := range h.taskSources() {
		ts, err := src(c)
		if err != nil {
			return nil, err
		}
		all = append(all, ts...)
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Late && !all[j].Late })
	return all, nil
}

// PublicSection is a block on a municipality's public page (published
// analyses, adopted plans, reports), each feature owning its own.
type PublicSection struct {
	Title string
	Items []PublicLink
}

// PublicLink is one public document or page.
type PublicLink struct {
	Text, Link, Note string
}

func (h *Handler) publicSources() []func(*fiber.Ctx, int64) (*PublicSection, error) {
	return []func(*fiber.Ctx, int64) (*PublicSection, error){h.agreementPublic, h.sitanPublic, h.planPublic}
}

// publicSections gathers the non-empty public blocks of a municipality.
func (h *Handler) publicSections(c *fiber.Ctx, muniID int64) ([]PublicSection, error) {
	var out []PublicSection
	for _, src := range h.publicSources() {
		s, err := src(c, muniID)
		if err != nil {
			return nil, err
		}
		if s != nil && len(s.Items) > 0 {
			out = append(out, *s)
		}
	}
	return out, nil
}
