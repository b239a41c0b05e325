package models_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"pakt/models"
)

// A questionnaire sent tells the organisation's people with links under
// the base URL of the context; when the event's transaction rolls back,
// nobody was told and no mail or job exists.
func TestEventNotificationsRollBackWithTheEvent(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.user("ana@example.org", models.RoleMember)
	ctx := models.WithBaseURL(f.ctx, base)
	s, err := models.CreateSitan(ctx, f.db, models.Actor{UserID: f.coord.ID}, f.muni.ID, models.SitanInput{Title: "Analiza", Year: 2017})
	if err != nil {
		t.Fatal(err)
	}
	in := models.QuestionnaireInput{OrganisationID: f.org.ID, Template: "pes", DueDate: time.Now().AddDate(0, 1, 0), Send: true}
	boom := errors.New("something after the event failed")
	err = f.db.Transaction(func(tx *gorm.DB) error {
		if _, err := models.CreateQuestionnaire(ctx, tx, models.Actor{UserID: f.coord.ID}, f.muni.ID, s.ID, in); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	var n, jobs int64
	f.db.Raw(`SELECT count(*) FROM notifications`).Scan(&n)
	f.db.Raw(`SELECT count(*) FROM river_job`).Scan(&jobs)
	if n != 0 || len(f.mails("ana@example.org")) != 0 || jobs != 0 {
		t.Fatalf("rolled back event left %d notifications, %d jobs, mails %v", n, jobs, f.mails("ana@example.org"))
	}
	if _, err := models.CreateQuestionnaire(ctx, f.db, models.Actor{UserID: f.coord.ID}, f.muni.ID, s.ID, in); err != nil {
		t.Fatal(err)
	}
	mails := f.mails("ana@example.org")
	if len(mails) != 1 || mails[0].Kind != models.KindQuestionnaireSent || !strings.Contains(mails[0].TextBody, base+"/questionnaires/") {
		t.Fatalf("ana's mail %+v", mails)
	}
	if len(f.mails(f.coord.Email)) != 0 {
		t.Error("the coordinator who sent it was told")
	}
}
