package models

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// ProgressStatuses are the statuses of a measure in a period (API.md).
var ProgressStatuses = []string{"not_started", "on_track", "delayed", "completed", "cancelled"}

// Progress is one measure's report for one period.
type Progress struct {
	ID                 int64         `json:"id" gorm:"primaryKey"`
	MeasureID          int64         `json:"measure_id"`
	PeriodID           int64         `json:"period_id"`
	PlanID             int64         `json:"plan_id"`
	MunicipalityID     int64         `json:"-"`
	Status             string        `json:"status"`
	PercentComplete    int           `json:"percent_complete"`
	Narrative          string        `json:"narrative"`
	BeneficiariesTotal int           `json:"-"`
	BeneficiariesWomen int           `json:"-"`
	BeneficiariesMen   int           `json:"-"`
	Employed           int           `json:"-"`
	Trained            int           `json:"-"`
	CompletedEducation int           `json:"-"`
	SelfEmployed       int           `json:"-"`
	Review             string        `json:"review"`
	ReviewComment      string        `json:"review_comment"`
	SubmittedAt        *time.Time    `json:"submitted_at"`
	ReviewedAt         *time.Time    `json:"reviewed_at"`
	Version            int           `json:"version"`
	UpdatedBy          *int64        `json:"-"`
	UpdatedAt          time.Time     `json:"updated_at"`
	Spent              []Spending    `json:"spent" gorm:"-"`
	IndicatorValues    []ActualValue `json:"indicator_values" gorm:"-"`
	Groups             []GroupCount  `json:"-" gorm:"-"`
	Flags              []string      `json:"flags" gorm:"-"`
	PublicNarrative    *string       `json:"-" gorm:"-"` // the coordinator's public wording (narrative_disclosure.go)
	NarrativeFlags     []string      `json:"-" gorm:"-"` // numbers below five in the public text
}

// TableName maps Progress to progress_reports.
func (Progress) TableName() string { return "progress_reports" }

// Spending is money spent from one source in the period.
type Spending struct {
	ID             int64           `json:"-" gorm:"primaryKey"`
	ReportID       int64           `json:"-"`
	PeriodID       int64           `json:"-"`
	MunicipalityID int64           `json:"-"`
	Position       int             `json:"-"`
	Source         string          `json:"source"`
	Funder         string          `json:"funder"`
	Amount         decimal.Decimal `json:"amount"`
}

// TableName maps Spending to progress_spending.
func (Spending) TableName() string { return "progress_spending" }

// ActualValue is a plan indicator's actual value in a period.
type ActualValue struct {
	ReportID       int64           `json:"-" gorm:"primaryKey"`
	IndicatorID    int64           `json:"indicator_id" gorm:"primaryKey"`
	PeriodID       int64           `json:"-"`
	MunicipalityID int64           `json:"-"`
	Value          decimal.Decimal `json:"value"`
}

// TableName maps ActualValue to progress_indicator_values.
func (ActualValue) TableName() string { return "progress_indicator_values" }

// GroupCount is people reached from one vulnerable group.
type GroupCount struct {
	ReportID       int64 `gorm:"primaryKey"`
	PeriodID       int64
	MunicipalityID int64
	GroupCode      string `gorm:"primaryKey"`
	N              int    `gorm:"column:n"`
}

// TableName maps GroupCount to progress_beneficiary_groups.
func (GroupCount) TableName() string { return "progress_beneficiary_groups" }

// Beneficiaries are people reached, by sex and group (API.md shape).
type Beneficiaries struct {
	Total   int            `json:"total"`
	Women   int            `json:"women"`
	Men     int            `json:"men"`
	ByGroup map[string]int `json:"by_group"`
}

// Outcomes are results for people (API.md shape).
type Outcomes struct {
	Employed           int `json:"employed"`
	Trained            int `json:"trained"`
	CompletedEducation int `json:"completed_education"`
	SelfEmployed       int `json:"self_employed"`
}

// BeneficiariesOf returns the report's beneficiaries in API shape.
func (p *Progress) BeneficiariesOf() Beneficiaries {
	b := Beneficiaries{Total: p.BeneficiariesTotal, Women: p.BeneficiariesWomen, Men: p.BeneficiariesMen, ByGroup: map[string]int{}}
	for _, g := range p.Groups {
		b.ByGroup[g.GroupCode] = g.N
	}
	return b
}

// OutcomesOf returns the report's outcomes in API shape.
func (p *Progress) OutcomesOf() Outcomes {
	return Outcomes{p.Employed, p.Trained, p.CompletedEducation, p.SelfEmployed}
}

// ProgressInput is the body of PUT /measures/{id}/progress/{period_id}.
type ProgressInput struct {
	Status          string        `json:"status"`
	PercentComplete *int          `json:"percent_complete"`
	Narrative       string        `json:"narrative"`
	Spent           []SpentInput  `json:"spent"`
	IndicatorValues []ValueInput  `json:"indicator_values"`
	Beneficiaries   Beneficiaries `json:"beneficiaries"`
	Outcomes        Outcomes      `json:"outcomes"`
}

// SpentInput is one spending line as sent.
type SpentInput struct {
	Source string  `json:"source"`
	Funder string  `json:"funder"`
	Amount NumText `json:"amount"`
}

// ValueInput is one indicator value as sent.
type ValueInput struct {
	IndicatorID int64   `json:"indicator_id"`
	Value       NumText `json:"value"`
}

// checkProgress validates the input; every bad value is reported on its field.
func checkProgress(in *ProgressInput, m *Measure) ([]decimal.Decimal, []decimal.Decimal, error) {
	f := map[string]string{}
	in.Narrative = strings.TrimSpace(in.Narrative)
	if !contains(ProgressStatuses, in.Status) {
		f["status"] = "validation.progress_status"
	}
	if in.PercentComplete == nil || *in.PercentComplete < 0 || *in.PercentComplete > 100 {
		f["percent_complete"] = "validation.percent"
	}
	checkText(f, "narrative", in.Narrative, 10000, false)
	checkPeople(f, in.Beneficiaries, in.Outcomes)
	var amounts, values []decimal.Decimal
	for i, s := range in.Spent {
		k := fmt.Sprintf("spent[%d].", i)
		if !contains(BudgetSources, s.Source) {
			f[k+"source"] = "validation.source"
		}
		amounts = append(amounts, parseField(f, k+"amount", string(s.Amount)))
	}
	ids := map[int64]bool{}
	for _, ind := range m.Indicators {
		ids[ind.ID] = true
	}
	for i, v := range in.IndicatorValues {
		if !ids[v.IndicatorID] {
			f[fmt.Sprintf("indicator_values[%d].indicator_id", i)] = "validation.indicator"
		}
		values = append(values, parseField(f, fmt.Sprintf("indicator_values[%d].value", i), string(v.Value)))
	}
	if len(f) > 0 {
		return nil, nil, &ValidationError{Fields: f}
	}
	return amounts, values, nil
}

func checkPeople(f map[string]string, b Beneficiaries, o Outcomes) {
	for k, n := range map[string]int{"beneficiaries.total": b.Total, "beneficiaries.women": b.Women, "beneficiaries.men": b.Men,
		"outcomes.employed": o.Employed, "outcomes.trained": o.Trained, "outcomes.completed_education": o.CompletedEducation,
		"outcomes.self_employed": o.SelfEmployed} {
		if n < 0 {
			f[k] = "validation.negative"
		}
	}
	if b.Women >= 0 && b.Men >= 0 && b.Women+b.Men > b.Total {
		f["beneficiaries.total"] = "validation.women_men_total"
	}
	for g, n := range b.ByGroup {
		switch {
		case !contains(VulnerableGroupCodes, g):
			f["beneficiaries.by_group."+g] = "validation.group"
		case n < 0:
			f["beneficiaries.by_group."+g] = "validation.negative"
		case n > b.Total:
			f["beneficiaries.by_group."+g] = "validation.group_over_total"
		}
	}
}

// ReporterRights says who may write a measure's report: coordinators, and
// members of the lead or a partner organisation.
func ReporterRights(m *Measure, callerOrg *int64, coordinator bool) bool {
	if coordinator {
		return true
	}
	return callerOrg != nil && (*callerOrg == m.LeadOrganisationID || m.PartnerOrganisationIDs.Has(*callerOrg))
}

// SaveProgress writes a measure's report for a period. The period must have
// started (422 on period_id) and be open (409), the version current (412); a submitted or accepted report is
// read-only until the coordinator sends it back.
//
// A save is a small fixed number of statements however many lines it
// carries (TestProgressSaveStatements): the measure (locked) and its parts,
// the period, the old report (locked), the report row, one statement for
// the spending lines, the indicator values, the groups (unchanged lines are
// left as they are) and the audit row. The
// answer is built from what was written, not read back.
func SaveProgress(ctx context.Context, db *gorm.DB, a Actor, muniID, measureID, periodID int64, version int,
	callerOrg *int64, coordinator bool, in ProgressInput) (*Progress, error) {
	var row *Progress
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Serialise writers of one measure: the first report of a period has
		// no row to lock yet, and two first saves must not both insert.
		m, err := lockMeasure(tx, muniID, measureID)
		if err != nil {
			return err
		}
		per, err := GetPeriod(ctx, tx, muniID, periodID)
		if err != nil {
			return err
		}
		if per.PlanID != m.PlanID {
			return ErrNotFound
		}
		if !ReporterRights(m, callerOrg, coordinator) {
			return ErrNotResponsible
		}
		// Nothing can be reported yet on a period that has not started.
		if per.StartDate.After(Today().Time) {
			return Invalid("period_id", "validation.period_not_started")
		}
		amounts, values, err := checkProgress(&in, m)
		if err != nil {
			return err
		}
		old, err := lockProgress(tx, measureID, periodID)
		if err != nil {
			return err
		}
		if err := writable(per, old, version); err != nil {
			return err
		}
		row = progressRow(m, per, in, old, a)
		// The lines and the audit row go in one statement (writeBatch).
		if err := replaceProgress(tx, a, row, old != nil, in, amounts, values); err != nil {
			return err
		}
		row.Flags = spendingFlags(m, row.Spent)
		if old != nil { // a save leaves the coordinator's public wording as it is
			row.PublicNarrative = old.PublicNarrative
		}
		row.flagNarrative()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return row, nil
}

// lockMeasure loads a measure with its indicators and budget lines, the
// measure's row locked (FOR NO KEY UPDATE) until the transaction ends.
func lockMeasure(tx *gorm.DB, muniID, measureID int64) (*Measure, error) {
	var ms []Measure
	if err := tx.Raw(`SELECT * FROM plan_measures WHERE id = ? AND municipality_id = ? FOR NO KEY UPDATE`, measureID, muniID).
		Scan(&ms).Error; err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		return nil, ErrNotFound
	}
	p := &Plan{Measures: ms[:1]}
	var inds []Indicator
	var lines []BudgetLine
	if err := tx.Where("measure_id = ?", measureID).Order("position").Find(&inds).Error; err != nil {
		return nil, err
	}
	if err := tx.Where("measure_id = ?", measureID).Order("position").Find(&lines).Error; err != nil {
		return nil, err
	}
	attachParts(p, inds, lines, nil)
	return &p.Measures[0], nil
}

func writable(per *Period, old *Progress, version int) error {
	switch {
	case per.Status == "closed":
		return &StateError{"error.period_closed"}
	case old != nil && version != 0 && version != old.Version:
		return ErrStale
	case old != nil && (old.Review == "submitted" || old.Review == "accepted"):
		return &StateError{"error.report_not_editable"}
	}
	return nil
}

func progressRow(m *Measure, per *Period, in ProgressInput, old *Progress, a Actor) *Progress {
	row := &Progress{MeasureID: m.ID, PeriodID: per.ID, PlanID: m.PlanID, MunicipalityID: m.MunicipalityID, Status: in.Status,
		PercentComplete: *in.PercentComplete, Narrative: in.Narrative, BeneficiariesTotal: in.Beneficiaries.Total,
		BeneficiariesWomen: in.Beneficiaries.Women, BeneficiariesMen: in.Beneficiaries.Men, Employed: in.Outcomes.Employed,
		Trained: in.Outcomes.Trained, CompletedEducation: in.Outcomes.CompletedEducation, SelfEmployed: in.Outcomes.SelfEmployed,
		Review: "draft", Version: 1, UpdatedBy: userRef(a), UpdatedAt: time.Now()}
	if old != nil {
		row.ID, row.Version, row.Review, row.ReviewComment = old.ID, old.Version+1, old.Review, old.ReviewComment
	}
	return row
}

// replaceProgress upserts the report row, then replaces its lines and
// writes the audit row in one statement (writeBatch); lines that did not
// change are not touched. existed says whether the report was there before
// (else it has no lines).
func replaceProgress(tx *gorm.DB, a Actor, row *Progress, existed bool, in ProgressInput, amounts, values []decimal.Decimal) error {
	if err := tx.Omit("Spent", "IndicatorValues", "Groups", "Flags", "PublicNarrative", "NarrativeFlags").Save(row).Error; err != nil {
		return err
	}
	row.UpdatedAt = row.UpdatedAt.Truncate(time.Microsecond) // as stored
	row.Spent, row.IndicatorValues, row.Groups = []Spending{}, []ActualValue{}, []GroupCount{}
	for i, s := range in.Spent {
		row.Spent = append(row.Spent, Spending{ReportID: row.ID, PeriodID: row.PeriodID, MunicipalityID: row.MunicipalityID,
			Position: i, Source: s.Source, Funder: strings.TrimSpace(s.Funder), Amount: amounts[i]})
	}
	last := map[int64]int{} // an indicator sent twice: the last value counts
	for i, v := range in.IndicatorValues {
		if j, ok := last[v.IndicatorID]; ok {
			row.IndicatorValues[j].Value = values[i]
			continue
		}
		last[v.IndicatorID] = len(row.IndicatorValues)
		row.IndicatorValues = append(row.IndicatorValues, ActualValue{ReportID: row.ID, IndicatorID: v.IndicatorID,
			PeriodID: row.PeriodID, MunicipalityID: row.MunicipalityID, Value: values[i]})
	}
	slices.SortFunc(row.IndicatorValues, func(a, b ActualValue) int { return cmp.Compare(a.IndicatorID, b.IndicatorID) })
	for g, n := range in.Beneficiaries.ByGroup {
		row.Groups = append(row.Groups, GroupCount{ReportID: row.ID, PeriodID: row.PeriodID, MunicipalityID: row.MunicipalityID, GroupCode: g, N: n})
	}
	slices.SortFunc(row.Groups, func(a, b GroupCount) int { return strings.Compare(a.GroupCode, b.GroupCode) })
	var b writeBatch
	replaceSpending(&b, row, existed)
	replaceValues(&b, row, existed)
	replaceGroups(&b, row, existed)
	if err := b.audit(a, row.MunicipalityID, "report", "measure", row.MeasureID,
		map[string]any{"period_id": row.PeriodID, "report": in}); err != nil {
		return err
	}
	return b.exec(tx)
}

// writeBatch gathers writes sent to PostgreSQL as one statement, each a
// WITH item of it: one round trip instead of one per write. Under load a
// round trip costs far more than its SQL (the request waits for the CPU
// again each time), and a save makes several. Every item sees the same
// snapshot, so items must not depend on each other's effects.
type writeBatch struct {
	items []string
	args  []any
}

// add appends a WITH item named name (unique in the batch).
func (b *writeBatch) add(name, sql string, args ...any) {
	b.items = append(b.items, name+" AS ("+sql+")")
	b.args = append(b.args, args...)
}

// audit adds the audit row of the write (see Audit).
func (b *writeBatch) audit(a Actor, muniID int64, action, objType string, objID int64, changes any) error {
	e, err := auditEntry(a, muniID, action, objType, objID, changes)
	if err != nil {
		return err
	}
	b.add("audit_row", `INSERT INTO audit_log (municipality_id, user_id, action, object_type, object_id, changes, ip, created_at)
		VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?)`, e.MunicipalityID, e.UserID, e.Action, e.ObjectType, e.ObjectID, string(e.Changes), e.IP, time.Now())
	return nil
}

// exec runs the batch.
func (b *writeBatch) exec(tx *gorm.DB) error {
	if len(b.items) == 0 {
		return nil
	}
	return tx.Exec("WITH "+strings.Join(b.items, ",\n")+"\nSELECT 1", b.args...).Error
}

// valuesList is "(?, ?, …), (…)" for rows of n columns, the first row cast
// to types so that PostgreSQL knows the columns' types.
func valuesList(rows int, types ...string) string {
	var b strings.Builder
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for i, t := range types {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("?")
			if r == 0 {
				b.WriteString("::" + t)
			}
		}
		b.WriteByte(')')
	}
	return b.String()
}

// replaceSpending makes the report's spending lines those of row.Spent: a
// line equal to the one at its position stays.
func replaceSpending(b *writeBatch, row *Progress, existed bool) {
	if len(row.Spent) == 0 {
		if existed {
			b.add("sp_gone", `DELETE FROM progress_spending WHERE report_id = ?`, row.ID)
		}
		return
	}
	args := []any{}
	for _, s := range row.Spent {
		args = append(args, s.Position, s.Source, s.Funder, s.Amount)
	}
	b.add("sp_new", `VALUES `+valuesList(len(row.Spent), "int", "text", "text", "numeric"), args...)
	b.add("sp_gone", `DELETE FROM progress_spending s WHERE s.report_id = ? AND NOT EXISTS (SELECT 1 FROM sp_new n
			WHERE n.column1 = s.position AND n.column2 = s.source AND n.column3 = s.funder AND n.column4 = s.amount)`, row.ID)
	b.add("sp_put", `INSERT INTO progress_spending (report_id, period_id, municipality_id, position, source, funder, amount)
		SELECT ?, ?, ?, n.column1, n.column2, n.column3, n.column4 FROM sp_new n
		WHERE NOT EXISTS (SELECT 1 FROM progress_spending s WHERE s.report_id = ?
			AND s.position = n.column1 AND s.source = n.column2 AND s.funder = n.column3 AND s.amount = n.column4)`,
		row.ID, row.PeriodID, row.MunicipalityID, row.ID)
}

// replaceValues makes the report's indicator values those of
// row.IndicatorValues in one statement; an unchanged value is not written.
func replaceValues(b *writeBatch, row *Progress, existed bool) {
	pairs := make([]any, 0, 2*len(row.IndicatorValues))
	for _, v := range row.IndicatorValues {
		pairs = append(pairs, v.IndicatorID, v.Value)
	}
	replaceKeyed(b, "iv", row, existed, keyedLines{"progress_indicator_values", "indicator_id", "bigint", "value", "numeric"}, pairs)
}

// replaceGroups makes the report's people by group those of row.Groups in
// one statement; an unchanged count is not written.
func replaceGroups(b *writeBatch, row *Progress, existed bool) {
	pairs := make([]any, 0, 2*len(row.Groups))
	for _, g := range row.Groups {
		pairs = append(pairs, g.GroupCode, g.N)
	}
	replaceKeyed(b, "bg", row, existed, keyedLines{"progress_beneficiary_groups", "group_code", "text", "n", "int"}, pairs)
}

// keyedLines names a table of a report's lines with one value per key
// (constants of this file, never input).
type keyedLines struct{ table, key, keyType, value, valueType string }

// replaceKeyed makes the report's lines of t exactly pairs (key, value,
// key, value, ...) in one statement: missing keys are deleted, new ones
// inserted, changed values updated, unchanged ones not written.
func replaceKeyed(b *writeBatch, name string, row *Progress, existed bool, t keyedLines, pairs []any) {
	if len(pairs) == 0 {
		if existed {
			b.add(name+"_gone", `DELETE FROM `+t.table+` WHERE report_id = ?`, row.ID)
		}
		return
	}
	b.add(name+"_new", `VALUES `+valuesList(len(pairs)/2, t.keyType, t.valueType), pairs...)
	b.add(name+"_gone", `DELETE FROM `+t.table+` x WHERE x.report_id = ? AND x.`+t.key+` NOT IN (SELECT column1 FROM `+name+`_new)`, row.ID)
	b.add(name+"_put", `INSERT INTO `+t.table+` AS x (report_id, `+t.key+`, period_id, municipality_id, `+t.value+`)
		SELECT ?, n.column1, ?, ?, n.column2 FROM `+name+`_new n
		ON CONFLICT (report_id, `+t.key+`) DO UPDATE SET `+t.value+` = excluded.`+t.value+`
		WHERE x.`+t.value+` IS DISTINCT FROM excluded.`+t.value, row.ID, row.PeriodID, row.MunicipalityID)
}

func measureAndPeriod(ctx context.Context, tx *gorm.DB, muniID, measureID, periodID int64) (*Measure, *Period, error) {
	m, err := GetMeasure(ctx, tx, muniID, measureID)
	if err != nil {
		return nil, nil, err
	}
	per, err := GetPeriod(ctx, tx, muniID, periodID)
	if err != nil {
		return nil, nil, err
	}
	if per.PlanID != m.PlanID {
		return nil, nil, ErrNotFound
	}
	return m, per, nil
}

// lockProgress loads a measure's report of a period, locked until the
// transaction ends, with its public wording (nil when there is no report).
func lockProgress(tx *gorm.DB, measureID, periodID int64) (*Progress, error) {
	var row struct {
		Progress
		PublicText *string
	}
	err := tx.Raw(`SELECT pr.*, (SELECT n.text FROM progress_public_narratives n WHERE n.report_id = pr.id) AS public_text
		FROM progress_reports pr WHERE pr.measure_id = ? AND pr.period_id = ? FOR UPDATE OF pr`, measureID, periodID).Scan(&row).Error
	if err != nil || row.ID == 0 {
		return nil, err
	}
	row.Progress.PublicNarrative = row.PublicText
	return &row.Progress, nil
}

// GetProgress loads a report with its lines and flags; ErrNotFound when none yet.
func GetProgress(ctx context.Context, db *gorm.DB, muniID, measureID, periodID int64) (*Progress, error) {
	db = db.WithContext(ctx)
	var p Progress
	if err := db.Where("measure_id = ? AND period_id = ? AND municipality_id = ?", measureID, periodID, muniID).First(&p).Error; err != nil {
		return nil, notFound(err)
	}
	db.Where("report_id = ?", p.ID).Order("position").Find(&p.Spent)
	db.Where("report_id = ?", p.ID).Order("indicator_id").Find(&p.IndicatorValues)
	db.Where("report_id = ?", p.ID).Order("group_code").Find(&p.Groups)
	m, err := GetMeasure(ctx, db, muniID, measureID)
	if err != nil {
		return nil, err
	}
	p.Flags = spendingFlags(m, p.Spent)
	if err := loadPublicNarratives(db, map[int64]*Progress{p.ID: &p}); err != nil {
		return nil, err
	}
	return &p, nil
}

// spendingFlags marks spending on a source the measure planned nothing from:
// allowed, but the commission should see it.
func spendingFlags(m *Measure, spent []Spending) []string {
	planned := map[string]bool{}
	for _, b := range m.Budget {
		planned[b.Source] = true
	}
	var flags []string
	for _, s := range spent {
		if !planned[s.Source] && !contains(flags, "unplanned_source:"+s.Source) {
			flags = append(flags, "unplanned_source:"+s.Source)
		}
	}
	return flags
}

// ReviewProgress moves a report through submit / accept / return.
func ReviewProgress(ctx context.Context, db *gorm.DB, a Actor, muniID, measureID, periodID int64, action, comment string,
	callerOrg *int64, coordinator bool) (*Progress, error) {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		m, per, err := measureAndPeriod(ctx, tx, muniID, measureID, periodID)
		if err != nil {
			return err
		}
		old, err := lockProgress(tx, measureID, periodID)
		if err != nil {
			return err
		}
		if old == nil {
			return ErrNotFound
		}
		if per.Status == "closed" {
			return &StateError{"error.period_closed"}
		}
		changes, err := reviewChange(action, strings.TrimSpace(comment), old, m, callerOrg, coordinator)
		if err != nil {
			return err
		}
		changes["version"] = gorm.Expr("version + 1")
		if err := tx.Model(&Progress{}).Where("id = ?", old.ID).Updates(changes).Error; err != nil {
			return err
		}
		if err := Audit(ctx, tx, a, muniID, "report_"+action, "measure", measureID, map[string]any{"period_id": periodID, "comment": comment}); err != nil {
			return err
		}
		return notifyReview(ctx, tx, a, m, per, action)
	})
	if err != nil {
		return nil, err
	}
	return GetProgress(ctx, db, muniID, measureID, periodID)
}

func reviewChange(action, comment string, old *Progress, m *Measure, callerOrg *int64, coordinator bool) (map[string]any, error) {
	now := time.Now()
	switch action {
	case "submit":
		if !ReporterRights(m, callerOrg, coordinator) {
			return nil, ErrNotResponsible
		}
		if old.Review != "draft" && old.Review != "returned" {
			return nil, &StateError{"error.report_not_editable"}
		}
		return map[string]any{"review": "submitted", "submitted_at": now}, nil
	case "accept", "return":
		if !coordinator {
			return nil, ErrNotResponsible
		}
		if old.Review != "submitted" {
			return nil, &StateError{"error.report_not_submitted"}
		}
		// A return must say why; either comment fits the column (2000).
		if err := checkReason("comment", comment, action == "return"); err != nil {
			return nil, err
		}
		if action == "return" {
			return map[string]any{"review": "returned", "review_comment": comment, "reviewed_at": now}, nil
		}
		return map[string]any{"review": "accepted", "review_comment": comment, "reviewed_at": now}, nil
	}
	return nil, ErrNotFound
}

// PeriodProgress loads every report of a period with its lines, keyed by
// measure, in a fixed number of queries.
func PeriodProgress(ctx context.Context, db *gorm.DB, muniID, periodID int64) (map[int64]*Progress, error) {
	db = db.WithContext(ctx)
	var rows []Progress
	if err := db.Where("period_id = ? AND municipality_id = ?", periodID, muniID).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := map[int64]*Progress{}
	byID := map[int64]*Progress{}
	for i := range rows {
		out[rows[i].MeasureID], byID[rows[i].ID] = &rows[i], &rows[i]
	}
	var spent []Spending
	var values []ActualValue
	var groups []GroupCount
	db.Where("period_id = ?", periodID).Order("report_id, position").Find(&spent)
	db.Where("period_id = ?", periodID).Order("report_id, indicator_id").Find(&values)
	db.Where("period_id = ?", periodID).Order("report_id, group_code").Find(&groups)
	for _, s := range spent {
		byID[s.ReportID].Spent = append(byID[s.ReportID].Spent, s)
	}
	for _, v := range values {
		byID[v.ReportID].IndicatorValues = append(byID[v.ReportID].IndicatorValues, v)
	}
	for _, g := range groups {
		byID[g.ReportID].Groups = append(byID[g.ReportID].Groups, g)
	}
	return out, loadPublicNarratives(db, byID)
}

// SpentTotal is the report's spending, exact.
func (p *Progress) SpentTotal() decimal.Decimal {
	sum := decimal.Zero
	for _, s := range p.Spent {
		sum = sum.Add(s.Amount)
	}
	return sum
}

// PlanProgress loads every period's reports of a plan: period id → measure id → report.
func PlanProgress(ctx context.Context, db *gorm.DB, muniID, planID int64) ([]Period, map[int64]map[int64]*Progress, error) {
	periods, err := ListPeriods(ctx, db, muniID, planID)
	if err != nil {
		return nil, nil, err
	}
	out := map[int64]map[int64]*Progress{}
	for _, per := range periods {
		if out[per.ID], err = PeriodProgress(ctx, db, muniID, per.ID); err != nil {
			return nil, nil, err
		}
	}
	return periods, out, nil
}
