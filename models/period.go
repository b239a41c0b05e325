package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Period is a reporting period of an adopted plan (e.g. a half-year).
type Period struct {
	ID             int64      `json:"id" gorm:"primaryKey"`
	PlanID         int64      `json:"plan_id"`
	MunicipalityID int64      `json:"-"`
	Label          string     `json:"label"`
	StartDate      Date       `json:"start_date"`
	EndDate        Date       `json:"end_date"`
	DueDate        Date       `json:"due_date"`
	Status         string     `json:"status"`
	ClosedAt       *time.Time `json:"closed_at"`
	PublishedAt    *time.Time `json:"published_at"`
	ReportSHA256   *string    `json:"report_sha256" gorm:"column:report_sha256"`
	Version        int        `json:"version"`
	CreatedAt      time.Time  `json:"created_at"`

	// ContentSHA256 is set by PublishReport for its render: the content
	// hash the registered report prints (document.go).
	ContentSHA256 string `json:"-" gorm:"-"`
}

// TableName maps Period to reporting_periods.
func (Period) TableName() string { return "reporting_periods" }

// PeriodInput opens a period; the due date defaults to 30 days after its end.
type PeriodInput struct {
	Label     string
	StartDate Date
	EndDate   Date
	DueDate   Date
}

// OpenPeriod adds a reporting period to an adopted plan (409 otherwise).
func OpenPeriod(ctx context.Context, db *gorm.DB, a Actor, muniID, planID int64, in PeriodInput) (*Period, error) {
	in.Label = strings.TrimSpace(in.Label)
	var out *Period
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		p, err := lockPlan(tx, muniID, planID, 0)
		if err != nil {
			return err
		}
		if p.Status != PlanAdopted {
			return &StateError{"error.plan_not_adopted"}
		}
		if err := in.validate(tx, p); err != nil {
			return err
		}
		out = &Period{PlanID: planID, MunicipalityID: muniID, Label: in.Label, StartDate: in.StartDate, EndDate: in.EndDate,
			DueDate: in.DueDate, Status: "open", Version: 1}
		if err := tx.Create(out).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, a, muniID, "create", "reporting_period", out.ID, in)
	})
	return out, err
}

func (in *PeriodInput) validate(tx *gorm.DB, p *Plan) error {
	f := map[string]string{}
	checkText(f, "label", in.Label, 100, true)
	switch {
	case in.StartDate.IsZero():
		f["start_date"] = "validation.date"
	case in.EndDate.IsZero():
		f["end_date"] = "validation.date"
	case in.EndDate.Before(in.StartDate.Time):
		f["end_date"] = "validation.period_order"
	case in.StartDate.Before(p.PeriodStart.Time) || in.EndDate.After(p.PeriodEnd.Time):
		f["start_date"] = "validation.date_in_period"
	}
	if in.DueDate.IsZero() && !in.EndDate.IsZero() {
		in.DueDate = Date{in.EndDate.AddDate(0, 0, 30)}
	}
	var n int64
	if err := tx.Model(&Period{}).Where("plan_id = ? AND lower(label) = lower(?)", p.ID, in.Label).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		f["label"] = "validation.label_taken"
	}
	// Periods of one plan do not overlap: a report per measure and period
	// is what the cumulative figures add up, so an overlap would count the
	// same people twice.
	if _, bad := f["start_date"]; !bad && f["end_date"] == "" {
		if err := tx.Model(&Period{}).Where("plan_id = ? AND start_date <= ? AND end_date >= ?",
			p.ID, in.EndDate, in.StartDate).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			f["start_date"] = "validation.period_overlap"
		}
	}
	if len(f) > 0 {
		return &ValidationError{Fields: f}
	}
	return nil
}

// ClosePeriod locks a period: from then on the database refuses changes to its reports.
func ClosePeriod(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64) (*Period, error) {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var p Period
		if err := tx.Raw(`SELECT * FROM reporting_periods WHERE id = ? AND municipality_id = ? FOR UPDATE`, id, muniID).Scan(&p).Error; err != nil {
			return err
		}
		if p.ID == 0 {
			return ErrNotFound
		}
		if p.Status == "closed" {
			return &StateError{"error.period_closed"}
		}
		err := tx.Model(&Period{}).Where("id = ?", id).Updates(map[string]any{"status": "closed", "closed_at": time.Now(),
			"version": gorm.Expr("version + 1")}).Error
		if err != nil {
			return err
		}
		return Audit(ctx, tx, a, muniID, "close", "reporting_period", id, map[string]any{})
	})
	if err != nil {
		return nil, err
	}
	return GetPeriod(ctx, db, muniID, id)
}

// GetPeriod loads a period inside its municipality.
func GetPeriod(ctx context.Context, db *gorm.DB, muniID, id int64) (*Period, error) {
	var p Period
	err := db.WithContext(ctx).Where("id = ? AND municipality_id = ?", id, muniID).First(&p).Error
	return &p, notFound(err)
}

// ListPeriods lists a plan's periods in order.
func ListPeriods(ctx context.Context, db *gorm.DB, muniID, planID int64) ([]Period, error) {
	var out []Period
	err := db.WithContext(ctx).Where("plan_id = ? AND municipality_id = ?", planID, muniID).Order("start_date, id").Find(&out).Error
	return out, err
}

// MunicipalityOfPeriod answers which municipality owns a period (for the policy).
func MunicipalityOfPeriod(ctx context.Context, db *gorm.DB, id int64) (int64, error) {
	return municipalityOf(ctx, db, "reporting_periods", id)
}

// PublishReport freezes the assembly report of a closed period: the PDF is
// registered by its hash and becomes public.
func PublishReport(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64, render func(*Period) ([]byte, error)) (*Period, error) {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var p Period
		if err := tx.Raw(`SELECT * FROM reporting_periods WHERE id = ? AND municipality_id = ? FOR UPDATE`, id, muniID).Scan(&p).Error; err != nil {
			return err
		}
		switch {
		case p.ID == 0:
			return ErrNotFound
		case p.Status != "closed":
			return &StateError{"error.period_not_closed"}
		case p.PublishedAt != nil:
			return &StateError{"error.report_published"}
		}
		canonical, err := reportContent(ctx, tx, &p)
		if err != nil {
			return err
		}
		p.ContentSHA256 = SHA256Hex(canonical)
		content, err := render(&p)
		if err != nil {
			return err
		}
		sum := SHA256Hex(content)
		doc := RegisteredDocument{SHA256: sum, ContentSHA256: &p.ContentSHA256, MunicipalityID: muniID, Kind: DocReport, ObjectID: id, Content: content}
		if err := tx.Create(&doc).Error; err != nil {
			return err
		}
		err = tx.Model(&Period{}).Where("id = ?", id).Updates(map[string]any{"published_at": time.Now(), "report_sha256": sum,
			"version": gorm.Expr("version + 1")}).Error
		if err != nil {
			return err
		}
		if err := Audit(ctx, tx, a, muniID, "publish", "reporting_period", id, map[string]any{"sha256": sum}); err != nil {
			return err
		}
		if err := notifyReportPublished(ctx, tx, a, &p); err != nil {
			return err
		}
		return EnqueueWebhookEvent(ctx, tx, muniID, EventReportPublished, map[string]any{"period_id": id, "plan_id": p.PlanID,
			"label": p.Label, "report_sha256": sum,
			"report_path": fmt.Sprintf("/api/v1/action-plans/%d/report.pdf?period_id=%d", p.PlanID, id)})
	})
	if err != nil {
		return nil, err
	}
	return GetPeriod(ctx, db, muniID, id)
}

// PublishedReport returns the registered PDF of a published period.
func PublishedReport(ctx context.Context, db *gorm.DB, periodID int64) ([]byte, error) {
	var doc RegisteredDocument
	err := db.WithContext(ctx).Where("kind = 'report' AND object_id = ?", periodID).First(&doc).Error
	return doc.Content, notFound(err)
}

// DueReport is a measure report an organisation still owes.
type DueReport struct {
	MeasureID   int64
	MeasureCode string
	Title       string
	PeriodID    int64
	PeriodLabel string
	DueDate     Date
	Review      string // "" (not started), "draft" or "returned" (sent back)
}

// ReportsDue lists, for an organisation, the open periods' measures it leads
// or partners whose report is missing, a draft or sent back.
func ReportsDue(ctx context.Context, db *gorm.DB, orgID int64) ([]DueReport, error) {
	return reportsDue(ctx, db, 0, orgID)
}

// ReportsDueFor is ReportsDue for one person of the organisation: only in
// the municipalities where they report for it (coordinator or member).
func ReportsDueFor(ctx context.Context, db *gorm.DB, userID, orgID int64) ([]DueReport, error) {
	return reportsDue(ctx, db, userID, orgID)
}

func reportsDue(ctx context.Context, db *gorm.DB, userID, orgID int64) ([]DueReport, error) {
	var out []DueReport
	err := db.WithContext(ctx).Raw(`SELECT m.id AS measure_id, m.code AS measure_code, m.title, rp.id AS period_id,
		rp.label AS period_label, rp.due_date, coalesce(pr.review, '') AS review
		FROM plan_measures m JOIN reporting_periods rp ON rp.plan_id = m.plan_id AND rp.status = 'open'
		LEFT JOIN progress_reports pr ON pr.measure_id = m.id AND pr.period_id = rp.id
		WHERE (m.lead_organisation_id = ? OR ? = ANY(m.partner_organisation_ids))
		AND (? = 0 OR rp.municipality_id IN (SELECT ms.municipality_id FROM memberships ms
			WHERE ms.user_id = ? AND ms.role IN ('coordinator', 'member')))
		AND m.start_date <= rp.end_date AND m.end_date >= rp.start_date
		AND (pr.id IS NULL OR pr.review IN ('draft', 'returned'))
		ORDER BY rp.due_date, m.code`, orgID, orgID, userID, userID).Scan(&out).Error
	return out, err
}

// PublishedReportLink is a public report on a municipality's page.
type PublishedReportLink struct {
	PlanID      int64
	PeriodID    int64
	PlanTitle   string
	PeriodLabel string
	SHA256      string `gorm:"column:sha256"`
}

// PublishedReports lists a municipality's published progress reports.
func PublishedReports(ctx context.Context, db *gorm.DB, muniID int64) ([]PublishedReportLink, error) {
	var out []PublishedReportLink
	err := db.WithContext(ctx).Raw(`SELECT p.id AS plan_id, rp.id AS period_id, p.title AS plan_title, rp.label AS period_label,
		rp.report_sha256 AS sha256 FROM reporting_periods rp JOIN action_plans p ON p.id = rp.plan_id
		WHERE rp.municipality_id = ? AND rp.published_at IS NOT NULL ORDER BY rp.end_date DESC`, muniID).Scan(&out).Error
	return out, err
}
