package handlers_test

import (
	"net/url"
	"testing"
)

// The situation-analysis pages: every page and form with the happy path, bad
// input, the wrong role, another municipality and the wrong state (409).
func TestSitanPages(t *testing.T) {
	t.Parallel()
	newSitan := url.Values{"title": {"Analiza stanja 2017"}, "year": {"2017"}}
	newQ := func(org string) url.Values {
		return url.Values{"organisation_id": {org}, "template": {"health"}, "due_date": {"2017-03-01"}}
	}
	group := url.Values{"group": {"roma"}, "estimated_size": {"180"}, "women": {"90"}, "men": {"85"},
		"specific_barriers": {"education", "discrimination"}, "priority": {"1"}}
	sitanRun(t, []scenario{
		{"list as coordinator", coordA, "GET", p("/municipalities/%d/situation-analyses", idA), nil, false, 200,
			[]string{"Analiza stanja 2016", "Analiza stanja 2015", "Open a situation analysis", `name="_csrf"`}, []string{"Zvornik"}},
		{"list as viewer has no form", viewer, "GET", p("/municipalities/%d/situation-analyses", idA), nil, false, 200,
			[]string{"Analiza stanja 2016"}, []string{"Open analysis"}},
		{"list of other municipality", coordZ, "GET", p("/municipalities/%d/situation-analyses", idA), nil, false, 404, nil, []string{"Analiza stanja 2016"}},
		{"list anonymous goes to login", "", "GET", p("/municipalities/%d/situation-analyses", idA), nil, false, 303, nil, nil},
		{"create", coordA, "POST", p("/municipalities/%d/situation-analyses", idA), newSitan, false, 303, nil, nil},
		{"create with bad values", coordA, "POST", p("/municipalities/%d/situation-analyses", idA),
			url.Values{"title": {""}, "year": {"twenty"}}, false, 422, []string{`id="e-title"`, `id="e-year"`, "Enter a whole number"}, nil},
		{"create with old year", coordA, "POST", p("/municipalities/%d/situation-analyses", idA),
			url.Values{"title": {"X"}, "year": {"1990"}}, false, 422, []string{`id="e-year"`}, nil},
		{"create by member", member, "POST", p("/municipalities/%d/situation-analyses", idA), newSitan, false, 403, nil, nil},
		{"create elsewhere", coordZ, "POST", p("/municipalities/%d/situation-analyses", idA), newSitan, false, 404, nil, nil},
		{"create without csrf", coordA, "POST", p("/municipalities/%d/situation-analyses", idA), newSitan, true, 403, nil, nil},

		{"overview as coordinator", coordA, "GET", p("/situation-analyses/%d", sitanA), nil, false, 200,
			[]string{"Biro Bratunac", "Centar za socijalni rad Bratunac", "Asked: 2 · answered: 1 · late: 0",
				"Social-assistance recipients able to work", `data-indicator="social_assistance_able_to_work"`, "160",
				"/answers.csv", "Publish the analysis", "Send a questionnaire"}, nil},
		{"overview as member has no forms", member, "GET", p("/situation-analyses/%d", sitanA), nil, false, 200,
			[]string{"Centar za socijalni rad Bratunac"}, []string{"Publish the analysis", "/answers.csv", "Add a finding"}},
		{"overview of other municipality", coordA, "GET", p("/situation-analyses/%d", sitanB), nil, false, 404, nil, []string{"Zvornik"}},
		{"overview of missing analysis", admin, "GET", p("/situation-analyses/999999"), nil, false, 404, nil, nil},
		{"published overview has no forms", coordA, "GET", p("/situation-analyses/%d", sitanP), nil, false, 200,
			[]string{"Published", "Public report", "2,900"}, []string{"Send a questionnaire", "Publish the analysis"}},

		{"questionnaire form for its organisation", member, "GET", p("/questionnaires/%d", qSent), nil, false, 200,
			[]string{`id="answers"`, "How many persons were registered as unemployed", "of them women", `inputmode="numeric"`}, nil},
		{"questionnaire read-only for another organisation", memberCSW, "GET", p("/questionnaires/%d", qSent), nil, false, 200,
			[]string{"not answered"}, []string{`id="answers"`}},
		{"questionnaire read-only for viewer", viewer, "GET", p("/questionnaires/%d", qSubm), nil, false, 200,
			[]string{"read-only", "160"}, []string{`id="answers"`, "Reopen"}},
		{"submitted questionnaire offers reopening", coordA, "GET", p("/questionnaires/%d", qSubm), nil, false, 200, []string{"Reopen for changes"}, nil},
		{"draft offers own questions", coordA, "GET", p("/questionnaires/%d", qDraft), nil, false, 200,
			[]string{"Add your own question", "Send to the partner"}, []string{`id="answers"`}},
		{"questionnaire of other municipality", coordA, "GET", p("/questionnaires/%d", qB), nil, false, 404, nil, nil},

		{"add questionnaire", coordA, "POST", p("/situation-analyses/%d/questionnaires", sitanA), newQ("0"), false, 422, []string{`id="e-organisation_id"`}, nil},
		{"add questionnaire with bad date", coordA, "POST", p("/situation-analyses/%d/questionnaires", sitanA),
			url.Values{"organisation_id": {"1"}, "template": {"health"}, "due_date": {"1.3.2017"}}, false, 422, []string{`id="e-due_date"`}, nil},
		{"add questionnaire with unknown template", coordA, "POST", p("/situation-analyses/%d/questionnaires", sitanA),
			url.Values{"organisation_id": {"1"}, "template": {"bank"}, "due_date": {"2017-03-01"}}, false, 422, []string{`id="e-template"`}, nil},
		{"add questionnaire by member", member, "POST", p("/situation-analyses/%d/questionnaires", sitanA), newQ("1"), false, 403, nil, nil},
		{"add questionnaire elsewhere", coordA, "POST", p("/situation-analyses/%d/questionnaires", sitanB), newQ("1"), false, 404, nil, nil},
		{"add questionnaire to published", coordA, "POST", p("/situation-analyses/%d/questionnaires", sitanP), newQ("1"), false, 409, nil, nil},

		{"own question", coordA, "POST", p("/questionnaires/%d/questions", qDraft),
			url.Values{"text_bs": {"Koliko volontera imate?"}, "kind": {"number"}}, false, 303, nil, nil},
		{"own choice question without options", coordA, "POST", p("/questionnaires/%d/questions", qDraft),
			url.Values{"text_en": {"Which?"}, "kind": {"choice"}, "options": {"only one"}}, false, 422, []string{`id="e-options"`}, nil},
		{"own question without text", coordA, "POST", p("/questionnaires/%d/questions", qDraft),
			url.Values{"kind": {"number"}}, false, 422, []string{`id="e-text_en"`}, nil},
		{"own question by member", member, "POST", p("/questionnaires/%d/questions", qDraft), url.Values{"text_en": {"X"}, "kind": {"text"}}, false, 403, nil, nil},
		{"own question on a sent questionnaire", coordA, "POST", p("/questionnaires/%d/questions", qSent), url.Values{"text_en": {"X"}, "kind": {"text"}}, false, 409, nil, nil},
		{"draft shows own question", coordA, "GET", p("/questionnaires/%d", qDraft), nil, false, 200, []string{"Koliko volontera imate?"}, nil},
		{"send by member", member, "POST", p("/questionnaires/%d/send", qDraft), nil, false, 403, nil, nil},
		{"send", coordA, "POST", p("/questionnaires/%d/send", qDraft), nil, false, 303, nil, nil},
		{"send again", coordA, "POST", p("/questionnaires/%d/send", qDraft), nil, false, 409, nil, nil},

		{"save answers of another organisation", memberCSW, "POST", p("/questionnaires/%d/answers", qSent), nil, false, 403, nil, nil},
		{"save answers as viewer", viewer, "POST", p("/questionnaires/%d/answers", qSent), nil, false, 403, nil, nil},
		{"save answers elsewhere", coordZ, "POST", p("/questionnaires/%d/answers", qSent), nil, false, 404, nil, nil},
		{"save answers of a submitted questionnaire", memberCSW, "POST", p("/questionnaires/%d/answers", qSubm), nil, false, 409, nil, nil},
		{"save answers of a published analysis", member, "POST", p("/questionnaires/%d/answers", qPub), nil, false, 409, nil, nil},
		{"submit without answers", member, "POST", p("/questionnaires/%d/submit", qSent), nil, false, 422, []string{"Answer at least one question"}, nil},
		{"submit twice", memberCSW, "POST", p("/questionnaires/%d/submit", qSubm), nil, false, 409, nil, nil},
		{"reopen by member", memberCSW, "POST", p("/questionnaires/%d/reopen", qSubm), nil, false, 403, nil, nil},
		{"reopen an open questionnaire", coordA, "POST", p("/questionnaires/%d/reopen", qSent), nil, false, 409, nil, nil},
		{"reopen", coordA, "POST", p("/questionnaires/%d/reopen", qSubm), url.Values{"reason": {"Pogrešan broj korisnika"}}, false, 303, nil, nil},
		{"reopened can be answered again", memberCSW, "GET", p("/questionnaires/%d", qSubm), nil, false, 200, []string{`id="answers"`, `value="160"`}, nil},

		{"add group", coordA, "POST", p("/situation-analyses/%d/vulnerable-groups", sitanA), group, false, 303, nil, nil},
		{"add group with bad values", coordA, "POST", p("/situation-analyses/%d/vulnerable-groups", sitanA),
			url.Values{"group": {"aliens"}, "estimated_size": {"ten"}, "women": {"8"}, "men": {"5"}, "priority": {"1"}}, false, 422,
			[]string{`id="e-group"`, `id="e-estimated_size"`, `id="e-women"`}, nil},
		{"add group without barriers", coordA, "POST", p("/situation-analyses/%d/vulnerable-groups", sitanA),
			url.Values{"group": {"roma"}, "estimated_size": {"10"}, "priority": {"1"}}, false, 422, []string{`id="e-barriers"`}, nil},
		{"add group where women and men exceed the size", coordA, "POST", p("/situation-analyses/%d/vulnerable-groups", sitanA),
			url.Values{"group": {"roma"}, "estimated_size": {"10"}, "women": {"8"}, "men": {"5"}, "barriers": {"employment"}, "priority": {"1"}}, false, 422,
			[]string{`id="e-women"`, "Women and men together cannot be more than the total"}, nil},
		{"add group by member", member, "POST", p("/situation-analyses/%d/vulnerable-groups", sitanA), group, false, 403, nil, nil},
		{"add group to published", coordA, "POST", p("/situation-analyses/%d/vulnerable-groups", sitanP), group, false, 409, nil, nil},
		{"add group elsewhere", coordA, "POST", p("/situation-analyses/%d/vulnerable-groups", sitanB), group, false, 404, nil, nil},
		{"overview shows the group", coordA, "GET", p("/situation-analyses/%d", sitanA), nil, false, 200,
			[]string{"Roma", "Low education attainment", "Discrimination by employers", "Employment barriers"}, nil},

		{"add finding with bad values", coordA, "POST", p("/situation-analyses/%d/findings", sitanA),
			url.Values{"statement": {""}, "finding_group": {"x"}, "barrier": {"weather"}}, false, 422,
			[]string{`id="e-statement"`, `id="e-finding_group"`, `id="e-barrier"`, `id="e-source_organisation_id"`}, nil},
		{"add finding by viewer", viewer, "POST", p("/situation-analyses/%d/findings", sitanA), url.Values{"statement": {"x"}}, false, 403, nil, nil},
		{"add finding to published", coordA, "POST", p("/situation-analyses/%d/findings", sitanP), url.Values{"statement": {"x"}}, false, 409, nil, nil},

		{"report for anonymous goes to login", "", "GET", p("/situation-analyses/%d/report", sitanA), nil, false, 303, nil, nil},
		{"report for a user without a role", nobody, "GET", p("/situation-analyses/%d/report", sitanA), nil, false, 404, nil, nil},
		{"pdf of other municipality", coordZ, "GET", p("/situation-analyses/%d/report.pdf", sitanA), nil, false, 404, nil, nil},
		{"report preview", viewer, "GET", p("/situation-analyses/%d/report", sitanA), nil, false, 200,
			[]string{"Preview: this analysis is not published yet.", "Baseline indicators", "Who contributed"}, nil},
		{"csv by member", member, "GET", p("/situation-analyses/%d/answers.csv", sitanA), nil, false, 403, nil, nil},
		{"csv elsewhere", coordZ, "GET", p("/situation-analyses/%d/answers.csv", sitanA), nil, false, 404, nil, nil},
		{"public report of unpublished analysis", "", "GET", p("/m/%s/situation-analyses/%d", sitanSlugA, sitanA), nil, false, 404, nil, nil},
		{"public report under another municipality", "", "GET", p("/m/%s/situation-analyses/%d", sitanSlugB, sitanP), nil, false, 404, nil, nil},
		{"public report", "", "GET", p("/m/%s/situation-analyses/%d", sitanSlugA, sitanP), nil, false, 200,
			[]string{"Analiza stanja 2015", "2,900", "Biro Bratunac"}, []string{"Preview"}},
		{"public page links published analyses", "", "GET", p("/m/%s", sitanSlugA), nil, false, 200,
			[]string{"Analiza stanja 2015", "/heard"}, []string{"Analiza stanja 2016"}},

		{"publish by member", member, "POST", p("/situation-analyses/%d/publish", sitanA), nil, false, 403, nil, nil},
		{"publish elsewhere", coordA, "POST", p("/situation-analyses/%d/publish", sitanB), nil, false, 404, nil, nil},
		{"publish with a stale form", coordA, "POST", p("/situation-analyses/%d/publish", sitanA), url.Values{"version": {"99"}}, false, 422,
			[]string{"Someone else saved this"}, nil},
		{"publish with unanswered questionnaires", coordA, "POST", p("/situation-analyses/%d/publish", sitanA), url.Values{"version": {"1"}}, false, 409,
			[]string{`id="e-confirm_unanswered"`, "have no submitted answers yet", "Udruženje Podrinjke"}, nil},
		{"publish", coordA, "POST", p("/situation-analyses/%d/publish", sitanA), url.Values{"version": {"1"}, "confirm_unanswered": {"yes"}}, false, 303, nil, nil},
		{"publish again", coordA, "POST", p("/situation-analyses/%d/publish", sitanA), nil, false, 409, []string{"Not possible now"}, nil},
		{"published report is public", "", "GET", p("/m/%s/situation-analyses/%d", sitanSlugA, sitanA), nil, false, 200, []string{"Analiza stanja 2016"}, nil},
	})
}
