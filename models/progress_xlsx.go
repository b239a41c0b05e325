package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// Progress reports sent in bulk (a workbook of one reporting period): every
// row goes through SaveProgress, so the rules are those of the form and the
// API; the whole batch is one transaction, so nothing is half-saved.

// ProgressRow is one measure's report as it came back in a batch.
type ProgressRow struct {
	MeasureID int64
	// Version is the report's version when the batch was prepared (0: no
	// report yet); Print is ProgressPrint of what was handed out then.
	Version int
	Print   string
	In      ProgressInput
}

// RowError is what went wrong with one row of a batch (by index).
type RowError struct {
	Row int
	Err error
}

// BatchError lists every row of a batch that could not be saved; then
// nothing was saved.
type BatchError struct{ Rows []RowError }

func (e *BatchError) Error() string { return "rows refused: " + errors.Join(e.errs()...).Error() }

func (e *BatchError) errs() []error {
	out := make([]error, 0, len(e.Rows))
	for _, r := range e.Rows {
		out = append(out, r.Err)
	}
	return out
}

// BatchResult counts the rows of a saved batch.
type BatchResult struct {
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// SaveProgressRows saves the rows that changed, in one transaction. A row
// equal to the stored report, or equal to what was handed out (someone else
// changed the report since, and this row does not touch it), is unchanged:
// no new version, no audit row. A changed row whose report moved on since
// it was handed out is ErrStale. Any refused row refuses the whole batch.
func SaveProgressRows(ctx context.Context, db *gorm.DB, a Actor, muniID, periodID int64, rows []ProgressRow,
	callerOrg *int64, coordinator bool) (BatchResult, error) {
	var res BatchResult
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res = BatchResult{}
		per, measures, current, err := lockBatch(ctx, tx, muniID, periodID)
		if err != nil {
			return err
		}
		if per.Status == "closed" {
			return &StateError{"error.period_closed"}
		}
		var refused []RowError
		for i, row := range rows {
			changed, err := saveBatchRow(ctx, tx, a, muniID, periodID, measures[row.MeasureID], current[row.MeasureID], row,
				callerOrg, coordinator)
			switch {
			case err != nil:
				refused = append(refused, RowError{i, err})
			case changed:
				res.Updated++
			default:
				res.Unchanged++
			}
		}
		if len(refused) > 0 {
			return &BatchError{Rows: refused}
		}
		return nil
	})
	return res, err
}

// lockBatch locks the period and every measure of its plan (in id order,
// the lock SaveProgress takes per measure), then reads the stored reports.
func lockBatch(ctx context.Context, tx *gorm.DB, muniID, periodID int64) (*Period, map[int64]*Measure, map[int64]*Progress, error) {
	var per Period
	err := tx.Raw(`SELECT * FROM reporting_periods WHERE id = ? AND municipality_id = ? FOR SHARE`, periodID, muniID).Scan(&per).Error
	if err != nil {
		return nil, nil, nil, err
	}
	if per.ID == 0 {
		return nil, nil, nil, ErrNotFound
	}
	err = tx.Exec(`SELECT 1 FROM plan_measures WHERE plan_id = ? ORDER BY id FOR NO KEY UPDATE`, per.PlanID).Error
	if err != nil {
		return nil, nil, nil, err
	}
	p, err := GetPlan(ctx, tx, muniID, per.PlanID)
	if err != nil {
		return nil, nil, nil, err
	}
	measures := map[int64]*Measure{}
	for i := range p.Measures {
		measures[p.Measures[i].ID] = &p.Measures[i]
	}
	current, err := PeriodProgress(ctx, tx, muniID, periodID)
	return &per, measures, current, err
}

// saveBatchRow saves one row when it changes something; see SaveProgressRows.
func saveBatchRow(ctx context.Context, tx *gorm.DB, a Actor, muniID, periodID int64, m *Measure, cur *Progress,
	row ProgressRow, callerOrg *int64, coordinator bool) (bool, error) {
	if m == nil {
		return false, ErrNotFound
	}
	if !ReporterRights(m, callerOrg, coordinator) {
		return false, ErrNotResponsible
	}
	sent := ProgressPrint(row.In)
	if sent == ProgressPrint(ProgressInputOf(cur)) || sent == row.Print {
		return false, nil
	}
	version := 0
	if cur != nil {
		version = cur.Version
		if cur.Review == "submitted" || cur.Review == "accepted" { // says more than "stale"
			return false, &StateError{"error.report_not_editable"}
		}
	}
	if version != row.Version {
		return false, ErrStale
	}
	// A savepoint per row: a refused row leaves the transaction usable, so
	// every refused row can be reported, and then all is rolled back.
	_, err := SaveProgress(ctx, tx, a, muniID, m.ID, periodID, version, callerOrg, coordinator, row.In)
	return err == nil, err
}

// ProgressInputOf is a stored report as input (the blank input for none).
func ProgressInputOf(p *Progress) ProgressInput {
	zero := 0
	in := ProgressInput{PercentComplete: &zero, Beneficiaries: Beneficiaries{ByGroup: map[string]int{}}}
	if p == nil {
		return in
	}
	pc := p.PercentComplete
	in.Status, in.PercentComplete, in.Narrative = p.Status, &pc, p.Narrative
	in.Beneficiaries, in.Outcomes = p.BeneficiariesOf(), p.OutcomesOf()
	for _, s := range p.Spent {
		in.Spent = append(in.Spent, SpentInput{Source: s.Source, Funder: s.Funder, Amount: NumText(Money(s.Amount))})
	}
	for _, v := range p.IndicatorValues {
		in.IndicatorValues = append(in.IndicatorValues, ValueInput{IndicatorID: v.IndicatorID, Value: NumText(QuantityText(v.Value))})
	}
	return in
}

// ProgressPrint is a short fingerprint of a report's content, the same for
// equal reports however they were written ("100" and "100.00", groups in
// any order, surrounding spaces).
func ProgressPrint(in ProgressInput) string {
	type line struct{ S, F, A string }
	type value struct {
		ID int64
		V  string
	}
	c := struct {
		Status, Narrative string
		Percent           int
		People            [3]int
		Groups            map[string]int
		Outcomes          Outcomes
		Spent             []line
		Values            []value
	}{Status: in.Status, Narrative: strings.TrimSpace(in.Narrative), Outcomes: in.Outcomes,
		People: [3]int{in.Beneficiaries.Total, in.Beneficiaries.Women, in.Beneficiaries.Men}}
	if len(in.Beneficiaries.ByGroup) > 0 {
		c.Groups = in.Beneficiaries.ByGroup
	}
	if in.PercentComplete != nil {
		c.Percent = *in.PercentComplete
	}
	for _, s := range in.Spent {
		c.Spent = append(c.Spent, line{s.Source, strings.TrimSpace(s.Funder), printNumber(s.Amount)})
	}
	for _, v := range in.IndicatorValues {
		c.Values = append(c.Values, value{v.IndicatorID, printNumber(v.Value)})
	}
	slices.SortFunc(c.Values, func(a, b value) int { return int(a.ID - b.ID) })
	raw, _ := json.Marshal(c) // map keys are sorted by encoding/json
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:12])
}

// printNumber is an amount in its one exact form, or as written when it is
// not one (then it is invalid and compares unequal to anything stored).
func printNumber(n NumText) string {
	if d, ok := ParseMoney(string(n)); ok {
		return Money(d)
	}
	return "?" + string(n)
}
