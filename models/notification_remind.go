package models

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// Reminder thresholds.
const (
	// ReminderLead is how far ahead a deadline is announced.
	ReminderLead = 14 * 24 * time.Hour
	// SignatureWait is how long a signature may be pending before a reminder.
	SignatureWait = 7 * 24 * time.Hour
	// reminderHorizon: items late by more than this get no reminder, so
	// switching reminders on over years of data does not flood anyone.
	reminderHorizon = 90 * 24 * time.Hour
)

// A reminder's threshold names which one of an item's reminders it is; an
// (item, threshold, recipient) is reminded once (table reminders_sent).
const (
	thresholdSoon    = "due_14d"
	thresholdOverdue = "overdue"
	thresholdPending = "pending_7d"
)

// reminder is one reminder of one item to its recipients.
type reminder struct {
	Kind           string
	Item           string // "report:<measure>:<period>", "commitment:<id>", ...
	Threshold      string
	MunicipalityID int64
	Title          string
	Due            Date
	Path           string
	UserIDs        []int64
}

// SendReminders runs one pass of the time-based reminders as of today:
// reports due within 14 days and overdue, commitments due and overdue,
// signatures pending for 7 days, questionnaires due and overdue. Each
// (item, threshold, recipient) is claimed in reminders_sent in the same
// transaction as its notification, so passes running at the same time on
// several instances remind once: the second insert waits for the first
// transaction and then finds the row. It returns how many people were
// reminded.
func SendReminders(ctx context.Context, db *gorm.DB, base string, today Date) (int, error) {
	var all []reminder
	for _, find := range []func(context.Context, *gorm.DB, Date) ([]reminder, error){
		reportReminders, commitmentReminders, signatureReminders, questionnaireReminders} {
		rs, err := find(ctx, db, today)
		if err != nil {
			return 0, err
		}
		all = append(all, rs...)
	}
	sent := 0
	for _, r := range all {
		for _, uid := range r.UserIDs {
			ok, err := remindOnce(ctx, db, base, r, uid)
			if err != nil {
				return sent, fmt.Errorf("reminder %s %s: %w", r.Kind, r.Item, err)
			}
			if ok {
				sent++
			}
		}
	}
	return sent, nil
}

// remindOnce claims (item, threshold, user) and notifies in one transaction.
func remindOnce(ctx context.Context, db *gorm.DB, base string, r reminder, userID int64) (bool, error) {
	claimed := false
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Exec(`INSERT INTO reminders_sent (kind, item, threshold, user_id) VALUES (?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, r.Kind, r.Item, r.Threshold, userID)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		claimed = true
		return Notify(ctx, tx, base, Notice{Kind: r.Kind, MunicipalityID: r.MunicipalityID, Title: r.Title,
			Due: r.Due, Path: r.Path, UserIDs: []int64{userID}})
	})
	return claimed, err
}

// orgPeople selects the active users of organisation column orgCol who
// hold at least the member role in the row's municipality; with
// coordinators, the municipality's coordinators as well (overdue items go
// to those who follow up). The row must have municipality_id as muniCol.
func orgPeople(orgCol, muniCol string, coordinators bool) string {
	q := `ARRAY(SELECT u.id FROM users u JOIN memberships ms ON ms.user_id = u.id AND ms.municipality_id = ` + muniCol + `
		WHERE u.status = 'active' AND ((u.organisation_id = ` + orgCol + ` AND ms.role IN ('coordinator', 'member'))`
	if coordinators {
		q += ` OR ms.role = 'coordinator'`
	}
	return q + `) ORDER BY u.id)`
}

// dueThreshold is the kind and threshold of a deadline as of today.
func dueThreshold(due, today Date, soonKind, overdueKind string) (string, string, bool) {
	switch {
	case due.Before(today.Time):
		return overdueKind, thresholdOverdue, true
	case !due.After(today.Add(ReminderLead)):
		return soonKind, thresholdSoon, true
	}
	return "", "", false
}

// reportReminders: measure reports of open periods not yet submitted
// (missing, draft or returned), for the lead organisation's people.
func reportReminders(ctx context.Context, db *gorm.DB, today Date) ([]reminder, error) {
	var rows []struct {
		MeasureID, PeriodID, MunicipalityID int64
		Code, Title, Label                  string
		DueDate                             Date
		Lead, Everyone                      Int64s `gorm:"type:bigint[]"`
	}
	err := db.WithContext(ctx).Raw(`SELECT m.id AS measure_id, rp.id AS period_id, rp.municipality_id, m.code, m.title,
		rp.label, rp.due_date, `+orgPeople("m.lead_organisation_id", "rp.municipality_id", false)+` AS lead,
		`+orgPeople("m.lead_organisation_id", "rp.municipality_id", true)+` AS everyone
		FROM reporting_periods rp JOIN action_plans p ON p.id = rp.plan_id AND p.status = 'adopted'
		JOIN plan_measures m ON m.plan_id = rp.plan_id AND m.start_date <= rp.end_date AND m.end_date >= rp.start_date
		LEFT JOIN progress_reports pr ON pr.measure_id = m.id AND pr.period_id = rp.id
		WHERE rp.status = 'open' AND rp.due_date BETWEEN ? AND ? AND (pr.id IS NULL OR pr.review IN ('draft', 'returned'))
		ORDER BY rp.id, m.id`, today.Add(-reminderHorizon), today.Add(ReminderLead)).Scan(&rows).Error
	var out []reminder
	for _, r := range rows {
		kind, th, ok := dueThreshold(r.DueDate, today, KindReportDue, KindReportOverdue)
		if !ok {
			continue
		}
		people := r.Lead
		if kind == KindReportOverdue {
			people = r.Everyone
		}
		out = append(out, reminder{Kind: kind, Item: "report:" + id(r.MeasureID) + ":" + id(r.PeriodID), Threshold: th,
			MunicipalityID: r.MunicipalityID, Title: r.Code + " " + r.Title + " (" + r.Label + ")", Due: r.DueDate,
			Path: "/measures/" + id(r.MeasureID) + "/progress/" + id(r.PeriodID), UserIDs: people})
	}
	return out, err
}

// commitmentReminders: commitments of agreements in force whose latest
// progress is not done, for the responsible organisation's people.
func commitmentReminders(ctx context.Context, db *gorm.DB, today Date) ([]reminder, error) {
	var rows []struct {
		ID, MunicipalityID int64
		Action             string
		DueDate            Date
		Lead, Everyone     Int64s `gorm:"type:bigint[]"`
	}
	err := db.WithContext(ctx).Raw(`SELECT c.id, c.municipality_id, c.action, c.due_date,
		`+orgPeople("c.responsible_organisation_id", "c.municipality_id", false)+` AS lead,
		`+orgPeople("c.responsible_organisation_id", "c.municipality_id", true)+` AS everyone
		FROM agreement_commitments c JOIN agreements a ON a.id = c.agreement_id AND a.status = 'in_force'
		WHERE c.due_date BETWEEN ? AND ? AND coalesce((SELECT cp.status FROM commitment_progress cp
			WHERE cp.commitment_id = c.id ORDER BY cp.id DESC LIMIT 1), 'pending') <> 'done'
		ORDER BY c.id`, today.Add(-reminderHorizon), today.Add(ReminderLead)).Scan(&rows).Error
	var out []reminder
	for _, r := range rows {
		kind, th, ok := dueThreshold(r.DueDate, today, KindCommitmentDue, KindCommitmentOverdue)
		if !ok {
			continue
		}
		people := r.Lead
		if kind == KindCommitmentOverdue {
			people = r.Everyone
		}
		out = append(out, reminder{Kind: kind, Item: "commitment:" + id(r.ID), Threshold: th, MunicipalityID: r.MunicipalityID,
			Title: truncate(r.Action, 200), Due: r.DueDate, Path: "/commitments", UserIDs: people})
	}
	return out, err
}

// signatureReminders: agreements open for signature for SignatureWait,
// for the signatories who have not signed.
func signatureReminders(ctx context.Context, db *gorm.DB, today Date) ([]reminder, error) {
	var rows []struct {
		ID, MunicipalityID int64
		Title              string
		Pending            Int64s `gorm:"type:bigint[]"`
	}
	err := db.WithContext(ctx).Raw(`SELECT a.id, a.municipality_id, a.title,
		ARRAY(SELECT p.signatory_user_id FROM agreement_parties p JOIN users u ON u.id = p.signatory_user_id
			WHERE p.agreement_id = a.id AND u.status = 'active'
			AND NOT EXISTS (SELECT 1 FROM agreement_signatures s WHERE s.party_id = p.id) ORDER BY 1) AS pending
		FROM agreements a WHERE a.status = 'open_for_signature' AND a.opened_at BETWEEN ? AND ?
		ORDER BY a.id`, today.Add(-reminderHorizon), today.Add(24*time.Hour-SignatureWait)).Scan(&rows).Error
	out := make([]reminder, 0, len(rows))
	for _, r := range rows {
		out = append(out, reminder{Kind: KindSignatureRequested, Item: "agreement:" + id(r.ID), Threshold: thresholdPending,
			MunicipalityID: r.MunicipalityID, Title: r.Title, Path: "/agreements/" + id(r.ID), UserIDs: r.Pending})
	}
	return out, err
}

// questionnaireReminders: questionnaires sent and not submitted, for the
// answering organisation's people.
func questionnaireReminders(ctx context.Context, db *gorm.DB, today Date) ([]reminder, error) {
	var rows []struct {
		ID, MunicipalityID int64
		Title, Template    string
		DueDate            Date
		Lead, Everyone     Int64s `gorm:"type:bigint[]"`
	}
	err := db.WithContext(ctx).Raw(`SELECT q.id, q.municipality_id, sa.title, q.template, q.due_date,
		`+orgPeople("q.organisation_id", "q.municipality_id", false)+` AS lead,
		`+orgPeople("q.organisation_id", "q.municipality_id", true)+` AS everyone
		FROM questionnaires q JOIN situation_analyses sa ON sa.id = q.situation_analysis_id
		WHERE q.status = 'sent' AND q.due_date BETWEEN ? AND ? ORDER BY q.id`, today.Add(-reminderHorizon), today.Add(ReminderLead)).Scan(&rows).Error
	var out []reminder
	for _, r := range rows {
		kind, th, ok := dueThreshold(r.DueDate, today, KindQuestionnaireDue, KindQuestionnaireOverdue)
		if !ok {
			continue
		}
		people := r.Lead
		if kind == KindQuestionnaireOverdue {
			people = r.Everyone
		}
		out = append(out, reminder{Kind: kind, Item: "questionnaire:" + id(r.ID), Threshold: th,
			MunicipalityID: r.MunicipalityID, Title: r.Title + " (" + r.Template + ")", Due: r.DueDate,
			Path: "/questionnaires/" + id(r.ID), UserIDs: people})
	}
	return out, err
}

func id(n int64) string { return strconv.FormatInt(n, 10) }
