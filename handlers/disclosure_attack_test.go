package handlers_test

import (
	"context"
	"fmt"
	"io"
	"math/rand"
	"net/http/httptest"
	"testing"
	"time"

	"pakt/app/disclosureaudit"
	"pakt/app/testkit"
	"pakt/models"
)

// The attacker (issue #15): on the demo data plus an adversarial data set
// (tiny municipalities, single-person cells, several periods), read every
// public output over HTTP, gather every published number and every
// identity a reader knows, and compute by linear programming the range of
// every count published as "<5". None may be pinned to a value from 1 to
// 4 (docs/disclosure.md). On the code before the disclosure package this
// test fails: the regional page, the totals rows and the cumulative report
// figures pinned small counts.
func TestDisclosureAttack(t *testing.T) {
	t.Parallel()
	start := time.Now()
	env := demoEnv(t)
	adversarialData(t, env)
	republish(t, env)
	seeded := time.Now()
	m, err := disclosureaudit.Collect(publicFetch(env))
	if err != nil {
		t.Fatal(err)
	}
	read := time.Now()
	res, err := m.Audit()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("data %v, reading %v, audit %v", seeded.Sub(start), read.Sub(seeded), time.Since(read))
	for _, l := range res.Leaks {
		t.Errorf("%s: %s is pinned to %.0f", l.Where, l.Count, l.Min)
	}
	// every kind of public output was read (the demo has 8 reporting
	// periods, 5 public plans of which 4 adopted, 5 published analyses)
	for kind, least := range map[string]int{"report pdf": 8, "report pdf row": 40, "iati": 4, "iati actual": 20, "plan pdf": 5,
		"analysis pdf": 5, "analysis pdf source": 50, "json": 9, "page": 15, "page source": 50, "plan page": 5,
		"plan page indicator": 20, "csv": 18, "csv row": 400, "chart": 5, "no counts": 11} {
		if m.Read[kind] < least {
			t.Errorf("read %d of %s, want at least %d", m.Read[kind], kind, least)
		}
	}
	if t.Failed() {
		t.Fatalf("outputs read: %v", m.Read)
	}
	t.Logf("read: %v", m.Read)
	if res.Small < 100 {
		t.Fatalf("the data exercised too little: %d small counts of %d", res.Small, res.Counts)
	}
	t.Logf("%d counts, %d published as small, %d pinned; narrowest range %.2f; %d constraints implied by bounds; %d groups, the largest of %d counts; %d linear programs",
		res.Counts, res.Small, len(res.Leaks), res.Narrowest, res.Implied, res.Groups, res.LargestGroup, res.Solves)
}

// publicFetch GETs a public path without signing in.
func publicFetch(env *testkit.Env) disclosureaudit.Fetch {
	return func(path string) ([]byte, error) {
		resp := env.Do(httptest.NewRequest("GET", path, nil))
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err == nil && resp.StatusCode != 200 {
			err = fmt.Errorf("GET %s: %d", path, resp.StatusCode)
		}
		return body, err
	}
}

// adversarialData adds tiny municipalities whose focus groups are made of
// single people, small focus groups to every municipality, and rewrites
// every progress report (several periods per plan) with small counts.
func adversarialData(t *testing.T, env *testkit.Env) {
	t.Helper()
	ctx := context.Background()
	db := env.DB.WithContext(ctx)
	rng := rand.New(rand.NewSource(15))
	for i := 1; i <= 4; i++ {
		if err := db.Exec(`INSERT INTO municipalities (name, slug, country, currency) VALUES (?, ?, 'BA', 'BAM')`,
			fmt.Sprintf("Mala opština %d", i), fmt.Sprintf("mala-%d", i)).Error; err != nil {
			t.Fatal(err)
		}
	}
	var munis []int64
	db.Raw(`SELECT id FROM municipalities ORDER BY id`).Scan(&munis)
	for _, id := range munis {
		for k := 0; k < 1+rng.Intn(4); k++ {
			w, m := rng.Intn(6), rng.Intn(6)
			if rng.Intn(3) == 0 {
				w, m = 4*rng.Intn(2)+rng.Intn(2), rng.Intn(2) // single people
			}
			if w+m == 0 {
				w = 1
			}
			a := rng.Intn(w + m + 1)
			b := rng.Intn(w + m - a + 1)
			if err := db.Exec(`INSERT INTO focus_groups (municipality_id, held_on, place, groups, participants_total,
				participants_women, participants_men, age_15_29, age_30_49, age_50_plus, consent_obtained)
				VALUES (?, '2016-03-01', 'Mjesna zajednica', ARRAY['roma'], ?, ?, ?, ?, ?, ?, true)`,
				id, w+m, w, m, a, b, w+m-a-b).Error; err != nil {
				t.Fatal(err)
			}
		}
	}
	// closed periods are locked: the data is rewritten as if it had been
	// entered so, every period is closed and its report withdrawn, to be
	// published again (republish), so the PDFs print the rewritten data
	for _, tbl := range []string{"progress_reports", "progress_beneficiary_groups", "reporting_periods", "registered_documents"} {
		if err := db.Exec(`ALTER TABLE ` + tbl + ` DISABLE TRIGGER USER`).Error; err != nil {
			t.Fatal(err)
		}
		defer db.Exec(`ALTER TABLE ` + tbl + ` ENABLE TRIGGER USER`)
	}
	var reports []int64
	db.Raw(`SELECT id FROM progress_reports ORDER BY id`).Scan(&reports)
	for _, id := range reports {
		w, m := rng.Intn(5), rng.Intn(5)
		if err := db.Exec(`UPDATE progress_reports SET beneficiaries_total = ?, beneficiaries_women = ?, beneficiaries_men = ?,
			employed = ?, trained = ?, completed_education = ?, self_employed = ? WHERE id = ?`,
			w+m+rng.Intn(3), w, m, rng.Intn(4), rng.Intn(6), rng.Intn(3), rng.Intn(2), id).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Exec(`UPDATE progress_beneficiary_groups SET n = (report_id * 7 + length(group_code)) % 6`).Error; err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DELETE FROM registered_documents WHERE kind = 'report'`,
		`UPDATE reporting_periods SET status = 'closed', published_at = NULL, report_sha256 = NULL`} {
		if err := db.Exec(q).Error; err != nil {
			t.Fatal(err)
		}
	}
}

// republish publishes the report of every (closed) period through the
// API, as its coordinator would.
func republish(t *testing.T, env *testkit.Env) {
	t.Helper()
	db := env.DB.WithContext(context.Background())
	var periods []struct {
		ID   int64
		Slug string
	}
	db.Raw(`SELECT rp.id, m.slug FROM reporting_periods rp JOIN municipalities m ON m.id = rp.municipality_id ORDER BY rp.id`).Scan(&periods)
	tokens := map[string]string{}
	for _, p := range periods {
		if tokens[p.Slug] == "" {
			var uid int64
			db.Raw(`SELECT id FROM users WHERE email = ?`, "koordinator."+p.Slug+"@pakt.demo").Scan(&uid)
			tok, _, err := models.CreateAPIToken(context.Background(), env.DB, uid, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			tokens[p.Slug] = tok
		}
		if resp := env.API(tokens[p.Slug], "POST", fmt.Sprintf("/api/v1/reports/%d/publish", p.ID), nil); resp.StatusCode != 200 {
			t.Fatalf("publish period %d: %d %s", p.ID, resp.StatusCode, testkit.Body(resp))
		}
	}
	if len(periods) < 4 {
		t.Fatalf("only %d periods", len(periods))
	}
}
