package models_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/shopspring/decimal"

	"pakt/models"
)

func TestParseMoney(t *testing.T) {
	t.Parallel()
	ok := map[string]string{
		"0": "0.00", "12500": "12500.00", "12500.5": "12500.50", "12500.50": "12500.50", "12500,50": "12500.50",
		" 7.01 ": "7.01", "0,1": "0.10", "00012.30": "12.30", "999999999999.99": "999999999999.99", "0.00": "0.00",
	}
	for in, want := range ok {
		d, valid := models.ParseMoney(in)
		if !valid || models.Money(d) != want {
			t.Errorf("ParseMoney(%q) = %s, %v; want %s", in, d, valid, want)
		}
		if q, valid := models.ParseQuantity(in); !valid || !q.Equal(d) {
			t.Errorf("ParseQuantity(%q) = %s, %v; want it to read like money", in, q, valid)
		}
	}
	for _, in := range []string{"", " ", "-5", "+5", "1e3", "12.500,50", "12,500.50", "1.000.000", "1,2,3", "12500.505",
		"0.001", ".5", "5.", "1000000000000", "0x10", "NaN", "1 000", "1_000", "١٢", "12,5.0"} {
		if d, valid := models.ParseMoney(in); valid || !d.IsZero() {
			t.Errorf("ParseMoney(%q) accepted as %s", in, d)
		}
	}
}

// NumText keeps the literal of a JSON number: 0.1 never becomes 0.1000000000000000055.
func TestNumTextKeepsTheLiteral(t *testing.T) {
	t.Parallel()
	var in struct {
		A, B, C, D models.NumText
	}
	if err := json.Unmarshal([]byte(`{"A": 12500.10, "B": "0,10", "C": null, "D": 9007199254740993.01}`), &in); err != nil {
		t.Fatal(err)
	}
	if in.A != "12500.10" || in.B != "0,10" || in.C != "" || in.D != "9007199254740993.01" {
		t.Fatalf("%+v", in)
	}
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func wantMoney(t *testing.T, what string, got decimal.Decimal, want string) {
	t.Helper()
	if !got.Equal(dec(want)) {
		t.Errorf("%s = %s, want %s", what, got, want)
	}
}

// Totals of the budget equal the sum of its lines to the cent, in Go and in
// PostgreSQL, with amounts where float64 would already be off.
func TestBudgetAndSpendingSumsAreExact(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx, db, muni := w.ctx, w.db, w.muni.ID
	p, ms := w.adoptedPlan(
		[]models.BudgetInput{bl(2025, "municipal", "0.10"), bl(2025, "donor", "0.20"), bl(2026, "municipal", "999999999999.99")},
		[]models.BudgetInput{bl(2025, "municipal", "0,01"), bl(2026, "pes", "1234.56")},
	)
	m1, m2 := ms[0], ms[1]
	wantMoney(t, "M1 total", m1.Total(), "1000000000000.29")
	wantMoney(t, "M2 total", m2.Total(), "1234.57")

	b := p.Matrix()
	if !slices.Equal(b.Sources, []string{"municipal", "pes", "donor"}) || !slices.Equal(b.Years, []int{2025, 2026}) {
		t.Fatalf("matrix axes: %v %v", b.Sources, b.Years)
	}
	wantMoney(t, "municipal 2025", b.Cell("municipal", 2025), "0.11")
	wantMoney(t, "municipal 2026", b.Cell("municipal", 2026), "999999999999.99")
	wantMoney(t, "donor 2025", b.Cell("donor", 2025), "0.20")
	wantMoney(t, "csw 2025 (nothing planned)", b.Cell("csw", 2025), "0")
	wantMoney(t, "by source municipal", b.BySource["municipal"], "1000000000000.10")
	wantMoney(t, "by year 2025", b.ByYear[2025], "0.31")
	wantMoney(t, "by year 2026", b.ByYear[2026], "1000000001234.55")
	wantMoney(t, "by measure M1", b.ByMeasure[m1.ID], "1000000000000.29")
	wantMoney(t, "total", b.Total, "1000000001234.86")
	var sqlSum string
	w.must(db.Raw(`SELECT sum(amount)::text FROM measure_budget_lines WHERE plan_id = ?`, p.ID).Scan(&sqlSum).Error)
	wantMoney(t, "matrix total against SQL sum", b.Total, sqlSum)

	// Spending over two periods; a summary up to a period counts only what
	// was spent by its end.
	h1 := w.period(p.ID, "2025 H1", "2025-01-01", "2025-06-30")
	h2 := w.period(p.ID, "2025 H2", "2025-07-01", "2025-12-31")
	spend := func(m *models.Measure, per *models.Period, lines ...models.SpentInput) {
		in := progressInput()
		in.Spent = lines
		_, err := models.SaveProgress(ctx, db, w.actor, muni, m.ID, per.ID, 0, orgp(w.town), true, in)
		w.must(err)
	}
	spend(m1, h1, models.SpentInput{Source: "municipal", Amount: "0.10"}, models.SpentInput{Source: "municipal", Amount: "0.20"})
	spend(m2, h1, models.SpentInput{Source: "donor", Amount: "1000.05"})
	spend(m1, h2, models.SpentInput{Source: "municipal", Amount: "999999999999.99"}, models.SpentInput{Source: "pes", Amount: "0.01"})

	rep, err := models.GetProgress(ctx, db, muni, m1.ID, h2.ID)
	w.must(err)
	wantMoney(t, "M1 H2 spent", rep.SpentTotal(), "1000000000000.00")

	all, err := models.PlanSummaryOf(ctx, db, muni, p.ID, nil)
	w.must(err)
	wantMoney(t, "planned total", all.PlannedTotal, "1000000001234.86")
	wantMoney(t, "planned municipal", all.Planned["municipal"], "1000000000000.10")
	wantMoney(t, "planned 2026", all.PlannedByYear[2026], "1000000001234.55")
	wantMoney(t, "spent total", all.SpentTotal, "1000000001000.35")
	wantMoney(t, "spent municipal", all.Spent["municipal"], "1000000000000.29")
	wantMoney(t, "spent donor", all.Spent["donor"], "1000.05")
	wantMoney(t, "spent 2025", all.SpentByYear[2025], "1000000001000.35")
	if all.Currency != "BAM" || all.Beneficiaries.Total != 36 || all.Beneficiaries.ByGroup["roma"] != 27 || all.Outcomes.Employed != 9 {
		t.Fatalf("summary people and currency: %+v", all)
	}
	upToH1, err := models.PlanSummaryOf(ctx, db, muni, p.ID, &h1.ID)
	w.must(err)
	wantMoney(t, "spent up to H1", upToH1.SpentTotal, "1000.35")
	wantMoney(t, "spent municipal up to H1", upToH1.Spent["municipal"], "0.30")
	if upToH1.Beneficiaries.Total != 24 {
		t.Errorf("people up to H1: %d", upToH1.Beneficiaries.Total)
	}
	var sqlSpent string
	w.must(db.Raw(`SELECT sum(amount)::text FROM progress_spending WHERE municipality_id = ?`, muni).Scan(&sqlSpent).Error)
	wantMoney(t, "summary spent against SQL sum", all.SpentTotal, sqlSpent)
}

func TestExecutionPercent(t *testing.T) {
	t.Parallel()
	cases := []struct{ planned, spent, want string }{
		{"0", "100", "0"}, {"3", "1", "33.3"}, {"3", "2", "66.7"}, {"1000.00", "1000.00", "100"}, {"200", "250.50", "125.3"},
	}
	for _, c := range cases {
		s := models.Summary{PlannedTotal: dec(c.planned), SpentTotal: dec(c.spent)}
		wantMoney(t, "execution of "+c.spent+"/"+c.planned, s.ExecutionPercent(), c.want)
	}
}

func TestBudgetLineValidation(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p := w.draftPlan("Plan", "2025-01-01", "2026-12-31")
	o := w.objective(p.ID, "O1")
	in := withBudget(w.measureInput(o.ID, "M1"), bl(2027, "municipal", "10"), bl(2025, "lottery", "10"),
		bl(2025, "municipal", "10.001"), bl(2025, "municipal", "-1"), bl(2025, "municipal", "1.000,00"))
	_, err := models.CreateMeasure(w.ctx, w.db, w.actor, w.muni.ID, p.ID, in)
	for field, key := range map[string]string{"budget[0].year": "validation.year_in_period", "budget[1].source": "validation.source",
		"budget[2].amount": "validation.amount", "budget[3].amount": "validation.amount", "budget[4].amount": "validation.amount"} {
		wantInvalid(t, err, field, key)
	}
}
