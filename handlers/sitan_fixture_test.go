package handlers_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"pakt/app/testkit"
	"pakt/models"
)

// sitanFx is the situation-analysis state of a test world: in municipality
// A an analysis still collecting (a questionnaire sent to the employment
// service, one submitted by the centre for social work, one draft for an
// NGO), a published one, and a focus group; in B an analysis and a focus group.
type sitanFx struct {
	S, Pub, SB                          *models.SituationAnalysis
	QSent, QSubmitted, QDraft, QPub, QB *models.Questionnaire
	OrgCSW, OrgNGO                      *models.Organisation
	MemCSW                              *models.User
	FG, FGB                             *models.FocusGroup
}

const memberCSW = "member.csw@test.ba"

var (
	sitanFxMu sync.Mutex
	sitanFxs  = map[*world]*sitanFx{}
)

// sfx builds the fixture of w once.
func sfx(w *world) *sitanFx {
	sitanFxMu.Lock()
	defer sitanFxMu.Unlock()
	if f := sitanFxs[w]; f != nil {
		return f
	}
	f := buildSitanFx(w)
	sitanFxs[w] = f
	return f
}

func buildSitanFx(w *world) *sitanFx {
	t := w.T
	t.Helper()
	ctx, a := context.Background(), models.Actor{UserID: w.CoordA.ID, IP: "test"}
	f := &sitanFx{}
	f.OrgCSW = w.Organisation(w.A.ID, "Centar za socijalni rad Bratunac", "csw")
	f.OrgNGO = w.Organisation(w.A.ID, "Udruženje Podrinjke", "ngo")
	f.MemCSW = w.User(memberCSW, false, &f.OrgCSW.ID, w.A.ID, models.RoleMember)
	f.S = mustSitan(t, w.A.ID, w, "Analiza stanja 2016")
	f.QSent = mustQuestionnaire(t, w, w.A.ID, f.S.ID, w.OrgA2.ID, "pes", true)
	f.QSubmitted = mustQuestionnaire(t, w, w.A.ID, f.S.ID, f.OrgCSW.ID, "csw", true)
	answerAll(t, w, f.QSubmitted, map[string][3]string{"social_assistance_able_to_work": {"160", "70", "90"}})
	mustSubmit(t, w, f.QSubmitted)
	f.QDraft = mustQuestionnaire(t, w, w.A.ID, f.S.ID, f.OrgNGO.ID, "ngo", false)
	f.Pub = mustSitan(t, w.A.ID, w, "Analiza stanja 2015")
	f.QPub = mustQuestionnaire(t, w, w.A.ID, f.Pub.ID, w.OrgA2.ID, "pes", true)
	answerAll(t, w, f.QPub, map[string][3]string{"registered_unemployed": {"2900", "1500", "1400"}})
	mustSubmit(t, w, f.QPub)
	if _, err := models.PublishSitan(ctx, w.DB, a, w.A.ID, f.Pub.ID, 0); err != nil {
		t.Fatal(err)
	}
	f.SB = mustSitan(t, w.B.ID, w, "Analiza stanja Zvornik")
	f.QB = mustQuestionnaire(t, w, w.B.ID, f.SB.ID, w.OrgB.ID, "pes", true)
	f.FG = mustFocusGroup(t, w, w.A.ID, 12, 9, 3)
	f.FGB = mustFocusGroup(t, w, w.B.ID, 7, 4, 3)
	return f
}

func mustSitan(t testing.TB, muni int64, w *world, title string) *models.SituationAnalysis {
	t.Helper()
	s, err := models.CreateSitan(context.Background(), w.DB, models.Actor{IP: "test"}, muni, models.SitanInput{Title: title, Year: 2016})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustQuestionnaire(t testing.TB, w *world, muni, sitan, org int64, tmpl string, send bool) *models.Questionnaire {
	t.Helper()
	q, err := models.CreateQuestionnaire(context.Background(), w.DB, models.Actor{IP: "test"}, muni, sitan,
		models.QuestionnaireInput{OrganisationID: org, Template: tmpl, DueDate: time.Now().AddDate(0, 0, 14), Send: send})
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// questionID finds a question of a questionnaire by its code.
func sitanQuestionID(t testing.TB, w *world, q *models.Questionnaire, code string) int64 {
	t.Helper()
	var id int64
	w.DB.Raw("SELECT id FROM questionnaire_questions WHERE questionnaire_id = ? AND code = ?", q.ID, code).Scan(&id)
	if id == 0 {
		t.Fatalf("questionnaire %d has no question %s", q.ID, code)
	}
	return id
}

// answerAll stores answers (value, women, men) by question code.
func answerAll(t testing.TB, w *world, q *models.Questionnaire, vals map[string][3]string) {
	t.Helper()
	var in []models.AnswerInput
	for code, v := range vals {
		in = append(in, models.AnswerInput{QuestionID: sitanQuestionID(t, w, q, code), Value: v[0], Women: v[1], Men: v[2]})
	}
	if _, err := models.SaveAnswers(context.Background(), w.DB, models.Actor{IP: "test"}, q.MunicipalityID, q.ID, 0, in); err != nil {
		t.Fatal(err)
	}
}

func mustSubmit(t testing.TB, w *world, q *models.Questionnaire) {
	t.Helper()
	if _, err := models.SubmitQuestionnaire(context.Background(), w.DB, models.Actor{IP: "test"}, q.MunicipalityID, q.ID, 0); err != nil {
		t.Fatal(err)
	}
}

func mustFocusGroup(t testing.TB, w *world, muni int64, total, women, men int) *models.FocusGroup {
	t.Helper()
	fg, err := models.CreateFocusGroup(context.Background(), w.DB, models.Actor{IP: "test"}, muni, models.FocusGroupInput{
		HeldOn: time.Date(2016, 11, 8, 0, 0, 0, 0, time.UTC), Place: "Voljavica", Groups: []string{"roma"},
		Total: total, Women: women, Men: men, ConsentObtained: true,
		Needs: []models.NeedInput{{Statement: "Pratnja pri prijavi na biro", Barrier: "information", Priority: 1, Quote: "Ne znam koji papir da tražim."}}})
	if err != nil {
		t.Fatal(err)
	}
	return fg
}

// Path helpers for scenarios.
var (
	sitanA     = func(w *world) any { return sfx(w).S.ID }
	sitanP     = func(w *world) any { return sfx(w).Pub.ID }
	sitanB     = func(w *world) any { return sfx(w).SB.ID }
	qSent      = func(w *world) any { return sfx(w).QSent.ID }
	qSubm      = func(w *world) any { return sfx(w).QSubmitted.ID }
	qDraft     = func(w *world) any { return sfx(w).QDraft.ID }
	qPub       = func(w *world) any { return sfx(w).QPub.ID }
	qB         = func(w *world) any { return sfx(w).QB.ID }
	fgA        = func(w *world) any { return sfx(w).FG.ID }
	fgB        = func(w *world) any { return sfx(w).FGB.ID }
	sitanSlugA = func(w *world) any { return w.A.Slug }
	sitanSlugB = func(w *world) any { return w.B.Slug }
)

// runShared runs HTML scenarios one after another on one world (its
// fixture built first), signing each person in once. Scenarios that change
// state are ordered in the table.
func sitanRun(t *testing.T, cases []scenario) {
	t.Helper()
	w := newWorld(t)
	sfx(w)
	browsers := map[string]*testkit.Browser{}
	for _, sc := range cases {
		t.Run(sc.name, func(t *testing.T) {
			w.T = t
			b := w.Anonymous()
			if sc.who != "" {
				if browsers[sc.who] == nil {
					browsers[sc.who] = w.Login(sc.who)
				}
				b = browsers[sc.who]
			}
			sitanCheck(t, b, sc, sc.path(w))
		})
	}
}

func sitanCheck(t *testing.T, b *testkit.Browser, sc scenario, path string) {
	t.Helper()
	form := url.Values{}
	for k, v := range sc.form {
		form[k] = append([]string(nil), v...)
	}
	var resp *http.Response
	switch {
	case sc.method == http.MethodGet:
		resp = b.Get(path)
	case sc.noCSRF:
		resp = b.PostFormRaw(path, form)
	default:
		resp = b.PostForm(path, form)
	}
	body := testkit.Body(resp)
	if resp.StatusCode != sc.status {
		t.Fatalf("%s %s as %q: status %d, want %d\n%s", sc.method, path, sc.who, resp.StatusCode, sc.status, body)
	}
	for _, s := range sc.want {
		if !strings.Contains(body, s) {
			t.Errorf("body lacks %q\n%s", s, body)
		}
	}
	for _, s := range sc.notWant {
		if strings.Contains(body, s) {
			t.Errorf("body must not contain %q", s)
		}
	}
}

// auditCount counts audit rows of an action on an object type.
func sitanAuditCount(w *world, action, objType string, id int64) int64 {
	var n int64
	w.DB.Raw("SELECT count(*) FROM audit_log WHERE action = ? AND object_type = ? AND object_id = ?", action, objType, id).Scan(&n)
	return n
}

func sitanField(id int64, part string) string {
	if part == "" {
		return fmt.Sprintf("q%d", id)
	}
	return fmt.Sprintf("q%d_%s", id, part)
}

// focusMultipart builds a multipart form post with one file.
func focusMultipart(t testing.TB, path string, v url.Values, csrf, field, name string, content []byte) *http.Request {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vals := range v {
		for _, x := range vals {
			_ = mw.WriteField(k, x)
		}
	}
	_ = mw.WriteField("_csrf", csrf)
	fw, err := mw.CreateFormFile(field, name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(content)
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return req
}
