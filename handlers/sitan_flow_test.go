package handlers_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"pakt/app/testkit"
	"pakt/models"
)

// A partner fills the HTML form in several sittings, makes mistakes, submits;
// the coordinator reopens (audited).
func TestSitanAnswerForm(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := sfx(w)
	b := w.Login(member)
	path := fmt.Sprintf("/questionnaires/%d", f.QSent.ID)
	total := sitanQuestionID(t, w, f.QSent, "registered_unemployed")
	long := sitanQuestionID(t, w, f.QSent, "long_term_unemployed")
	coop := sitanQuestionID(t, w, f.QSent, "csw_cooperation")
	text := sitanQuestionID(t, w, f.QSent, "main_obstacles")

	page := testkit.Body(b.Get(path))
	if !strings.Contains(page, `name="version" value="1"`) {
		t.Fatal("form lacks the version")
	}
	// Bad values: each message next to its field, the typed values kept, nothing stored.
	bad := url.Values{"version": {"1"}, sitanField(total, ""): {"2.900"}, sitanField(long, ""): {"-3"},
		sitanField(coop, ""): {"sometimes"}}
	resp := b.PostForm(path+"/answers", bad)
	body := testkit.Body(resp)
	for _, s := range []string{`id="e-` + sitanField(total, "") + `"`, "Enter a whole number", `id="e-` + sitanField(long, "") + `"`,
		"cannot be negative", `id="e-` + sitanField(coop, "") + `"`, `value="2.900"`} {
		if resp.StatusCode != 422 || !strings.Contains(body, s) {
			t.Fatalf("bad values: status %d, body lacks %q", resp.StatusCode, s)
		}
	}
	split := url.Values{"version": {"1"}, sitanField(total, ""): {"100"}, sitanField(total, "women"): {"70"}, sitanField(total, "men"): {"40"}}
	if body := testkit.Body(b.PostForm(path+"/answers", split)); !strings.Contains(body, `id="e-`+sitanField(total, "women")+`"`) {
		t.Fatal("women + men > total not shown next to the field")
	}
	var n int64
	w.DB.Raw("SELECT count(*) FROM questionnaire_answers WHERE questionnaire_id = ?", f.QSent.ID).Scan(&n)
	if n != 0 {
		t.Fatalf("%d answers stored from invalid forms", n)
	}
	// First sitting: part of the answers.
	first := url.Values{"version": {"1"}, sitanField(total, ""): {"2900"}, sitanField(total, "women"): {"1500"},
		sitanField(total, "men"): {"1400"}, sitanField(text, ""): {"Nema prevoza iz sela."}}
	resp = b.PostForm(path+"/answers", first)
	if resp.StatusCode != 303 || resp.Header.Get("Location") != path {
		t.Fatalf("save: %d %s", resp.StatusCode, testkit.Body(resp))
	}
	page = testkit.Body(b.Get(path))
	for _, s := range []string{"Your answers were saved", `value="2900"`, `value="1500"`, "Nema prevoza iz sela.", `name="version" value="2"`} {
		if !strings.Contains(page, s) {
			t.Fatalf("resumed form lacks %q", s)
		}
	}
	// A form opened before that save is stale now.
	if body := testkit.Body(b.PostForm(path+"/answers", first)); !strings.Contains(body, "Someone else saved this") {
		t.Fatal("stale form accepted")
	}
	// Second sitting: the rest, and submit.
	second := url.Values{"version": {"2"}, sitanField(long, ""): {"1960"}, sitanField(coop, ""): {"monthly"}, sitanField(text, ""): {""}}
	if resp := b.PostForm(path+"/submit", second); resp.StatusCode != 303 {
		t.Fatalf("submit: %d %s", resp.StatusCode, testkit.Body(resp))
	}
	q, _ := models.GetQuestionnaire(t.Context(), w.DB, w.A.ID, f.QSent.ID)
	answers, _ := models.QuestionnaireAnswers(t.Context(), w.DB, w.A.ID, f.QSent.ID)
	if q.Status != "submitted" || q.SubmittedAt == nil || len(answers) != 3 || answers[total].Value() != "2900" || answers[coop].Value() != "monthly" {
		t.Fatalf("after submit: %s %v %d answers", q.Status, q.SubmittedAt, len(answers))
	}
	page = testkit.Body(b.Get(path))
	if strings.Contains(page, `id="answers"`) || !strings.Contains(page, "read-only") || !strings.Contains(page, "At least monthly") {
		t.Fatal("submitted questionnaire is not read-only")
	}
	// The coordinator reopens; the reason is in the audit log.
	c := w.Login(coordA)
	c.Get(path)
	if resp := c.PostForm(path+"/reopen", url.Values{"reason": {"Pogrešan broj dugoročno nezaposlenih"}, "version": {"4"}}); resp.StatusCode != 303 {
		t.Fatalf("reopen: %d %s", resp.StatusCode, testkit.Body(resp))
	}
	var reason string
	w.DB.Raw(`SELECT changes->>'reason' FROM audit_log WHERE action = 'reopen' AND object_type = 'questionnaire' AND object_id = ?
		AND user_id = ?`, f.QSent.ID, w.CoordA.ID).Scan(&reason)
	if reason != "Pogrešan broj dugoročno nezaposlenih" {
		t.Fatalf("reopening not audited: %q", reason)
	}
	if sitanAuditCount(w, "save_answers", "questionnaire", f.QSent.ID) != 2 || sitanAuditCount(w, "submit", "questionnaire", f.QSent.ID) != 1 {
		t.Fatal("answer writes not audited")
	}
	if page := testkit.Body(b.Get(path)); !strings.Contains(page, `id="answers"`) || !strings.Contains(page, `value="1960"`) {
		t.Fatal("reopened questionnaire cannot be answered again")
	}
}

// The dashboard lists the open questionnaires of the user's own
// organisation, late ones flagged; the public page lists published analyses.
func TestSitanDashboardAndPublicPage(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := sfx(w)
	body := testkit.Body(w.Login(member).Get("/dashboard"))
	if !strings.Contains(body, "Questionnaire to answer") || !strings.Contains(body, fmt.Sprintf("/questionnaires/%d", f.QSent.ID)) {
		t.Fatal("member's dashboard lacks its questionnaire")
	}
	if strings.Contains(body, fmt.Sprintf("/questionnaires/%d\"", f.QPub.ID)) || strings.Contains(body, fmt.Sprintf("/questionnaires/%d\"", f.QDraft.ID)) {
		t.Fatal("dashboard lists a questionnaire of a published analysis or a draft")
	}
	if strings.Contains(body, `class="late"`) {
		t.Fatal("a questionnaire due in two weeks is late")
	}
	w.DB.Exec("UPDATE questionnaires SET due_date = current_date - 3 WHERE id = ?", f.QSent.ID)
	if body := testkit.Body(w.Login(member).Get("/dashboard")); !strings.Contains(body, `<strong class="late">Late</strong> <span class="task-kind">Questionnaire to answer:`) {
		t.Fatal("late questionnaire not flagged")
	}
	if body := testkit.Body(w.Login(memberCSW).Get("/dashboard")); strings.Contains(body, "Questionnaire to answer") {
		t.Fatal("the centre for social work sees the employment service's questionnaire (its own is submitted)")
	}
	if body := testkit.Body(w.Login(viewer).Get("/dashboard")); strings.Contains(body, "Questionnaire to answer") {
		t.Fatal("a viewer cannot answer, so it gets no task")
	}
	pub := testkit.Body(w.Anonymous().Get("/m/" + w.A.Slug))
	if !strings.Contains(pub, fmt.Sprintf("/m/%s/situation-analyses/%d", w.A.Slug, f.Pub.ID)) || !strings.Contains(pub, "/m/"+w.A.Slug+"/heard") ||
		strings.Contains(pub, fmt.Sprintf("situation-analyses/%d\"", f.S.ID)) {
		t.Fatal("public page: published analysis and what we heard expected, nothing else")
	}
}

// Several organisations answer: registers of the owning type add up, other
// registers are shown next to the headline and flagged when they differ.
func TestSitanIndicatorsFromSeveralOrganisations(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := sfx(w)
	school1 := w.Organisation(w.A.ID, "OŠ Petar Petrović Njegoš", "education")
	school2 := w.Organisation(w.A.ID, "JU Srednja škola Bratunac", "education")
	ngo2 := w.Organisation(w.A.ID, "Romski informativni centar", "ngo")
	answerAll(t, w, f.QSent, map[string][3]string{"registered_unemployed": {"2900", "1500", "1400"},
		"social_assistance_able_to_work": {"142", "60", "82"}})
	mustSubmit(t, w, f.QSent)
	csw2 := mustQuestionnaire(t, w, w.A.ID, f.S.ID, f.OrgCSW.ID, "education", true) // the CSW also reports drop-outs
	answerAll(t, w, csw2, map[string][3]string{"school_dropouts": {"21", "", ""}})
	mustSubmit(t, w, csw2)
	for org, v := range map[int64][3]string{school1.ID: {"12", "5", "7"}, school2.ID: {"9", "4", "5"}} {
		q := mustQuestionnaire(t, w, w.A.ID, f.S.ID, org, "education", true)
		answerAll(t, w, q, map[string][3]string{"school_dropouts": v})
		mustSubmit(t, w, q)
	}
	if _, err := models.SendQuestionnaire(t.Context(), w.DB, models.Actor{}, w.A.ID, f.QDraft.ID, 0); err != nil {
		t.Fatal(err)
	}
	for q, v := range map[*models.Questionnaire]string{f.QDraft: "180", mustQuestionnaire(t, w, w.A.ID, f.S.ID, ngo2.ID, "ngo", true): "75"} {
		answerAll(t, w, q, map[string][3]string{"ngo_beneficiaries": {v, "", ""}})
		mustSubmit(t, w, q)
	}
	unsubmitted := mustQuestionnaire(t, w, w.A.ID, f.S.ID, w.OrgA.ID, "health", true)
	answerAll(t, w, unsubmitted, map[string][3]string{"pwd_working_age": {"400", "", ""}})

	vals, err := models.SitanIndicators(t.Context(), w.DB, w.A.ID, f.S.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]models.IndicatorValue{}
	for _, v := range vals {
		got[v.Indicator] = v
	}
	check := func(code string, value int64, conflict bool, counted int) {
		t.Helper()
		v := got[code]
		if v.Value != value || v.Conflict != conflict || len(v.Counted()) != counted {
			t.Errorf("%s: value %d conflict %v counted %d; want %d %v %d (%+v)", code, v.Value, v.Conflict, len(v.Counted()), value, conflict, counted, v.Values)
		}
	}
	check("registered_unemployed", 2900, false, 1)
	check("social_assistance_able_to_work", 160, true, 1) // CSW's register, PES reports 142
	check("school_dropouts", 21, false, 2)                // two schools 12 + 9; the CSW's 21 agrees
	check("ngo_beneficiaries", 255, false, 2)             // each NGO its own clients
	if _, ok := got["pwd_working_age"]; ok {
		t.Error("unsubmitted answers counted")
	}
	if sd := got["school_dropouts"]; sd.Women == nil || *sd.Women != 9 || *sd.Men != 12 {
		t.Errorf("drop-outs by sex come from the two schools (5+4, 7+5): %+v", sd)
	}
	if ngo := got["ngo_beneficiaries"]; ngo.Women != nil {
		t.Errorf("women summed although the NGOs gave no split: %v", *ngo.Women)
	}
	page := testkit.Body(w.Login(viewer).Get(fmt.Sprintf("/situation-analyses/%d", f.S.ID)))
	row := sitanBetween(page, `data-indicator="social_assistance_able_to_work"`, "</tr>")
	for _, s := range []string{"sources disagree", `<span lang="bs">Centar za socijalni rad Bratunac</span>: 160`, `<span lang="bs">Biro Bratunac</span>: 142 <em>(not added)</em>`, `<td class="num value">160</td>`} {
		if !strings.Contains(row, s) {
			t.Errorf("indicator row lacks %q: %s", s, row)
		}
	}
	if row := sitanBetween(page, `data-indicator="school_dropouts"`, "</tr>"); !strings.Contains(row, `<span lang="bs">OŠ Petar Petrović Njegoš</span>: 12`) ||
		!strings.Contains(row, `<span lang="bs">JU Srednja škola Bratunac</span>: 9`) || !strings.Contains(row, `<td class="num value">21</td>`) {
		t.Errorf("drop-outs row: %s", row)
	}
}

// Published analyses are frozen by the database itself.
func TestSitanFreezeTrigger(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := sfx(w)
	must := func(sql string, args ...any) {
		t.Helper()
		if err := w.DB.Exec(sql, args...).Error; err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	refused := func(sql string, args ...any) {
		t.Helper()
		err := w.DB.Exec(sql, args...).Error
		if err == nil || !strings.Contains(err.Error(), "55000") {
			t.Errorf("%s: want refusal (SQLSTATE 55000), got %v", sql, err)
		}
	}
	g, err := models.AddVulnerableGroup(t.Context(), w.DB, models.Actor{}, w.A.ID, f.S.ID, models.VulnerableGroupInput{Group: "roma",
		EstimatedSize: 50, Barriers: []string{"employment"}, Priority: 1})
	if err != nil {
		t.Fatal(err)
	}
	fd, err := models.AddFinding(t.Context(), w.DB, models.Actor{}, w.A.ID, f.S.ID, models.FindingInput{Statement: "Nalaz",
		Group: "roma", Barrier: "information", SourceOrganisationID: w.OrgA2.ID})
	if err != nil {
		t.Fatal(err)
	}
	// While collecting, everything may change.
	must("UPDATE situation_analyses SET title = 'Nova' WHERE id = ?", f.S.ID)
	must("UPDATE vulnerable_groups SET priority = 2 WHERE id = ?", g.ID)
	must("UPDATE sitan_findings SET statement = 'Nalaz 2' WHERE id = ?", fd.ID)
	// Submitted answers are read-only until reopened.
	refused("UPDATE questionnaire_answers SET number_value = 1 WHERE questionnaire_id = ?", f.QSubmitted.ID)
	refused("DELETE FROM questionnaire_answers WHERE questionnaire_id = ?", f.QSubmitted.ID)

	if _, err := models.PublishSitan(t.Context(), w.DB, models.Actor{}, w.A.ID, f.S.ID, 0); err != nil {
		t.Fatal(err)
	}
	refused("UPDATE situation_analyses SET title = 'Druga' WHERE id = ?", f.S.ID)
	refused("UPDATE situation_analyses SET status = 'collecting', published_at = NULL WHERE id = ?", f.S.ID)
	refused("DELETE FROM situation_analyses WHERE id = ?", f.S.ID)
	refused("UPDATE questionnaires SET status = 'sent' WHERE id = ?", f.QSubmitted.ID)
	refused("UPDATE questionnaires SET due_date = '2030-01-01' WHERE id = ?", f.QSent.ID)
	refused("DELETE FROM questionnaires WHERE id = ?", f.QDraft.ID)
	refused("UPDATE questionnaire_questions SET text_en = 'x' WHERE questionnaire_id = ?", f.QSent.ID)
	refused(`INSERT INTO questionnaire_answers (municipality_id, situation_analysis_id, questionnaire_id, question_id, number_value)
		SELECT municipality_id, situation_analysis_id, questionnaire_id, id, 5 FROM questionnaire_questions
		WHERE questionnaire_id = ? AND code = 'registered_unemployed'`, f.QSent.ID)
	refused("UPDATE vulnerable_groups SET estimated_size = 1 WHERE id = ?", g.ID)
	refused("DELETE FROM vulnerable_groups WHERE id = ?", g.ID)
	refused(`INSERT INTO vulnerable_groups (municipality_id, situation_analysis_id, group_code, estimated_size, barriers, priority)
		VALUES (?, ?, 'women', 5, '{employment}', 3)`, w.A.ID, f.S.ID)
	refused("UPDATE sitan_findings SET statement = 'Promijenjeno' WHERE id = ?", fd.ID)
	refused("DELETE FROM sitan_findings WHERE id = ?", fd.ID)
	var title string
	w.DB.Raw("SELECT title FROM situation_analyses WHERE id = ?", f.S.ID).Scan(&title)
	if title != "Nova" {
		t.Fatalf("title %q", title)
	}
	// Through the models the refusal is a state error (409), not a failure.
	if _, err := models.AddVulnerableGroup(t.Context(), w.DB, models.Actor{}, w.A.ID, f.S.ID, models.VulnerableGroupInput{Group: "roma",
		EstimatedSize: 5, Barriers: []string{"employment"}, Priority: 1}); err == nil || !strings.Contains(err.Error(), "state conflict") {
		t.Fatalf("model write to a published analysis: %v", err)
	}
	// The database also keeps the counts sane, whatever the code does.
	refused2 := func(sql string, args ...any) {
		t.Helper()
		if err := w.DB.Exec(sql, args...).Error; err == nil || !strings.Contains(err.Error(), "23514") {
			t.Errorf("%s: want a check violation, got %v", sql, err)
		}
	}
	refused2(`INSERT INTO focus_groups (municipality_id, held_on, place, groups, participants_total, participants_women,
		participants_men, consent_obtained) VALUES (?, '2016-11-01', 'X', '{roma}', 10, 6, 5, true)`, w.A.ID)
	refused2(`INSERT INTO focus_groups (municipality_id, held_on, place, groups, participants_total, participants_women,
		participants_men, consent_obtained) VALUES (?, '2016-11-01', 'X', '{roma}', 10, 6, 4, false)`, w.A.ID)
}

// The overview's forms with real ids: a draft questionnaire, one sent at
// once, and a finding; each write audited.
func TestSitanOverviewForms(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := sfx(w)
	b := w.Login(coordA)
	path := fmt.Sprintf("/situation-analyses/%d", f.S.ID)
	b.Get(path)
	resp := b.PostForm(path+"/questionnaires", url.Values{"organisation_id": {fmt.Sprint(w.OrgA.ID)}, "template": {"police"}, "due_date": {"2017-03-01"}})
	if resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/questionnaires/") {
		t.Fatalf("draft questionnaire: %d %s", resp.StatusCode, testkit.Body(resp))
	}
	resp = b.PostForm(path+"/questionnaires", url.Values{"organisation_id": {fmt.Sprint(w.OrgA.ID)}, "template": {"judiciary"},
		"due_date": {"2017-03-01"}, "send": {"1"}})
	if resp.StatusCode != 303 {
		t.Fatalf("sent questionnaire: %d", resp.StatusCode)
	}
	var statuses []string
	w.DB.Raw("SELECT status FROM questionnaires WHERE organisation_id = ? ORDER BY template DESC", w.OrgA.ID).Scan(&statuses)
	if strings.Join(statuses, ",") != "draft,sent" {
		t.Fatalf("statuses %v", statuses)
	}
	resp = b.PostForm(path+"/questionnaires", url.Values{"organisation_id": {fmt.Sprint(w.OrgA.ID)}, "template": {"police"}, "due_date": {"2017-03-01"}})
	if body := testkit.Body(resp); resp.StatusCode != 422 || !strings.Contains(body, "already has a questionnaire of this kind") {
		t.Fatalf("duplicate questionnaire: %d", resp.StatusCode)
	}
	resp = b.PostForm(path+"/findings", url.Values{"statement": {"Dvije trećine nezaposlenih traži posao duže od godinu dana."},
		"finding_group": {"long_term_unemployed"}, "barrier": {"employment"}, "source_organisation_id": {fmt.Sprint(w.OrgA2.ID)}})
	if resp.StatusCode != 303 {
		t.Fatalf("finding: %d %s", resp.StatusCode, testkit.Body(resp))
	}
	page := testkit.Body(b.Get(path))
	if !strings.Contains(page, "Dvije trećine nezaposlenih") || !strings.Contains(page, "The finding was added.") {
		t.Fatal("finding not shown")
	}
	var n int64
	w.DB.Raw(`SELECT count(*) FROM audit_log WHERE user_id = ? AND ((object_type = 'questionnaire' AND action = 'create')
		OR (object_type = 'finding' AND action = 'create'))`, w.CoordA.ID).Scan(&n)
	if n != 3 {
		t.Fatalf("audit rows %d, want 3", n)
	}
}
