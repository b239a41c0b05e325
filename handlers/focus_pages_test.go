package handlers_test

import (
	"net/url"
	"strings"
	"testing"

	"pakt/app/testkit"
)

func focusForm(extra url.Values) url.Values {
	v := url.Values{"held_on": {"2016-11-08"}, "place": {"Mjesna zajednica Voljavica"}, "groups": {"roma", "women"},
		"participants_total": {"10"}, "participants_women": {"6"}, "participants_men": {"4"},
		"age_15_29": {"4"}, "age_30_49": {"4"}, "age_50_plus": {"2"}, "consent_obtained": {"1"},
		"need_0_statement": {"Pratnja pri prvoj prijavi na biro"}, "need_0_barrier": {"information"}, "need_0_priority": {"1"},
		"need_0_group": {"roma"}, "need_0_quote": {"Kad odem sama, ne znam koji papir da tražim."}}
	for k, vals := range extra {
		v[k] = vals
	}
	return v
}

// The focus-group pages: list, form, record, show, public "what we heard"
// and the regional totals.
func TestFocusPages(t *testing.T) {
	t.Parallel()
	sitanRun(t, []scenario{
		{"list as viewer", viewer, "GET", p("/municipalities/%d/focus-groups", idA), nil, false, 200,
			[]string{"Voljavica", `<td class="num">12</td>`, `<td class="num">3</td>`, "Pratnja pri prijavi na biro", "N-"}, []string{"Record a focus group"}},
		{"list as coordinator offers the form", coordA, "GET", p("/municipalities/%d/focus-groups", idA), nil, false, 200, []string{"Record a focus group"}, nil},
		{"list of other municipality", coordA, "GET", p("/municipalities/%d/focus-groups", idB), nil, false, 404, nil, nil},
		{"form", coordA, "GET", p("/municipalities/%d/focus-groups/new", idA), nil, false, 200,
			[]string{`name="consent_obtained"`, `name="need_0_statement"`, `name="need_5_statement"`, `enctype="multipart/form-data"`, "User coord.a@test.ba"}, nil},
		{"form for member", member, "GET", p("/municipalities/%d/focus-groups/new", idA), nil, false, 403, nil, nil},
		{"record", coordA, "POST", p("/municipalities/%d/focus-groups", idA), focusForm(nil), false, 303, nil, nil},
		{"record without consent", coordA, "POST", p("/municipalities/%d/focus-groups", idA), focusForm(url.Values{"consent_obtained": nil}), false, 422,
			[]string{`id="e-consent_obtained"`, "Confirm that informed consent was obtained"}, nil},
		{"record counts that do not add up", coordA, "POST", p("/municipalities/%d/focus-groups", idA),
			focusForm(url.Values{"participants_men": {"5"}, "age_50_plus": {"1"}}), false, 422,
			[]string{`id="e-participants_women"`, `id="e-participants_men"`, "Women and men must add up to the total", `id="e-participants_by_age"`}, nil},
		{"record with text in a count", coordA, "POST", p("/municipalities/%d/focus-groups", idA),
			focusForm(url.Values{"participants_total": {"deset"}}), false, 422, []string{`id="e-participants_total"`, "Enter a whole number"}, nil},
		{"record a bad need", coordA, "POST", p("/municipalities/%d/focus-groups", idA),
			focusForm(url.Values{"need_0_group": {"youth_neet"}, "need_1_quote": {"citat bez potrebe"}}), false, 422,
			[]string{`id="e-need_0_group"`, `id="e-need_1_statement"`}, nil},
		{"record without groups or place", coordA, "POST", p("/municipalities/%d/focus-groups", idA),
			focusForm(url.Values{"groups": nil, "place": {""}, "held_on": {"2999-01-01"}}), false, 422,
			[]string{`id="e-groups"`, `id="e-place"`, `id="e-held_on"`}, nil},
		{"record by member", member, "POST", p("/municipalities/%d/focus-groups", idA), focusForm(nil), false, 403, nil, nil},
		{"record elsewhere", coordA, "POST", p("/municipalities/%d/focus-groups", idB), focusForm(nil), false, 404, nil, nil},
		{"record without csrf", coordA, "POST", p("/municipalities/%d/focus-groups", idA), focusForm(nil), true, 403, nil, nil},
		{"show", viewer, "GET", p("/focus-groups/%d", fgA), nil, false, 200, []string{"Voljavica", "12 (women 9, men 3)", "obtained from every participant"}, []string{"Upload"}},
		{"show elsewhere", coordA, "GET", p("/focus-groups/%d", fgB), nil, false, 404, nil, nil},
		{"no consent form yet", viewer, "GET", p("/focus-groups/%d/consent-form", fgA), nil, false, 404, nil, nil},
		{"upload nothing", coordA, "POST", p("/focus-groups/%d/consent-form", fgA), nil, false, 422, []string{`id="e-consent_form"`}, nil},
		{"upload by member", member, "POST", p("/focus-groups/%d/consent-form", fgA), nil, false, 403, nil, nil},
		{"public what we heard", "", "GET", p("/m/%s/heard", sitanSlugA), nil, false, 200,
			[]string{"What we heard", "Voljavica", "&lt;5", "Pratnja pri prvoj prijavi na biro", "Kad odem sama"},
			[]string{`<td class="num">3</td>`, "/focus-groups/"}},
		{"public what we heard of unknown municipality", "", "GET", p("/m/nowhere/heard"), nil, false, 404, nil, nil},
		{"region", "", "GET", p("/region/heard"), nil, false, 200, []string{"Bratunac", "Zvornik", `id="region-totals"`, "&lt;5"}, nil},
	})
}

// Public counts are bands of five ("<5", "10–14"); a totals row is the sum
// of its rows' bands, and a municipality's row on the regional page is its
// own totals row, so the two pages cannot be played against each other.
func TestFocusPublicSuppression(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	sfx(w) // A: 12 = 9 women + 3 men; B: 7 = 4 women + 3 men
	body := testkit.Body(w.Anonymous().Get("/m/" + w.A.Slug + "/heard"))
	row := sitanBetween(body, `data-focus-group="`, "</tr>")
	if !strings.Contains(row, `<td class="num">10–14</td><td class="num">5–9</td><td class="num">&lt;5</td>`) {
		t.Fatalf("12 = 9 + 3 must read 10–14, 5–9, <5: %s", row)
	}
	heardTotals := sitanBetween(body, `id="focus-totals"`, "</tr>")
	if !strings.Contains(heardTotals, `<td class="num">10–14</td><td class="num">5–9</td><td class="num">&lt;5</td>`) {
		t.Fatalf("totals of one focus group are its own bands: %s", heardTotals)
	}
	region := testkit.Body(w.Anonymous().Get("/region/heard"))
	for muni, want := range map[string]string{"Bratunac": "", "Zvornik": ""} {
		r := sitanBetween(region, muni+"</a></th>", "</tr>")
		for _, exact := range []string{">3<", ">4<", ">7<", ">9<", ">12<"} {
			if strings.Contains(r, exact) {
				t.Errorf("%s shows an exact count %s: %s%s", muni, exact, r, want)
			}
		}
	}
	if a := sitanBetween(region, w.A.Name+"</a></th>", "</tr>"); !strings.Contains(a, "10–14") {
		t.Errorf("the region prints A as its own totals row does: %s", a)
	}
	// 10–14 + 5–9, 5–9 + <5, <5 + <5
	totals := sitanBetween(region, `id="region-totals"`, "</tr>")
	if !strings.Contains(totals, `<td class="num">15–23</td><td class="num">5–13</td><td class="num">0–8</td>`) {
		t.Fatalf("region totals: %s", totals)
	}
}

func sitanBetween(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i:]
	if j := strings.Index(s, to); j >= 0 {
		return s[:j]
	}
	return s
}
