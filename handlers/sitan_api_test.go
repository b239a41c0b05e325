package handlers_test

import (
	"strings"
	"testing"

	"pakt/app/testkit"
)

func sitanQID(w *world, q func(*world) any, code string) int64 {
	var id int64
	w.DB.Raw("SELECT id FROM questionnaire_questions WHERE questionnaire_id = ? AND code = ?", q(w), code).Scan(&id)
	return id
}

func sitanAnswers(pairs ...any) map[string]any {
	list := []map[string]any{}
	for i := 0; i+1 < len(pairs); i += 2 {
		list = append(list, map[string]any{"question_id": pairs[i], "value": pairs[i+1]})
	}
	return map[string]any{"answers": list}
}

// The situation-analysis API, in the order a municipality uses it.
func TestSitanAPI(t *testing.T) {
	t.Parallel()
	sitanBody := js(map[string]any{"title": "Analiza stanja 2017", "year": 2017})
	qBody := func(org func(*world) int64, tmpl string) func(*world) any {
		return func(w *world) any {
			return map[string]any{"organisation_id": org(w), "template": tmpl, "due_date": "2017-03-01"}
		}
	}
	health := func(w *world) int64 { return w.OrgA.ID }
	pesAnswers := func(w *world) any {
		return map[string]any{"answers": []map[string]any{
			{"question_id": sitanQID(w, qSent, "registered_unemployed"), "value": 2900, "women": 1500, "men": 1400},
			{"question_id": sitanQID(w, qSent, "social_assistance_able_to_work"), "value": "142"},
			{"question_id": sitanQID(w, qSent, "csw_cooperation"), "value": "monthly"},
			{"question_id": sitanQID(w, qSent, "main_obstacles"), "value": "Nedostatak prevoza."}}}
	}
	runAPI(t, []apiCase{
		{"fixture", viewer, "GET", p("/api/v1/situation-analyses/%d", sitanA), nil, nil, 200, nil, nil},
		{"create analysis", coordA, "POST", p("/api/v1/municipalities/%d/situation-analyses", idA), sitanBody, nil, 201,
			[]string{`"status":"collecting"`, `"year":2017`, `"version":1`}, nil},
		{"create analysis with bad values", coordA, "POST", p("/api/v1/municipalities/%d/situation-analyses", idA),
			js(map[string]any{"title": "", "year": 1800}), nil, 422, []string{`"title":`, `"year":`}, nil},
		{"create analysis malformed", coordA, "POST", p("/api/v1/municipalities/%d/situation-analyses", idA), js(`{"title":`), nil, 400, nil, nil},
		{"create analysis by member", member, "POST", p("/api/v1/municipalities/%d/situation-analyses", idA), sitanBody, nil, 403, nil, nil},
		{"create analysis elsewhere", coordA, "POST", p("/api/v1/municipalities/%d/situation-analyses", idB), sitanBody, nil, 404, nil, nil},
		{"list analyses", viewer, "GET", p("/api/v1/municipalities/%d/situation-analyses", idA), nil, nil, 200,
			[]string{`"items":[`, "Analiza stanja 2016", "Analiza stanja 2017"}, []string{"Zvornik"}},
		{"get analysis", viewer, "GET", p("/api/v1/situation-analyses/%d", sitanA), nil, nil, 200,
			[]string{`"questionnaires":[`, `"organisation_name":"Biro Bratunac"`, `"vulnerable_groups":[]`}, nil},
		{"get analysis elsewhere", coordA, "GET", p("/api/v1/situation-analyses/%d", sitanB), nil, nil, 404, nil, nil},

		{"create questionnaire", coordA, "POST", p("/api/v1/situation-analyses/%d/questionnaires", sitanA), qBody(health, "health"), nil, 201,
			[]string{`"status":"sent"`, `"questions":[`, `"code":"pwd_working_age"`, `"kind":"number"`, `"indicator":"pwd_working_age"`,
				`"kind":"choice"`, `"kind":"text"`, `"due_date":"2017-03-01"`}, nil},
		{"create the same questionnaire twice", coordA, "POST", p("/api/v1/situation-analyses/%d/questionnaires", sitanA), qBody(health, "health"), nil, 422,
			[]string{`"organisation_id":`}, nil},
		{"create questionnaire with bad values", coordA, "POST", p("/api/v1/situation-analyses/%d/questionnaires", sitanA),
			func(w *world) any {
				return map[string]any{"organisation_id": w.OrgB.ID, "template": "bank", "due_date": "2017-03-01"}
			}, nil, 422,
			[]string{`"organisation_id":`, `"template":`}, nil},
		{"create questionnaire with a bad date", coordA, "POST", p("/api/v1/situation-analyses/%d/questionnaires", sitanA),
			func(w *world) any {
				return map[string]any{"organisation_id": w.OrgA.ID, "template": "police", "due_date": "01.03.2017"}
			}, nil, 422,
			[]string{`"due_date":`}, nil},
		{"create questionnaire by member", member, "POST", p("/api/v1/situation-analyses/%d/questionnaires", sitanA), qBody(health, "police"), nil, 403, nil, nil},
		{"create questionnaire in published analysis", coordA, "POST", p("/api/v1/situation-analyses/%d/questionnaires", sitanP), qBody(health, "police"), nil, 409,
			[]string{`"conflict"`}, nil},
		{"get questionnaire", viewer, "GET", p("/api/v1/questionnaires/%d", qSent), nil, nil, 200, []string{`"template":"pes"`, `"answers":[]`}, nil},
		{"get questionnaire in Bosnian", viewer, "GET", p("/api/v1/questionnaires/%d?lang=bs", qSent), nil, nil, 200,
			[]string{"Koliko je lica bilo prijavljeno kao nezaposleno"}, nil},

		{"add own question", coordA, "POST", p("/api/v1/questionnaires/%d/questions", qDraft),
			js(map[string]any{"text_en": "How many volunteers?", "kind": "number", "indicator": "ngo_beneficiaries"}), nil, 201,
			[]string{`"custom":true`, `"split":true`, `"indicator":"ngo_beneficiaries"`}, nil},
		{"add own choice question", coordA, "POST", p("/api/v1/questionnaires/%d/questions", qDraft),
			js(map[string]any{"text_bs": "Imate li prostor?", "kind": "choice", "options": []map[string]string{{"value": "da", "en": "Yes", "bs": "Da"}, {"value": "ne", "en": "No", "bs": "Ne"}}}), nil, 201,
			[]string{`"kind":"choice"`, `"value":"da"`}, nil},
		{"add own question with bad values", coordA, "POST", p("/api/v1/questionnaires/%d/questions", qDraft),
			js(map[string]any{"kind": "essay", "indicator": "nothing"}), nil, 422, []string{`"text_en":`, `"kind":`, `"indicator":`}, nil},
		{"add own question to a sent questionnaire", coordA, "POST", p("/api/v1/questionnaires/%d/questions", qSent),
			js(map[string]any{"text_en": "X", "kind": "text"}), nil, 409, nil, nil},
		{"add own question by member", member, "POST", p("/api/v1/questionnaires/%d/questions", qDraft), js(map[string]any{"text_en": "X", "kind": "text"}), nil, 403, nil, nil},
		{"answer a draft", coordA, "PUT", p("/api/v1/questionnaires/%d/answers", qDraft), js(sitanAnswers()), nil, 409, nil, nil},
		{"send", coordA, "POST", p("/api/v1/questionnaires/%d/send", qDraft), nil, nil, 200, []string{`"status":"sent"`}, nil},
		{"send again", coordA, "POST", p("/api/v1/questionnaires/%d/send", qDraft), nil, nil, 409, nil, nil},

		{"answer bad values", member, "PUT", p("/api/v1/questionnaires/%d/answers", qSent), func(w *world) any {
			return map[string]any{"answers": []map[string]any{
				{"question_id": sitanQID(w, qSent, "registered_unemployed"), "value": "many"},
				{"question_id": sitanQID(w, qSent, "long_term_unemployed"), "value": -5},
				{"question_id": sitanQID(w, qSent, "youth_registered_unemployed"), "value": 100, "women": 60, "men": 50},
				{"question_id": sitanQID(w, qSent, "csw_cooperation"), "value": "daily"},
				{"question_id": sitanQID(w, qSent, "roma_registered_unemployed"), "value": 12.5}}}
		}, nil, 422, []string{"Enter a whole number", "cannot be negative", "cannot be more than the total", "Choose one of the offered answers"}, nil},
		{"answer another organisation's questionnaire", memberCSW, "PUT", p("/api/v1/questionnaires/%d/answers", qSent), pesAnswers, nil, 403, nil, nil},
		{"answer as viewer", viewer, "PUT", p("/api/v1/questionnaires/%d/answers", qSent), pesAnswers, nil, 403, nil, nil},
		{"answer elsewhere", coordZ, "PUT", p("/api/v1/questionnaires/%d/answers", qSent), pesAnswers, nil, 404, nil, nil},
		{"answer with a stale If-Match", member, "PUT", p("/api/v1/questionnaires/%d/answers", qSent), pesAnswers, []string{"If-Match", `"7"`}, 412, nil, nil},
		{"answer", member, "PUT", p("/api/v1/questionnaires/%d/answers", qSent), pesAnswers, []string{"If-Match", `"1"`}, 200,
			[]string{`"version":2`, `"value":2900`, `"women":1500`, `"value":"monthly"`}, nil},
		{"indicators ignore unsubmitted answers", viewer, "GET", p("/api/v1/situation-analyses/%d/indicators", sitanA), nil, nil, 200,
			[]string{`"indicator":"social_assistance_able_to_work"`, `"value":160`}, []string{`"value":2900`}},
		{"submit another organisation's questionnaire", memberCSW, "POST", p("/api/v1/questionnaires/%d/submit", qSent), nil, nil, 403, nil, nil},
		{"submit", member, "POST", p("/api/v1/questionnaires/%d/submit", qSent), nil, nil, 200, []string{`"status":"submitted"`}, nil},
		{"submit again", member, "POST", p("/api/v1/questionnaires/%d/submit", qSent), nil, nil, 409, nil, nil},
		{"answer after submitting", member, "PUT", p("/api/v1/questionnaires/%d/answers", qSent), pesAnswers, nil, 409, []string{"read-only"}, nil},
		{"indicators with two registers", viewer, "GET", p("/api/v1/situation-analyses/%d/indicators", sitanA), nil, nil, 200,
			[]string{`"value":2900`, `"women":1500`, `"sources":[{"organisation_id"`, `"conflict":true`, `"value":142`, `"counted":false`}, nil},
		{"indicators elsewhere", coordZ, "GET", p("/api/v1/situation-analyses/%d/indicators", sitanA), nil, nil, 404, nil, nil},
		{"reopen by member", member, "POST", p("/api/v1/questionnaires/%d/reopen", qSent), nil, nil, 403, nil, nil},
		{"reopen", coordA, "POST", p("/api/v1/questionnaires/%d/reopen", qSent), js(map[string]any{"reason": "Ispravka broja"}), nil, 200, []string{`"status":"sent"`}, nil},
		{"reopen an open one", coordA, "POST", p("/api/v1/questionnaires/%d/reopen", qSent), nil, nil, 409, nil, nil},
		{"clear an answer", member, "PUT", p("/api/v1/questionnaires/%d/answers", qSent), func(w *world) any {
			return sitanAnswers(sitanQID(w, qSent, "main_obstacles"), nil)
		}, nil, 200, []string{`"status":"sent"`}, []string{"Nedostatak prevoza"}},
		{"answer of published analysis", member, "PUT", p("/api/v1/questionnaires/%d/answers", qPub), pesAnswers, nil, 409, nil, nil},
	})
}

// Vulnerable groups, findings and publishing through the API.
func TestSitanEvidenceAPI(t *testing.T) {
	t.Parallel()
	group := js(map[string]any{"group": "roma", "estimated_size": 180, "women": 90, "men": 85,
		"barriers": []string{"employment", "care_duties"}, "priority": 1})
	finding := func(org func(*world) int64) func(*world) any {
		return func(w *world) any {
			return map[string]any{"statement": "Romska djeca napuštaju školu nakon petog razreda.", "group": "dropouts",
				"barrier": "participation", "source_organisation_id": org(w)}
		}
	}
	pes := func(w *world) int64 { return w.OrgA2.ID }
	runAPI(t, []apiCase{
		{"fixture", viewer, "GET", p("/api/v1/situation-analyses/%d", sitanA), nil, nil, 200, nil, nil},
		{"add group", coordA, "POST", p("/api/v1/situation-analyses/%d/vulnerable-groups", sitanA), group, nil, 201,
			[]string{`"group":"roma"`, `"barriers":["employment","participation"]`, `"specific_barriers":["care_duties"]`, `"priority":1`}, nil},
		{"add group with bad values", coordA, "POST", p("/api/v1/situation-analyses/%d/vulnerable-groups", sitanA),
			js(map[string]any{"group": "aliens", "estimated_size": 10, "women": 8, "men": 5, "barriers": []string{"weather"}, "priority": 0}), nil, 422,
			[]string{`"group":`, `"women":`, `"barriers":`, `"priority":`}, nil},
		{"add group without size", coordA, "POST", p("/api/v1/situation-analyses/%d/vulnerable-groups", sitanA),
			js(map[string]any{"group": "roma", "barriers": []string{"employment"}, "priority": 1}), nil, 422, []string{`"estimated_size":`}, nil},
		{"add group by member", member, "POST", p("/api/v1/situation-analyses/%d/vulnerable-groups", sitanA), group, nil, 403, nil, nil},
		{"add group elsewhere", coordA, "POST", p("/api/v1/situation-analyses/%d/vulnerable-groups", sitanB), group, nil, 404, nil, nil},
		{"add group to published", coordA, "POST", p("/api/v1/situation-analyses/%d/vulnerable-groups", sitanP), group, nil, 409, nil, nil},
		{"list groups", viewer, "GET", p("/api/v1/situation-analyses/%d/vulnerable-groups", sitanA), nil, nil, 200, []string{`"estimated_size":180`}, nil},
		{"add finding", coordA, "POST", p("/api/v1/situation-analyses/%d/findings", sitanA), finding(pes), nil, 201,
			[]string{`"id":`, `"group":"dropouts"`, `"barrier":"participation"`}, nil},
		{"add finding from another municipality's organisation", coordA, "POST", p("/api/v1/situation-analyses/%d/findings", sitanA),
			finding(func(w *world) int64 { return w.OrgB.ID }), nil, 422, []string{`"source_organisation_id":`}, nil},
		{"add finding with bad values", coordA, "POST", p("/api/v1/situation-analyses/%d/findings", sitanA),
			js(map[string]any{"statement": "", "group": "x", "barrier": "y"}), nil, 422,
			[]string{`"statement":`, `"group":`, `"barrier":`, `"source_organisation_id":`}, nil},
		{"add finding by viewer", viewer, "POST", p("/api/v1/situation-analyses/%d/findings", sitanA), finding(pes), nil, 403, nil, nil},
		{"add finding to published", coordA, "POST", p("/api/v1/situation-analyses/%d/findings", sitanP), finding(pes), nil, 409, nil, nil},
		{"list findings", member, "GET", p("/api/v1/situation-analyses/%d/findings", sitanA), nil, nil, 200, []string{`"source_organisation_name":"Biro Bratunac"`}, nil},
		{"publish by member", member, "POST", p("/api/v1/situation-analyses/%d/publish", sitanA), nil, nil, 403, nil, nil},
		{"publish elsewhere", coordA, "POST", p("/api/v1/situation-analyses/%d/publish", sitanB), nil, nil, 404, nil, nil},
		{"publish with a stale If-Match", coordA, "POST", p("/api/v1/situation-analyses/%d/publish", sitanA), nil, []string{"If-Match", "5"}, 412, nil, nil},
		{"publish with unanswered questionnaires", coordA, "POST", p("/api/v1/situation-analyses/%d/publish", sitanA), nil, nil, 409, []string{"not answered yet"}, nil},
		{"publish without confirming", coordA, "POST", p("/api/v1/situation-analyses/%d/publish", sitanA), js(map[string]any{"confirm_unanswered": false}), nil, 409, nil, nil},
		{"publish with a malformed confirmation", coordA, "POST", p("/api/v1/situation-analyses/%d/publish", sitanA), js(map[string]any{"confirm_unanswered": "yes"}), nil, 400, nil, nil},
		{"publish", coordA, "POST", p("/api/v1/situation-analyses/%d/publish", sitanA), js(map[string]any{"confirm_unanswered": true}), nil, 200, []string{`"status":"published"`, `"version":2`}, nil},
		{"publish again", coordA, "POST", p("/api/v1/situation-analyses/%d/publish", sitanA), nil, nil, 409, nil, nil},
		{"add finding after publishing", coordA, "POST", p("/api/v1/situation-analyses/%d/findings", sitanA), finding(pes), nil, 409, nil, nil},
		{"answer after publishing", member, "PUT", p("/api/v1/questionnaires/%d/answers", qSent), js(sitanAnswers()), nil, 409, nil, nil},
		{"csv by coordinator", coordA, "GET", p("/api/v1/situation-analyses/%d/answers.csv", sitanA), nil, nil, 200,
			[]string{"organisation,organisation_type", "Centar za socijalni rad Bratunac", "social_assistance_able_to_work", ",160,70,90"}, nil},
		{"csv by member", member, "GET", p("/api/v1/situation-analyses/%d/answers.csv", sitanA), nil, nil, 403, nil, nil},
	})
}

// Every endpoint of the API answers an unauthenticated caller with 401.
func TestSitanAPIRequiresSignIn(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for _, path := range []string{"/api/v1/situation-analyses/1", "/api/v1/questionnaires/1", "/api/v1/focus-groups/1",
		"/api/v1/municipalities/1/situation-analyses", "/api/v1/municipalities/1/focus-groups"} {
		resp := w.API("", "GET", path, nil)
		if resp.StatusCode != 401 || !strings.Contains(testkit.Body(resp), "unauthenticated") {
			t.Errorf("%s: %d", path, resp.StatusCode)
		}
	}
}
