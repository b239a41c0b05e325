package app_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"pakt/app"
	"pakt/app/testkit"
	"pakt/migrations"
	"pakt/models"
)

// Migration 00006 adds Serbian, Albanian and Macedonian question texts to a
// database that already holds published (frozen) analyses: their questions
// keep empty new columns and are read in English or Bosnian, they stay
// frozen, and new questionnaires store all five languages. It also goes down
// and up again.
func TestQuestionLanguagesMigration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := testkit.DatabaseURL(t)
	_, sqlDB, err := app.OpenDB(url, 2, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 5); err != nil {
		t.Fatalf("down to 5: %v", err)
	}
	// Questions as version 5 stored them, in a published analysis.
	muni, _, qn := seedV5(t, sqlDB)
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up: %v", err)
	}
	if _, err := p.DownTo(ctx, 5); err != nil {
		t.Fatalf("down again: %v", err)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}

	db, sqlDB2, err := app.OpenDB(url, 2, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB2.Close()
	qs, err := models.QuestionnaireQuestions(ctx, db, muni, qn)
	if err != nil || len(qs) != 1 {
		t.Fatalf("old questions: %v %v", qs, err)
	}
	q := qs[0]
	if q.TextSr != "" || q.TextSq != "" || q.TextMk != "" {
		t.Fatalf("frozen row was backfilled: %+v", q)
	}
	for lang, want := range map[string]string{"en": "How many?", "bs": "Koliko?", "sr": "Koliko?", "sr-Latn": "Koliko?",
		"sq": "How many?", "mk": "How many?"} {
		if got := q.Text(lang); got != want {
			t.Errorf("old question in %s: %q, want %q", lang, got, want)
		}
	}
	if got := q.Options[0].Label("mk"); got != "Yes" {
		t.Errorf("old option in mk: %q", got)
	}
	if err := db.Exec(`UPDATE questionnaire_questions SET text_mk = 'Колку?' WHERE questionnaire_id = ?`, qn).Error; err == nil {
		t.Fatal("a published analysis's question could be changed")
	}

	// A question needs some text, in any of the five languages.
	if _, err := sqlDB.Exec(`INSERT INTO situation_analyses (municipality_id, title, year) VALUES ($1, 'Open', 2017)`, muni); err != nil {
		t.Fatal(err)
	}
	var open, org int64
	sqlDB.QueryRow(`SELECT id FROM situation_analyses WHERE municipality_id = $1 AND status = 'collecting'`, muni).Scan(&open)
	sqlDB.QueryRow(`SELECT organisation_id FROM questionnaires WHERE id = $1`, qn).Scan(&org)
	nq, err := models.CreateQuestionnaire(ctx, db, models.Actor{IP: "test"}, muni, open, models.QuestionnaireInput{OrganisationID: org,
		Template: "pes", DueDate: time.Now().AddDate(0, 0, 7)})
	if err != nil {
		t.Fatal(err)
	}
	nqs, _ := models.QuestionnaireQuestions(ctx, db, muni, nq.ID)
	if len(nqs) == 0 || !nqs[0].Texts().Complete() || nqs[0].Texts() != models.QuestionnaireTemplates["pes"][0].Text {
		t.Fatalf("new questionnaire's first question: %+v", nqs)
	}
	insert := func(code, sr, sq, mk string) error {
		return db.Exec(`INSERT INTO questionnaire_questions (municipality_id, situation_analysis_id, questionnaire_id,
			position, code, kind, text_sr, text_sq, text_mk, custom) VALUES (?, ?, ?, 99, ?, 'text', ?, ?, ?, true)`,
			muni, open, nq.ID, code, sr, sq, mk).Error
	}
	if err := insert("only_mk", "", "", "Колку?"); err != nil {
		t.Errorf("Macedonian-only question refused: %v", err)
	}
	if err := insert("no_text", "", "", ""); err == nil {
		t.Error("a question without any text was accepted")
	}
}

// seedV5 stores, with the version-5 schema, a published analysis whose one
// choice question has English and Bosnian only.
func seedV5(t *testing.T, db *sql.DB) (muni, sitan, qn int64) {
	t.Helper()
	row := func(dst *int64, q string, args ...any) {
		t.Helper()
		if err := db.QueryRow(q, args...).Scan(dst); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var org int64
	row(&muni, `INSERT INTO municipalities (name, slug, country, currency) VALUES ('Bratunac', 'bratunac', 'BA', 'BAM') RETURNING id`)
	row(&org, `INSERT INTO organisations (municipality_id, name, type) VALUES ($1, 'Biro Bratunac', 'pes') RETURNING id`, muni)
	row(&sitan, `INSERT INTO situation_analyses (municipality_id, title, year) VALUES ($1, 'Analiza stanja 2016', 2016) RETURNING id`, muni)
	row(&qn, `INSERT INTO questionnaires (municipality_id, situation_analysis_id, organisation_id, template, due_date)
		VALUES ($1, $2, $3, 'pes', '2016-12-31') RETURNING id`, muni, sitan, org)
	if _, err := db.Exec(`INSERT INTO questionnaire_questions (municipality_id, situation_analysis_id, questionnaire_id,
		position, code, kind, text_en, text_bs, options) VALUES ($1, $2, $3, 1, 'ready', 'choice', 'How many?', 'Koliko?',
		'[{"value": "y", "en": "Yes", "bs": "Da"}, {"value": "n", "en": "No", "bs": "Ne"}]')`, muni, sitan, qn); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE situation_analyses SET status = 'published', published_at = now() WHERE id = $1`, sitan); err != nil {
		t.Fatal(err)
	}
	return muni, sitan, qn
}
