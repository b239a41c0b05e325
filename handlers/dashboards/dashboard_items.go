package dashboards

import (
	"pakt/web"
	"sort"

	"github.com/gofiber/fiber/v2"
)

// Task is one thing waiting for the signed-in user on the dashboard:
// a signature, a questionnaire, a report due.
// TaskSource lists one feature's tasks for the signed-in user.

// PublicSource gives one feature's block of a municipality's public page.

// catalog key of the task kind, e.g. "task.sign"

// formatted date or ""

// taskSources are the features that put work on a user's dashboard. Each
// feature owns its function in its own file.
func (h *Handler) taskSources() []web.TaskSource { return h.Tasks }

// tasks gathers every feature's tasks for the dashboard, late ones first.
func (h *Handler) tasks(c *fiber.Ctx) ([]web.Task, error) {
	var all []web.Task
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

// PublicLink is one public document or page.

func (h *Handler) publicSources() []web.PublicSource { return h.Public }

// publicSections gathers the non-empty public blocks of a municipality.
func (h *Handler) publicSections(c *fiber.Ctx, muniID int64) ([]web.PublicSection, error) {
	var out []web.PublicSection
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
