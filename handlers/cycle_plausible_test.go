package handlers_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"pakt/app/testkit"
)

// A questionnaire's template follows the organisation's type, and a part
// larger than its whole is refused next to the field (issue #17).
func TestQuestionnairePlausibility(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.Token(coordA)
	s := mustSitan(t, w.A.ID, w, "Analiza stanja 2016")
	sp := fmt.Sprintf("/api/v1/situation-analyses/%d/questionnaires", s.ID)
	var q struct {
		ID        int64
		Template  string
		Questions []struct {
			ID        int64
			Indicator *string
		}
	}
	resp := w.API(tok, "POST", sp, map[string]any{"organisation_id": w.OrgA2.ID, "due_date": "2099-01-31"})
	testkit.DecodeJSON(t, resp, &q)
	if resp.StatusCode != 201 || q.Template != "pes" {
		t.Fatalf("questionnaire without a template: %d %+v", resp.StatusCode, q)
	}
	got := expect(t, w.API(tok, "POST", sp, map[string]any{"organisation_id": w.OrgA.ID, "due_date": "2099-01-31"}), 422, "type without a template")
	if !strings.Contains(got, `"template"`) {
		t.Fatalf("no template error: %s", got)
	}
	ind := map[string]int64{}
	for _, x := range q.Questions {
		if x.Indicator != nil {
			ind[*x.Indicator] = x.ID
		}
	}
	reg, long := ind["registered_unemployed"], ind["long_term_unemployed"]
	if reg == 0 || long == 0 {
		t.Fatalf("pes template lacks the indicators: %v", ind)
	}
	ap := fmt.Sprintf("/api/v1/questionnaires/%d/answers", q.ID)
	answer := func(id int64, v, women, men string) map[string]any {
		return map[string]any{"question_id": id, "value": v, "women": women, "men": men}
	}
	mem := w.Token(member)
	got = expect(t, w.API(mem, "PUT", ap, map[string]any{"answers": []any{answer(reg, "52", "", ""), answer(long, "54", "", "")}}), 422, "part larger than whole")
	if !strings.Contains(got, fmt.Sprintf(`"answers.%d.value"`, long)) || !strings.Contains(got, fmt.Sprintf(`"answers.%d.value"`, reg)) {
		t.Fatalf("fields of the refused part: %s", got)
	}
	// Saved in two goes, the earlier answer counts too.
	expect(t, w.API(mem, "PUT", ap, map[string]any{"answers": []any{answer(reg, "52", "30", "22")}}), 200, "whole")
	expect(t, w.API(mem, "PUT", ap, map[string]any{"answers": []any{answer(long, "54", "", "")}}), 422, "part larger than the saved whole")
	got = expect(t, w.API(mem, "PUT", ap, map[string]any{"answers": []any{answer(long, "40", "31", "9")}}), 422, "women part larger")
	if !strings.Contains(got, fmt.Sprintf(`"answers.%d.women"`, long)) {
		t.Fatalf("women of the part not refused: %s", got)
	}
	expect(t, w.API(mem, "PUT", ap, map[string]any{"answers": []any{answer(long, "40", "25", "15")}}), 200, "plausible part")
	expect(t, w.API(w.Token(viewer), "PUT", ap, map[string]any{"answers": []any{answer(long, "1", "", "")}}), 403, "viewer answers")
	expect(t, w.API(w.Token(coordZ), "PUT", ap, map[string]any{"answers": []any{answer(long, "1", "", "")}}), 404, "other municipality answers")

	// Browser: the form offers the organisation's own template by default.
	b := w.Login(coordA)
	page := testkit.Body(b.Get(fmt.Sprintf("/situation-analyses/%d", s.ID)))
	if !strings.Contains(page, `<option value="">The one for the organisation&#39;s type</option>`) {
		t.Fatal("questionnaire form does not offer the organisation's template")
	}
	resp = b.PostForm(fmt.Sprintf("/situation-analyses/%d/questionnaires", s.ID), url.Values{"organisation_id": {fmt.Sprint(w.OrgA.ID)}, "template": {""}, "due_date": {"2099-01-31"}})
	if body := testkit.Body(resp); resp.StatusCode != 422 || !strings.Contains(body, `id="e-template"`) {
		t.Fatalf("type without template by form: %d", resp.StatusCode)
	}
}
