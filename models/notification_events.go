package models

import (
	"context"
	"slices"
	"strconv"

	"gorm.io/gorm"
)

// Kinds told about events that only the platform's own flow makes (no
// reminder): a partner submitted a report; the assembly adopted a plan.
const (
	KindReportSubmitted = "report_submitted"
	KindPlanAdopted     = "plan_adopted"
)

// baseKey carries PAKT_BASE_URL in a request's context: the events in this
// package notify people with absolute links without every model function
// taking the base URL as a parameter.
type baseKey struct{}

// WithBaseURL returns ctx carrying the base URL for the links of mails.
func WithBaseURL(ctx context.Context, base string) context.Context {
	return context.WithValue(ctx, baseKey{}, base)
}

// baseURL is the base URL in ctx, "" when none (links stay relative).
func baseURL(ctx context.Context) string {
	s, _ := ctx.Value(baseKey{}).(string)
	return s
}

// notifyEvent tells the people of an event about it inside the event's
// transaction tx, leaving out the person who caused it. When the event
// rolls back, so do its notifications and mails.
func notifyEvent(ctx context.Context, tx *gorm.DB, a Actor, n Notice) error {
	n.UserIDs = slices.DeleteFunc(n.UserIDs, func(id int64) bool { return id == a.UserID })
	if len(n.UserIDs) == 0 {
		return nil
	}
	return Notify(ctx, tx, baseURL(ctx), n)
}

// peopleOf returns the ids of the people with a role in the municipality
// (the WHERE names it, so nobody of another municipality is ever told),
// narrowed by cond (SQL on u and ms) with its args.
func peopleOf(ctx context.Context, tx *gorm.DB, muniID int64, cond string, args ...any) ([]int64, error) {
	var ids []int64
	q := `SELECT u.id FROM users u JOIN memberships ms ON ms.user_id = u.id AND ms.municipality_id = ?
		WHERE ` + cond + ` ORDER BY u.id`
	err := tx.WithContext(ctx).Raw(q, append([]any{muniID}, args...)...).Scan(&ids).Error
	return ids, err
}

// coordinatorsOf are the municipality's coordinators.
func coordinatorsOf(ctx context.Context, tx *gorm.DB, muniID int64) ([]int64, error) {
	return peopleOf(ctx, tx, muniID, "ms.role = 'coordinator'")
}

// everyoneIn is everyone with a role in the municipality.
func everyoneIn(ctx context.Context, tx *gorm.DB, muniID int64) ([]int64, error) {
	return peopleOf(ctx, tx, muniID, "true")
}

// workersOf are the people of the organisations who act for them in the
// municipality (coordinators and members, not viewers).
func workersOf(ctx context.Context, tx *gorm.DB, muniID int64, orgIDs []int64) ([]int64, error) {
	return peopleOf(ctx, tx, muniID, "ms.role IN ('coordinator', 'member') AND u.organisation_id IN ?", orgIDs)
}

// signatoriesOf are the signatories of an agreement's parties who have a
// role in its municipality.
func signatoriesOf(ctx context.Context, tx *gorm.DB, muniID, agreementID int64) ([]int64, error) {
	return peopleOf(ctx, tx, muniID, `u.id IN (SELECT p.signatory_user_id FROM agreement_parties p
		WHERE p.agreement_id = ? AND p.municipality_id = ?)`, agreementID, muniID)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// notifyAgreement tells about an agreement: its signatories, and with
// coordinators also the municipality's coordinators.
func notifyAgreement(ctx context.Context, tx *gorm.DB, a Actor, ag *Agreement, kind string, coordinators bool) error {
	ids, err := signatoriesOf(ctx, tx, ag.MunicipalityID, ag.ID)
	if err != nil {
		return err
	}
	if coordinators {
		more, err := coordinatorsOf(ctx, tx, ag.MunicipalityID)
		if err != nil {
			return err
		}
		ids = append(ids, more...)
	}
	return notifyEvent(ctx, tx, a, Notice{Kind: kind, MunicipalityID: ag.MunicipalityID, Title: ag.Title,
		Path: "/agreements/" + itoa(ag.ID), UserIDs: ids})
}

// notifyQuestionnaireSent tells the answering organisation's people.
func notifyQuestionnaireSent(ctx context.Context, tx *gorm.DB, a Actor, q *Questionnaire) error {
	ids, err := workersOf(ctx, tx, q.MunicipalityID, []int64{q.OrganisationID})
	if err != nil {
		return err
	}
	var title string
	if err := tx.WithContext(ctx).Raw(`SELECT title FROM situation_analyses WHERE id = ? AND municipality_id = ?`,
		q.SituationAnalysisID, q.MunicipalityID).Scan(&title).Error; err != nil {
		return err
	}
	return notifyEvent(ctx, tx, a, Notice{Kind: KindQuestionnaireSent, MunicipalityID: q.MunicipalityID,
		Title: title + " (" + q.Template + ")", Due: Date{q.DueDate}, Path: "/questionnaires/" + itoa(q.ID), UserIDs: ids})
}

// notifyReview tells about a progress report's review step: a submitted
// report to the coordinators, an accepted or returned one to the people
// of the organisations that report on the measure.
func notifyReview(ctx context.Context, tx *gorm.DB, a Actor, m *Measure, per *Period, action string) error {
	kind := map[string]string{"submit": KindReportSubmitted, "accept": KindReportAccepted, "return": KindReportReturned}[action]
	if kind == "" {
		return nil
	}
	var ids []int64
	var err error
	if kind == KindReportSubmitted {
		ids, err = coordinatorsOf(ctx, tx, m.MunicipalityID)
	} else {
		ids, err = workersOf(ctx, tx, m.MunicipalityID, append([]int64{m.LeadOrganisationID}, m.PartnerOrganisationIDs...))
	}
	if err != nil {
		return err
	}
	return notifyEvent(ctx, tx, a, Notice{Kind: kind, MunicipalityID: m.MunicipalityID,
		Title: m.Code + " " + m.Title + " (" + per.Label + ")",
		Path:  "/measures/" + itoa(m.ID) + "/progress/" + itoa(per.ID), UserIDs: ids})
}

// notifyEveryone tells everyone with a role in the municipality.
func notifyEveryone(ctx context.Context, tx *gorm.DB, a Actor, n Notice) error {
	ids, err := everyoneIn(ctx, tx, n.MunicipalityID)
	if err != nil {
		return err
	}
	n.UserIDs = ids
	return notifyEvent(ctx, tx, a, n)
}

// notifyReportPublished tells everyone of the municipality that the
// assembly report of a period is public.
func notifyReportPublished(ctx context.Context, tx *gorm.DB, a Actor, per *Period) error {
	var plan string
	if err := tx.WithContext(ctx).Raw(`SELECT title FROM action_plans WHERE id = ? AND municipality_id = ?`,
		per.PlanID, per.MunicipalityID).Scan(&plan).Error; err != nil {
		return err
	}
	return notifyEveryone(ctx, tx, a, Notice{Kind: KindReportPublished, MunicipalityID: per.MunicipalityID,
		Title: plan + " (" + per.Label + ")", Path: "/plans/" + itoa(per.PlanID) + "/report.pdf?period_id=" + itoa(per.ID)})
}

// UnsubscribeKind says what a one-click unsubscribe token would turn off,
// without changing anything (the confirmation page: mail scanners fetch
// links). Unknown tokens are ErrNotFound.
func UnsubscribeKind(ctx context.Context, db *gorm.DB, token string) (string, error) {
	var row UnsubscribeToken
	err := db.WithContext(ctx).Where("token_hash = ?", HashToken(token)).First(&row).Error
	return row.Kind, notFound(err)
}

// OverdueCommitment is a commitment past its due date that the person's
// organisation is responsible for and has not marked done.
type OverdueCommitment struct {
	ID             int64
	AgreementID    int64
	MunicipalityID int64
	Action         string
	DueDate        Date
}

// OverdueCommitmentsFor lists the overdue commitments of agreements in
// force that orgID is responsible for, in the municipalities where the
// person acts for it (coordinator or member): the WHERE names them.
func OverdueCommitmentsFor(ctx context.Context, db *gorm.DB, userID, orgID int64, today Date) ([]OverdueCommitment, error) {
	var out []OverdueCommitment
	err := db.WithContext(ctx).Raw(`SELECT c.id, c.agreement_id, c.municipality_id, c.action, c.due_date
		FROM agreement_commitments c JOIN agreements a ON a.id = c.agreement_id AND a.status = 'in_force'
		WHERE c.responsible_organisation_id = ? AND c.due_date < ?
		AND c.municipality_id IN (SELECT ms.municipality_id FROM memberships ms WHERE ms.user_id = ? AND ms.role IN ('coordinator', 'member'))
		AND coalesce((SELECT cp.status FROM commitment_progress cp WHERE cp.commitment_id = c.id ORDER BY cp.id DESC LIMIT 1), 'pending') <> 'done'
		ORDER BY c.due_date, c.id`, orgID, today, userID).Scan(&out).Error
	return out, err
}

// ReadNotification marks one of the person's notifications read and
// returns it; another person's is ErrNotFound.
func ReadNotification(ctx context.Context, db *gorm.DB, userID, id int64) (*Notification, error) {
	if err := MarkNotificationRead(ctx, db, userID, id); err != nil {
		return nil, err
	}
	var n Notification
	err := db.WithContext(ctx).Where("id = ? AND user_id = ?", id, userID).First(&n).Error
	return &n, notFound(err)
}
