// Package bench loads a national-scale data set into a migrated, empty
// database (Generate) and, in its tests, drives the real server with it
// (`make bench`). Nothing here is used by the running application.
package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"gorm.io/gorm"

	"pakt/models"
)

// Password is the password of every account Generate creates.
const Password = "pakt-bench-2026"

// AdminEmail is the platform admin Generate creates.
const AdminEmail = "admin@bench.pakt"

// AdminTOTPSecret is the admin's two-step sign-in key: platform admins
// must have one.
const AdminTOTPSecret = "PAKTBENCHPAKTBENCHPAKTBENCHPAKTB"

// National-scale sizes (Scale.Factor = 1).
const (
	nationalMunicipalities = 520
	nationalOrganisations  = 10000
	nationalUsers          = 20000
	nationalAgreements     = 3000
	defaultMeasures        = 50
	defaultBigMeasures     = 200
	defaultYears           = 5
	objectivesPerPlan      = 5
	partiesPerAgreement    = 3 // also the minimum number of organisations per municipality
	commitmentsPerAgreemnt = 3
)

// Scale sizes the data set. Factor multiplies the counts of municipalities,
// organisations, users and agreements (1.0 = national scale: 520, 10,000,
// 20,000, 3,000); the shape of each plan is set apart so that tests can
// grow plans and history independently.
type Scale struct {
	Factor      float64   // 1.0 = national scale
	Measures    int       // measures of every ordinary plan (0 = 50)
	BigMeasures int       // measures of the first municipality's plan (0 = 200)
	Years       int       // years of half-yearly reporting periods, ending with the current year (0 = 5)
	Progress    io.Writer // where to print step timings and row counts (nil = nowhere)
}

// Sizes are the counts a Scale resolves to.
type Sizes struct {
	Municipalities, Organisations, Users, Agreements int
	Measures, BigMeasures, Years                     int
}

// Sizes resolves the factor: at least one municipality with three
// organisations (the parties of an agreement) and one user per organisation.
func (s Scale) Sizes() Sizes {
	f := s.Factor
	if f <= 0 {
		f = 1
	}
	n := func(national int) int { return int(math.Round(float64(national) * f)) }
	z := Sizes{Municipalities: max(1, n(nationalMunicipalities)), Measures: s.Measures, BigMeasures: s.BigMeasures, Years: s.Years}
	z.Organisations = max(partiesPerAgreement*z.Municipalities, n(nationalOrganisations))
	z.Users = max(z.Organisations, n(nationalUsers))
	z.Agreements = max(1, n(nationalAgreements))
	if z.Measures <= 0 {
		z.Measures = defaultMeasures
	}
	if z.BigMeasures <= 0 {
		z.BigMeasures = defaultBigMeasures
	}
	if z.Years <= 0 {
		z.Years = defaultYears
	}
	return z
}

// TableCount is the number of rows of one table after Generate.
type TableCount struct {
	Table string
	Rows  int64
}

// Step is one timed statement group of Generate.
type Step struct {
	Name string
	Took time.Duration
}

// Counts is what Generate loaded.
type Counts struct {
	Sizes  Sizes
	Tables []TableCount
	Steps  []Step
	Took   time.Duration
}

// Rows returns the row count of a table (0 if unknown).
func (c Counts) Rows(table string) int64 {
	for _, t := range c.Tables {
		if t.Table == table {
			return t.Rows
		}
	}
	return 0
}

// String is the row counts as an aligned table.
func (c Counts) String() string {
	var b strings.Builder
	var total int64
	for _, t := range c.Tables {
		fmt.Fprintf(&b, "%-30s %10d\n", t.Table, t.Rows)
		total += t.Rows
	}
	fmt.Fprintf(&b, "%-30s %10d  (%.1f s)\n", "total", total, c.Took.Seconds())
	return b.String()
}

// countedTables are reported after a load, in load order.
var countedTables = []string{"municipalities", "organisations", "users", "memberships",
	"agreements", "agreement_parties", "agreement_commitments", "agreement_signatures", "commitment_progress",
	"action_plans", "plan_objectives", "plan_measures", "measure_indicators", "measure_budget_lines",
	"reporting_periods", "progress_reports", "progress_spending", "progress_indicator_values", "progress_beneficiary_groups"}

// ErrNotEmpty is returned when the database already holds municipalities.
var ErrNotEmpty = errors.New("bench: the database already holds municipalities; Generate needs a freshly migrated database")

// Generate loads the data set with set-based SQL (INSERT … SELECT over
// generate_series) in one transaction, respecting the freeze triggers:
// agreement parts are inserted while the agreement is a draft, signatures
// while it is open for signature; plan parts while the plan is a draft;
// progress while its period is open. Then it VACUUMs and ANALYZEs, so the
// planner knows the sizes, and counts the rows.
//
// The first municipality ("Općina 001") holds the big plan (BigMeasures
// measures); every other municipality has one adopted plan of Measures
// measures. All periods whose end has passed are closed; the current
// half-year stays open. Every account has Password; AdminEmail is a
// platform admin; the first user of each municipality is its coordinator.
func Generate(ctx context.Context, db *gorm.DB, scale Scale) (Counts, error) {
	start := time.Now()
	z := scale.Sizes()
	out := Counts{Sizes: z}
	logf := func(format string, args ...any) {
		if scale.Progress != nil {
			fmt.Fprintf(scale.Progress, format, args...)
		}
	}
	var n int64
	if err := db.WithContext(ctx).Raw("SELECT count(*) FROM municipalities").Scan(&n).Error; err != nil {
		return out, err
	}
	if n > 0 {
		return out, ErrNotEmpty
	}
	hash, err := models.HashPassword(Password) // once: argon2 is slow on purpose
	if err != nil {
		return out, err
	}
	lastYear := time.Now().UTC().Year()
	g := &gen{z: z, hash: hash, y0: lastYear - z.Years + 1, y1: lastYear, logf: logf}
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("SET LOCAL statement_timeout = 0").Error; err != nil {
			return err
		}
		for _, st := range g.steps() {
			t := time.Now()
			for _, q := range st.sql {
				if err := tx.Exec(q.text, q.args...).Error; err != nil {
					return fmt.Errorf("bench: %s: %w", st.name, err)
				}
			}
			out.Steps = append(out.Steps, Step{st.name, time.Since(t)})
			logf("  %-28s %6.1f s\n", st.name, time.Since(t).Seconds())
		}
		return nil
	})
	if err != nil {
		return out, err
	}
	t := time.Now()
	for _, table := range countedTables {
		// VACUUM sets the visibility map (index-only scans) as autovacuum
		// would on a database in use; ANALYZE gives the planner the sizes.
		if err := db.WithContext(ctx).Exec("VACUUM (ANALYZE) " + table).Error; err != nil {
			return out, fmt.Errorf("bench: vacuum %s: %w", table, err)
		}
	}
	out.Steps = append(out.Steps, Step{"vacuum analyze", time.Since(t)})
	logf("  %-28s %6.1f s\n", "vacuum analyze", time.Since(t).Seconds())
	for _, table := range countedTables {
		var rows int64
		if err := db.WithContext(ctx).Raw("SELECT count(*) FROM " + table).Scan(&rows).Error; err != nil {
			return out, err
		}
		out.Tables = append(out.Tables, TableCount{table, rows})
	}
	out.Took = time.Since(start)
	logf("%s", out.String())
	return out, nil
}

type query struct {
	text string
	args []any
}

type step struct {
	name string
	sql  []query
}

type gen struct {
	z      Sizes
	hash   string
	y0, y1 int // first and last year of the plans and their periods
	logf   func(string, ...any)
}

func q(text string, args ...any) query { return query{text, args} }

// steps are the statements of Generate, in order. Temporary tables number
// the municipalities (n) and their organisations (k within the
// municipality, g overall) so that later statements can join by ordinal.
func (g *gen) steps() []step {
	z := g.z
	return []step{
		{"municipalities", []query{
			q(`INSERT INTO municipalities (name, slug, country, currency, language)
				SELECT 'Općina ' || lpad(n::text, 3, '0'), 'opcina-' || lpad(n::text, 3, '0'), 'BA', 'BAM', 'bs'
				FROM generate_series(1, ?) n`, z.Municipalities),
			q(`CREATE TEMP TABLE b_mun ON COMMIT DROP AS
				SELECT id, row_number() OVER (ORDER BY id)::int AS n FROM municipalities`),
			q(`CREATE UNIQUE INDEX ON b_mun (n)`),
		}},
		{"organisations", []query{
			// Organisation i goes to municipality (i-1) mod M + 1, so each
			// has its municipal administration, employment service and
			// centre for social work first, then NGOs, employers, schools…
			q(`INSERT INTO organisations (municipality_id, name, type)
				SELECT m.id, t.label || ' ' || m.n || '/' || x.k, t.type
				FROM generate_series(1, ?) i
				CROSS JOIN LATERAL (SELECT (i - 1) % ? + 1 AS mn, (i - 1) / ? + 1 AS k) x
				JOIN b_mun m ON m.n = x.mn
				JOIN (VALUES (1, 'municipality', 'Općina'), (2, 'pes', 'Biro za zapošljavanje'),
					(3, 'csw', 'Centar za socijalni rad'), (4, 'ngo', 'Udruženje građana'), (5, 'employer', 'Poslodavac d.o.o.'),
					(6, 'education', 'Srednja škola'), (7, 'health', 'Dom zdravlja'), (8, 'police', 'Policijska stanica'),
					(9, 'judiciary', 'Općinski sud'), (10, 'media', 'Radio'), (11, 'international', 'Međunarodna organizacija'),
					(12, 'other', 'Ostali partner')) t (pos, type, label) ON t.pos = (x.k - 1) % 12 + 1`,
				z.Organisations, z.Municipalities, z.Municipalities),
			q(`CREATE TEMP TABLE b_org ON COMMIT DROP AS
				SELECT id, municipality_id, row_number() OVER (PARTITION BY municipality_id ORDER BY id)::int AS k,
					row_number() OVER (ORDER BY id)::int AS g
				FROM organisations`),
			q(`CREATE INDEX ON b_org (municipality_id, k)`),
			q(`CREATE UNIQUE INDEX ON b_org (g)`),
		}},
		{"users and memberships", []query{
			q(`INSERT INTO users (email, name, password_hash, organisation_id)
				SELECT 'user' || j || '@bench.pakt', 'Korisnik ' || j, ?, o.id
				FROM generate_series(1, ?) j JOIN b_org o ON o.g = (j - 1) % ? + 1`, g.hash, z.Users, z.Organisations),
			q(`INSERT INTO users (email, name, password_hash, is_admin) VALUES (?, 'Bench Admin', ?, true)`, AdminEmail, g.hash),
			q(`INSERT INTO user_totp (user_id, secret, confirmed_at) SELECT id, ?, now() FROM users WHERE email = ?`,
				AdminTOTPSecret, AdminEmail),
			// The first user of each municipality coordinates; every fourth views.
			q(`INSERT INTO memberships (user_id, municipality_id, role)
				SELECT id, municipality_id,
					CASE WHEN rn = 1 THEN 'coordinator' WHEN rn % 4 = 0 THEN 'viewer' ELSE 'member' END
				FROM (SELECT u.id, o.municipality_id, row_number() OVER (PARTITION BY o.municipality_id ORDER BY u.id) AS rn
					FROM users u JOIN organisations o ON o.id = u.organisation_id) s`),
			q(`CREATE TEMP TABLE b_signer ON COMMIT DROP AS
				SELECT DISTINCT ON (organisation_id) organisation_id, id AS user_id
				FROM users WHERE organisation_id IS NOT NULL ORDER BY organisation_id, id`),
			q(`CREATE UNIQUE INDEX ON b_signer (organisation_id)`),
		}},
		{"agreements (drafts)", []query{
			q(`INSERT INTO agreements (municipality_id, title, level, goal, body, valid_from, valid_to)
				SELECT m.id, 'Protokol o saradnji br. ' || a || ' — teritorijalni pakt za zapošljavanje',
					(ARRAY['cooperation', 'coordination', 'collaboration'])[a % 3 + 1],
					'Povećati zapošljivost i zaposlenost ranjivih grupa kroz zajedničko djelovanje partnera.',
					repeat('Potpisnici se obavezuju da razmjenjuju podatke o nezaposlenim korisnicima socijalne pomoći, '
						|| 'zajednički planiraju mjere aktivne politike zapošljavanja i izvještavaju komisiju svakih šest mjeseci. ', 8),
					make_date(?, 1, 1), make_date(?, 12, 31)
				FROM generate_series(1, ?) a JOIN b_mun m ON m.n = (a - 1) % ? + 1`,
				g.y0, g.y1+1, z.Agreements, z.Municipalities),
			q(`INSERT INTO agreement_parties (agreement_id, municipality_id, position, organisation_id, signatory_user_id)
				SELECT a.id, a.municipality_id, o.k - 1, o.id, s.user_id
				FROM agreements a
				JOIN b_org o ON o.municipality_id = a.municipality_id AND o.k <= ?
				JOIN b_signer s ON s.organisation_id = o.id`, partiesPerAgreement),
			q(`INSERT INTO agreement_commitments (agreement_id, municipality_id, position, action,
					responsible_organisation_id, supporting_organisation_ids, due_date)
				SELECT a.id, a.municipality_id, c - 1,
					'Obaveza ' || c || ': redovno dostavljati spiskove korisnika i izvještaje o uključenosti u mjere.',
					o.id, ARRAY[sup.id]::bigint[], a.valid_from + (c * 300 + (a.id % 200))::int
				FROM agreements a CROSS JOIN generate_series(1, ?) c
				JOIN b_org o ON o.municipality_id = a.municipality_id AND o.k = (c - 1) % ? + 1
				JOIN b_org sup ON sup.municipality_id = a.municipality_id AND sup.k = c % ? + 1`,
				commitmentsPerAgreemnt, partiesPerAgreement, partiesPerAgreement),
		}},
		{"agreements (signed)", []query{
			q(`UPDATE agreements SET status = 'open_for_signature', opened_at = make_date(?, 1, 1) - 30,
				sha256 = encode(sha256(convert_to(title || E'\n' || goal || E'\n' || body, 'UTF8')), 'hex')`, g.y0),
			// Every tenth agreement waits for two of its three signatures.
			q(`INSERT INTO agreement_signatures (agreement_id, municipality_id, party_id, organisation_id, user_id,
					signed_at, ip, user_agent, sha256)
				SELECT p.agreement_id, p.municipality_id, p.id, p.organisation_id, p.signatory_user_id,
					a.opened_at + interval '7 days' * (p.position + 1), '127.0.0.1', 'pakt-bench', a.sha256
				FROM agreement_parties p JOIN agreements a ON a.id = p.agreement_id
				WHERE a.id % 10 <> 0 OR p.position = 0`),
			q(`UPDATE agreements SET status = 'in_force', in_force_at = opened_at + interval '30 days' WHERE id % 10 <> 0`),
			q(`INSERT INTO commitment_progress (commitment_id, municipality_id, status, note, recorded_by, recorded_on)
				SELECT c.id, c.municipality_id, (ARRAY['pending', 'in_progress', 'done', 'blocked'])[c.id % 4 + 1],
					'Dostavljen polugodišnji izvještaj.', s.user_id, c.due_date - 10
				FROM agreement_commitments c JOIN b_signer s ON s.organisation_id = c.responsible_organisation_id`),
		}},
		{"plans (drafts)", []query{
			q(`INSERT INTO action_plans (municipality_id, title, period_start, period_end)
				SELECT m.id, ? || ' — Općina ' || lpad(m.n::text, 3, '0'), make_date(?, 1, 1), make_date(?, 12, 31)
				FROM b_mun m`, fmt.Sprintf("Akcioni plan zapošljavanja %d–%d", g.y0, g.y1), g.y0, g.y1),
			q(`CREATE TEMP TABLE b_plan ON COMMIT DROP AS
				SELECT p.id, p.municipality_id, p.period_start, m.n, CASE WHEN m.n = 1 THEN ?::int ELSE ?::int END AS measures
				FROM action_plans p JOIN b_mun m ON m.id = p.municipality_id`, z.BigMeasures, z.Measures),
			q(`INSERT INTO plan_objectives (plan_id, municipality_id, code, title)
				SELECT p.id, p.municipality_id, 'C' || k,
					(ARRAY['Zaposlenost dugotrajno nezaposlenih', 'Uključivanje Roma na tržište rada', 'Zapošljavanje osoba s invaliditetom',
						'Mladi koji nisu zaposleni ni u obrazovanju', 'Žene korisnice socijalne pomoći'])[k]
				FROM b_plan p CROSS JOIN generate_series(1, ?) k`, objectivesPerPlan),
			q(`INSERT INTO plan_measures (plan_id, municipality_id, objective_id, code, title, description, groups,
					lead_organisation_id, partner_organisation_ids, start_date, end_date)
				SELECT p.id, p.municipality_id, ob.id, 'M' || lpad(mk::text, 3, '0'),
					'Mjera ' || mk || ': ' || (ARRAY['obuka za deficitarna zanimanja', 'subvencija zapošljavanja',
						'javni radovi', 'podrška samozapošljavanju', 'mentorstvo i praćenje na radnom mjestu',
						'dokvalifikacija odraslih', 'sajam zapošljavanja'])[mk % 7 + 1],
					repeat('Mjera se provodi u saradnji biroa za zapošljavanje, centra za socijalni rad i poslodavaca; '
						|| 'korisnici se upućuju na osnovu individualnog plana zapošljavanja. ', 3),
					CASE mk % 4 WHEN 0 THEN '{roma,long_term_unemployed}' WHEN 1 THEN '{disability}'
						WHEN 2 THEN '{youth_neet,women}' ELSE '{social_assistance}' END::text[],
					lead.id, ARRAY[partner.id]::bigint[],
					p.period_start + (mk % 4) * 90, make_date(greatest(?::int, ?::int - mk % 3), 12, 31)
				FROM b_plan p CROSS JOIN LATERAL generate_series(1, p.measures) AS s (mk)
				JOIN plan_objectives ob ON ob.plan_id = p.id AND ob.code = 'C' || ((mk - 1) % ? + 1)
				JOIN b_org lead ON lead.municipality_id = p.municipality_id AND lead.k = (mk - 1) % 3 + 1
				JOIN b_org partner ON partner.municipality_id = p.municipality_id AND partner.k = mk % 3 + 1`,
				g.y0, g.y1, objectivesPerPlan),
			q(`INSERT INTO measure_indicators (measure_id, plan_id, municipality_id, position, name, unit, baseline, target)
				SELECT m.id, m.plan_id, m.municipality_id, i - 1,
					CASE i WHEN 1 THEN 'Broj zaposlenih korisnika' ELSE 'Broj osoba koje su završile obuku' END,
					'osoba', m.id % 10, 20 + m.id % 50
				FROM plan_measures m CROSS JOIN generate_series(1, 2) i`),
			q(`INSERT INTO measure_budget_lines (measure_id, plan_id, municipality_id, position, year, source, funder, amount)
				SELECT m.id, m.plan_id, m.municipality_id, b - 1, ?::int + (m.id + b) % ?::int, src,
					CASE src WHEN 'donor' THEN 'Evropska unija' ELSE '' END,
					round(1000 + (m.id * 7919 + b * 104729) % 50000 + ((m.id + b) % 100) / 100.0, 2)
				FROM plan_measures m CROSS JOIN generate_series(1, 3) b
				CROSS JOIN LATERAL (SELECT (ARRAY['municipal', 'pes', 'csw', 'government', 'donor', 'in_kind', 'other'])
					[(m.id + b) % 7 + 1] AS src) s`, g.y0, z.Years),
		}},
		{"plans (adopted)", []query{
			q(`UPDATE action_plans SET status = 'adopted', submitted_at = make_date(?, 12, 1), adopted_on = make_date(?, 12, 20),
				decision_number = '01-022-' || id || '/' || ?::int, votes_for = 21, votes_against = 0, votes_abstained = 1`,
				g.y0-1, g.y0-1, g.y0-1),
		}},
		{"reporting periods", []query{
			q(`INSERT INTO reporting_periods (plan_id, municipality_id, label, start_date, end_date, due_date)
				SELECT p.id, p.municipality_id, y || ' H' || h, s, (s + interval '6 months' - interval '1 day')::date,
					(s + interval '6 months' + interval '29 days')::date
				FROM b_plan p CROSS JOIN generate_series(?::int, ?::int) y CROSS JOIN generate_series(1, 2) h
				CROSS JOIN LATERAL (SELECT make_date(y, (h - 1) * 6 + 1, 1) AS s) x`, g.y0, g.y1),
		}},
		{"progress reports", []query{
			// One report per measure and period; x is a fixed pseudo-random 0–99.
			q(`INSERT INTO progress_reports (measure_id, period_id, plan_id, municipality_id, status, percent_complete,
					narrative, beneficiaries_total, beneficiaries_women, beneficiaries_men, employed, trained,
					completed_education, self_employed, review, submitted_at, reviewed_at, updated_at)
				SELECT m.id, rp.id, m.plan_id, m.municipality_id,
					CASE WHEN rp.start_date > m.end_date THEN 'completed' WHEN x < 5 THEN 'not_started' WHEN x < 70 THEN 'on_track'
						WHEN x < 90 THEN 'delayed' WHEN x < 97 THEN 'completed' ELSE 'cancelled' END,
					x, 'U periodu ' || rp.label || ' mjera ' || m.code || ' je provedena prema planu: ' ||
						repeat('korisnici su upućeni na obuku, poslodavci su uključeni, a rezultati su evidentirani. ', 2),
					5 + x % 40, (5 + x % 40) / 2, (5 + x % 40) - (5 + x % 40) / 2 - x % 2,
					x % 7, x % 11, x % 3, x % 2,
					CASE WHEN rp.end_date < current_date THEN CASE WHEN x < 2 THEN 'returned' WHEN x < 4 THEN 'draft' ELSE 'accepted' END
						ELSE CASE WHEN x < 30 THEN 'draft' ELSE 'submitted' END END,
					rp.end_date + 10, CASE WHEN rp.end_date < current_date AND (x < 2 OR x >= 4) THEN rp.end_date + 20 END,
					rp.end_date + 10
				FROM plan_measures m JOIN reporting_periods rp ON rp.plan_id = m.plan_id
				CROSS JOIN LATERAL (SELECT ((m.id * 31 + rp.id * 17) % 100)::int AS x) h`),
			q(`INSERT INTO progress_spending (report_id, period_id, municipality_id, position, source, amount)
				SELECT pr.id, pr.period_id, pr.municipality_id, 0,
					(ARRAY['municipal', 'pes', 'csw', 'government', 'donor', 'in_kind', 'other'])[pr.id % 7 + 1],
					round(100 + (pr.id * 7919) % 5000 + (pr.id % 100) / 100.0, 2)
				FROM progress_reports pr WHERE pr.status <> 'not_started'`),
			q(`INSERT INTO progress_indicator_values (report_id, indicator_id, period_id, municipality_id, value)
				SELECT pr.id, i.id, pr.period_id, pr.municipality_id, (pr.id + i.id) % 25
				FROM progress_reports pr JOIN measure_indicators i ON i.measure_id = pr.measure_id`),
			q(`INSERT INTO progress_beneficiary_groups (report_id, period_id, municipality_id, group_code, n)
				SELECT pr.id, pr.period_id, pr.municipality_id,
					(ARRAY['roma', 'disability', 'long_term_unemployed', 'social_assistance', 'youth_neet', 'women',
						'returnees', 'dropouts', 'older_workers', 'other'])[pr.id % 10 + 1], pr.beneficiaries_total / 3
				FROM progress_reports pr`),
		}},
		{"periods closed", []query{
			q(`UPDATE reporting_periods SET status = 'closed', closed_at = least(now(), end_date + 45)
				WHERE end_date < current_date`),
		}},
	}
}
