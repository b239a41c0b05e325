package handlers_test

import (
	"fmt"
	"strings"
	"testing"

	"pakt/app/testkit"
)

func focusBody(change map[string]any) func(*world) any {
	return func(w *world) any {
		b := map[string]any{"held_on": "2016-11-08", "place": "Omladinski centar", "groups": []string{"youth_neet"},
			"participants_total": 8, "participants_women": 3, "participants_men": 5,
			"participants_by_age": map[string]int{"15_29": 8, "30_49": 0, "50_plus": 0}, "consent_obtained": true,
			"summary": "Mladi o praksama.", "facilitator_user_ids": []int64{w.CoordA.ID},
			"needs": []map[string]any{{"statement": "Plaćene prakse kod poslodavaca", "barrier": "employment", "priority": 1,
				"quote": "Niko neće da te primi bez iskustva."}, {"statement": "Informacije na jednom mjestu", "barrier": "information", "priority": "medium"}}}
		for k, v := range change {
			if v == nil {
				delete(b, k)
			} else {
				b[k] = v
			}
		}
		return b
	}
}

// The focus-group API of API.md.
func TestFocusAPI(t *testing.T) {
	t.Parallel()
	runAPI(t, []apiCase{
		{"fixture", viewer, "GET", p("/api/v1/focus-groups/%d", fgA), nil, nil, 200, nil, nil},
		{"record", coordA, "POST", p("/api/v1/municipalities/%d/focus-groups", idA), focusBody(nil), nil, 201,
			[]string{`"needs":[{"id":`, `"group":"youth_neet"`, `"priority":2`, `"participants_by_age":{"15_29":8`, `"consent_obtained":true`,
				`"facilitators":[{"name":"User coord.a@test.ba"`}, nil},
		{"record without consent", coordA, "POST", p("/api/v1/municipalities/%d/focus-groups", idA), focusBody(map[string]any{"consent_obtained": false}), nil, 422,
			[]string{`"consent_obtained":`}, nil},
		{"record with consent missing", coordA, "POST", p("/api/v1/municipalities/%d/focus-groups", idA), focusBody(map[string]any{"consent_obtained": nil}), nil, 422,
			[]string{`"consent_obtained":`}, nil},
		{"record counts that do not add up", coordA, "POST", p("/api/v1/municipalities/%d/focus-groups", idA),
			focusBody(map[string]any{"participants_men": 6, "participants_by_age": map[string]int{"15_29": 5}}), nil, 422,
			[]string{`"participants_women":`, `"participants_men":`, `"participants_by_age":`}, nil},
		{"record with every field wrong", coordA, "POST", p("/api/v1/municipalities/%d/focus-groups", idA),
			js(map[string]any{"held_on": "yesterday", "groups": []string{"aliens"}, "needs": []map[string]any{{"barrier": "weather"}}}), nil, 422,
			[]string{`"held_on":`, `"place":`, `"groups":`, `"participants_total":`, `"consent_obtained":`, `"needs[0].statement":`, `"needs[0].barrier":`, `"needs[0].priority":`}, nil},
		{"record with a facilitator from elsewhere", coordA, "POST", p("/api/v1/municipalities/%d/focus-groups", idA), func(w *world) any {
			return focusBody(map[string]any{"facilitator_user_ids": []int64{w.CoordB.ID}})(w)
		}, nil, 422, []string{`"facilitator_user_ids":`}, nil},
		{"record by member", member, "POST", p("/api/v1/municipalities/%d/focus-groups", idA), focusBody(nil), nil, 403, nil, nil},
		{"record elsewhere", coordA, "POST", p("/api/v1/municipalities/%d/focus-groups", idB), focusBody(nil), nil, 404, nil, nil},
		{"list", viewer, "GET", p("/api/v1/municipalities/%d/focus-groups", idA), nil, nil, 200,
			[]string{`"place":"Omladinski centar"`, `"place":"Voljavica"`}, []string{"Zvornik"}},
		{"get", viewer, "GET", p("/api/v1/focus-groups/%d", fgA), nil, nil, 200, []string{`"participants_total":12`, `"needs":[`}, nil},
		{"get elsewhere", coordA, "GET", p("/api/v1/focus-groups/%d", fgB), nil, nil, 404, nil, nil},
		{"consent form of a wrong kind", coordA, "PUT", p("/api/v1/focus-groups/%d/consent-form?name=form.exe", fgA), js("MZ\x90\x00 not a pdf"), nil, 422,
			[]string{`"consent_form":`}, nil},
		{"consent form", coordA, "PUT", p("/api/v1/focus-groups/%d/consent-form?name=pristanak.pdf", fgA), js("%PDF-1.4\n% blank consent form\n"), nil, 200,
			[]string{`"consent_form":true`, `"version":2`}, nil},
		{"consent form by member", member, "PUT", p("/api/v1/focus-groups/%d/consent-form", fgA), js("%PDF-1.4\n"), nil, 403, nil, nil},
	})
}

// The stable need ids of the answer can be cited as evidence, and the HTML
// form stores the uploaded consent form with the focus group.
func TestFocusFormWithConsentFile(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	b := w.Login(coordA)
	b.Get(fmt.Sprintf("/municipalities/%d/focus-groups/new", w.A.ID))
	req := focusMultipart(t, fmt.Sprintf("/municipalities/%d/focus-groups", w.A.ID), focusForm(nil), b.CSRF,
		"consent_form", "obrazac-pristanka.pdf", []byte("%PDF-1.4\nprazan obrazac\n"))
	resp := b.Send(req)
	if resp.StatusCode != 303 {
		t.Fatalf("record with file: %d %s", resp.StatusCode, testkit.Body(resp))
	}
	loc := resp.Header.Get("Location")
	page := testkit.Body(b.Get(loc))
	if !strings.Contains(page, "obrazac-pristanka.pdf") || !strings.Contains(page, "Pratnja pri prvoj prijavi na biro") {
		t.Fatalf("focus group page lacks the file or the need: %s", page)
	}
	file := b.Get(loc + "/consent-form")
	if file.StatusCode != 200 || file.Header.Get("Content-Type") != "application/pdf" || testkit.Body(file) != "%PDF-1.4\nprazan obrazac\n" {
		t.Fatalf("download: %d %s", file.StatusCode, file.Header.Get("Content-Type"))
	}
	var row struct {
		Total, Women, Men int
		Age               int `gorm:"column:age_15_29"`
		Needs, Audit      int64
	}
	w.DB.Raw(`SELECT participants_total AS total, participants_women AS women, participants_men AS men, age_15_29,
		(SELECT count(*) FROM focus_group_needs n WHERE n.focus_group_id = fg.id AND n.group_code = 'roma') AS needs,
		(SELECT count(*) FROM audit_log a WHERE a.object_type = 'focus_group' AND a.object_id = fg.id) AS audit
		FROM focus_groups fg WHERE municipality_id = ?`, w.A.ID).Scan(&row)
	if row.Total != 10 || row.Women != 6 || row.Men != 4 || row.Age != 4 || row.Needs != 1 || row.Audit != 2 {
		t.Fatalf("stored %+v", row)
	}
	// A wrong file type is refused next to the field and nothing is stored.
	b.Get(fmt.Sprintf("/municipalities/%d/focus-groups/new", w.A.ID))
	req = focusMultipart(t, fmt.Sprintf("/municipalities/%d/focus-groups", w.A.ID), focusForm(nil), b.CSRF,
		"consent_form", "virus.exe", []byte("MZ\x90\x00\x03"))
	if resp := b.Send(req); resp.StatusCode != 422 || !strings.Contains(testkit.Body(resp), `id="e-consent_form"`) {
		t.Fatalf("bad file: %d", resp.StatusCode)
	}
	var n int64
	w.DB.Raw("SELECT count(*) FROM focus_groups WHERE municipality_id = ?", w.A.ID).Scan(&n)
	if n != 1 {
		t.Fatalf("focus groups = %d after a refused upload", n)
	}
	// The form can be replaced from the focus group's page (a scanned image now).
	b.Get(loc)
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
	resp = b.Send(focusMultipart(t, loc+"/consent-form", nil, b.CSRF, "consent_form", "obrazac.png", png))
	if resp.StatusCode != 303 {
		t.Fatalf("replace consent form: %d %s", resp.StatusCode, testkit.Body(resp))
	}
	if file := b.Get(loc + "/consent-form"); file.Header.Get("Content-Type") != "image/png" ||
		!strings.Contains(file.Header.Get("Content-Disposition"), "obrazac.png") {
		t.Fatalf("replaced file: %v", file.Header)
	}
}
