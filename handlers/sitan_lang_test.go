package handlers_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"strings"
	"testing"

	"pakt/app/testkit"
	"pakt/i18n"
	"pakt/models"
)

// sitanTemplateText is a built-in question's text.
func sitanTemplateText(t *testing.T, tmpl, code string) models.Phrase {
	t.Helper()
	for _, q := range models.QuestionnaireTemplates[tmpl] {
		if q.Code == code {
			return q.Text
		}
	}
	t.Fatalf("template %s has no question %s", tmpl, code)
	return models.Phrase{}
}

func sitanIndicatorName(t *testing.T, code string) models.Phrase {
	t.Helper()
	def, ok := models.BaselineIndicatorByCode(code)
	if !ok {
		t.Fatalf("no indicator %s", code)
	}
	return def.Name
}

// A questionnaire made from a template stores the questions and options in
// all five languages, and its pages show them in the reader's language
// (Serbian Latin transliterated from the Cyrillic). Questions with fewer
// languages (a coordinator's own, or ones stored before the languages were
// added) fall back to the text they have.
func TestSitanQuestionLanguages(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := sfx(w)

	var stored []models.Question
	if err := w.DB.Where("questionnaire_id = ?", f.QSent.ID).Order("position").Find(&stored).Error; err != nil {
		t.Fatal(err)
	}
	tmpl := models.QuestionnaireTemplates["pes"]
	if len(stored) != len(tmpl) {
		t.Fatalf("%d questions stored, template has %d", len(stored), len(tmpl))
	}
	for i, q := range stored {
		if q.Texts() != tmpl[i].Text || !q.Texts().Complete() {
			t.Errorf("question %s stored as %+v, want %+v", q.Code, q.Texts(), tmpl[i].Text)
		}
		if len(q.Options) != len(tmpl[i].Options) {
			t.Errorf("question %s: %d options", q.Code, len(q.Options))
		}
		for j, o := range q.Options {
			if o != tmpl[i].Options[j] || !o.Texts().Complete() {
				t.Errorf("question %s: option stored as %+v", q.Code, o)
			}
		}
	}

	regText := sitanTemplateText(t, "pes", "registered_unemployed")
	longText := sitanTemplateText(t, "pes", "long_term_unemployed")
	coopText := sitanTemplateText(t, "pes", "csw_cooperation")
	regName := sitanIndicatorName(t, "registered_unemployed")
	var monthly models.QuestionChoice
	for _, q := range tmpl {
		for _, o := range q.Options {
			if o.Value == "monthly" {
				monthly = o
			}
		}
	}
	latin := i18n.ToSerbianLatin
	langs := []struct {
		lang      string
		want, not []string
	}{
		{"mk", []string{regText.Mk, longText.Mk, coopText.Mk, monthly.Mk, regName.Mk}, []string{regText.En, regText.Bs}},
		{"sq", []string{regText.Sq, longText.Sq, coopText.Sq, monthly.Sq, regName.Sq}, []string{regText.En, regText.Bs}},
		{"sr", []string{regText.Sr, longText.Sr, coopText.Sr, monthly.Sr, regName.Sr}, []string{regText.En, longText.Bs}},
		{"sr-Latn", []string{latin(regText.Sr), latin(longText.Sr), latin(coopText.Sr), latin(monthly.Sr), latin(regName.Sr)},
			[]string{regText.En, longText.Bs, longText.Sr, coopText.Bs}},
		{"bs", []string{regText.Bs, longText.Bs, coopText.Bs, monthly.Bs, regName.Bs}, []string{regText.En}},
		{"en", []string{regText.En, longText.En, coopText.En, monthly.En, regName.En}, []string{regText.Bs}},
	}
	// The Serbian Latin text must differ from the Bosnian one somewhere
	// (ekavian "meseci" against ijekavian "mjeseci"), or this test proves nothing.
	if latin(longText.Sr) == longText.Bs || !strings.Contains(latin(longText.Sr), "meseci") {
		t.Fatalf("pick another question: %q", latin(longText.Sr))
	}
	partner := w.Login(member)
	viewerB := w.Login(viewer)
	for _, c := range langs {
		t.Run(c.lang, func(t *testing.T) {
			// The answer form of the partner.
			body := html.UnescapeString(testkit.Body(partner.Get(fmt.Sprintf("/questionnaires/%d?lang=%s", f.QSent.ID, c.lang))))
			if !strings.Contains(body, `id="answers"`) {
				t.Fatalf("no answer form:\n%s", body)
			}
			for _, s := range c.want {
				if !strings.Contains(body, s) {
					t.Errorf("answer page in %s lacks %q", c.lang, s)
				}
			}
			for _, s := range c.not {
				if strings.Contains(body, s) {
					t.Errorf("answer page in %s shows %q", c.lang, s)
				}
			}
			// The read-only answers of a submitted questionnaire.
			body = html.UnescapeString(testkit.Body(viewerB.Get(fmt.Sprintf("/questionnaires/%d?lang=%s", f.QSubmitted.ID, c.lang))))
			sa := sitanTemplateText(t, "csw", "social_assistance_able_to_work").In(c.lang)
			if !strings.Contains(body, sa) || !strings.Contains(body, sitanIndicatorName(t, "social_assistance_able_to_work").In(c.lang)) {
				t.Errorf("read-only page in %s lacks %q or the indicator name", c.lang, sa)
			}
		})
	}

	// The API gives the reader's text and every stored language.
	resp := w.API(w.Token(viewer), "GET", fmt.Sprintf("/api/v1/questionnaires/%d?lang=mk", f.QSent.ID), nil)
	raw := testkit.Body(resp)
	if resp.StatusCode != 200 || !strings.Contains(raw, `"text_sq":"`+regText.Sq+`"`) || !strings.Contains(raw, `"text_mk":"`+regText.Mk+`"`) ||
		!strings.Contains(raw, `"text":"`+regText.Mk+`"`) || !strings.Contains(raw, `"label":"`+monthly.Mk+`"`) {
		t.Errorf("API in mk: %d %s", resp.StatusCode, raw)
	}

	// A coordinator's own question has English and Bosnian at most: the
	// other languages fall back (Serbian readers get the Bosnian).
	ctx, a := context.Background(), models.Actor{UserID: w.CoordA.ID, IP: "test"}
	if _, err := models.AddQuestion(ctx, w.DB, a, w.A.ID, f.QDraft.ID, models.QuestionInput{TextEn: "How many volunteers help you?",
		TextBs: "Koliko vam volontera pomaže?", Kind: models.QuestionNumber}); err != nil {
		t.Fatal(err)
	}
	if _, err := models.AddQuestion(ctx, w.DB, a, w.A.ID, f.QDraft.ID, models.QuestionInput{TextEn: "Do you have a meeting room?",
		Kind: models.QuestionChoiceKind, Options: []models.QuestionChoice{{Value: "y", En: "Yes", Bs: "Da"}, {Value: "n", En: "No", Bs: "Ne"}}}); err != nil {
		t.Fatal(err)
	}
	coord := w.Login(coordA)
	for lang, want := range map[string][]string{
		"mk":      {"How many volunteers help you?", "Do you have a meeting room?", sitanTemplateText(t, "ngo", "needs").Mk},
		"sq":      {"How many volunteers help you?", "Do you have a meeting room?", sitanTemplateText(t, "ngo", "needs").Sq},
		"sr":      {"Koliko vam volontera pomaže?", "Do you have a meeting room?", sitanTemplateText(t, "ngo", "needs").Sr},
		"sr-Latn": {"Koliko vam volontera pomaže?", "Do you have a meeting room?", latin(sitanTemplateText(t, "ngo", "needs").Sr)},
	} {
		body := html.UnescapeString(testkit.Body(coord.Get(fmt.Sprintf("/questionnaires/%d?lang=%s", f.QDraft.ID, lang))))
		for _, s := range want {
			if !strings.Contains(body, s) {
				t.Errorf("draft in %s lacks %q", lang, s)
			}
		}
	}
}

// The report PDF names the baseline indicators in the reader's language, and
// the answers CSV gives the questions in it.
func TestSitanPDFAndCSVLanguages(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := sfx(w)
	answerAll(t, w, f.QSent, map[string][3]string{"registered_unemployed": {"2900", "1500", "1400"},
		"roma_registered_unemployed": {"46", "3", "43"}, "csw_cooperation": {"monthly", "", ""}})
	mustSubmit(t, w, f.QSent)

	resp := w.Login(viewer).Get(fmt.Sprintf("/situation-analyses/%d/report.pdf?lang=sq", f.S.ID))
	if resp.StatusCode != 200 {
		t.Fatalf("pdf: %d", resp.StatusCode)
	}
	text := sitanPDFText(t, testkit.Body(resp))
	for _, code := range []string{"registered_unemployed", "roma_registered_unemployed"} {
		name := sitanIndicatorName(t, code)
		if !strings.Contains(text, name.Sq) {
			t.Errorf("Albanian PDF lacks %q:\n%s", name.Sq, text)
		}
		if strings.Contains(text, name.En) || strings.Contains(text, name.Bs) {
			t.Errorf("Albanian PDF shows %q or %q", name.En, name.Bs)
		}
	}

	resp = w.Login(coordA).Get(fmt.Sprintf("/situation-analyses/%d/answers.csv?lang=mk", f.S.ID))
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(testkit.Body(resp), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	found := map[string][]string{}
	for _, r := range rows[1:] {
		found[r[8]] = r
	}
	if r := found["registered_unemployed"]; r == nil || r[11] != sitanTemplateText(t, "pes", "registered_unemployed").Mk {
		t.Errorf("Macedonian CSV row: %q", r)
	}
	if r := found["social_assistance_able_to_work"]; r == nil || r[11] != sitanTemplateText(t, "csw", "social_assistance_able_to_work").Mk {
		t.Errorf("Macedonian CSV row: %q", r)
	}
}
