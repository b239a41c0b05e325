package handlers_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// Progress cannot be reported on a period that has not started (issue #17):
// 422 naming period_id by API, the reason above the browser form.
func TestProgressRefusedBeforePeriodStarts(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(coordA)
	planID, mID, indID := adoptedPlan(t, w, tok)
	started := openPeriod(t, w, tok, planID, "2017 H1", "2017-01-01", "2017-06-30")
	future := openPeriod(t, w, tok, planID, "2018 H2", "2018-07-01", "2018-12-31")
	if err := w.DB.Exec(`UPDATE reporting_periods SET start_date = current_date + 10, end_date = current_date + 100 WHERE id = ?`, future).Error; err != nil {
		t.Fatal(err)
	}
	body := progressBody(indID, "100.00", 10, 6, 4)
	got := expect(t, w.API(tok, "PUT", fmt.Sprintf("/api/v1/measures/%d/progress/%d", mID, future), body), 422, "report on a future period")
	if !strings.Contains(got, `"period_id"`) || !strings.Contains(got, "has not started") {
		t.Fatalf("422 body: %s", got)
	}
	expect(t, w.API(w.Token(viewer), "PUT", fmt.Sprintf("/api/v1/measures/%d/progress/%d", mID, future), body), 403, "viewer reports")
	expect(t, w.API(w.Token(coordZ), "PUT", fmt.Sprintf("/api/v1/measures/%d/progress/%d", mID, future), body), 404, "other municipality reports")
	expect(t, w.API(tok, "PUT", fmt.Sprintf("/api/v1/measures/%d/progress/%d", mID, started), body), 200, "report on a started period")

	b := w.Login(coordA)
	b.Get(fmt.Sprintf("/measures/%d/progress/%d", mID, future))
	resp := b.PostForm(fmt.Sprintf("/measures/%d/progress/%d", mID, future), url.Values{"status": {"on_track"}, "percent_complete": {"10"}, "narrative": {"Tekst koji ostaje"}})
	page := expect(t, resp, 422, "report form on a future period")
	if !strings.Contains(page, "has not started") || !strings.Contains(page, "Tekst koji ostaje") {
		t.Fatal("refused report form: no reason above it, or what was typed is lost")
	}
}
