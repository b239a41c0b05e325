package models

import (
	"context"
	"regexp"
	"strings"
	"time"

	"gorm.io/gorm"
)

// A partner's narrative ("advised 40 people, 3 of them employed") can
// publish the small count the tables print as "<5". When a report is
// accepted or published, numbers from 1 to 4 in its text are flagged to the
// coordinator, who may give the public outputs other wording; the
// partner's text stays in the report (docs/disclosure.md).

// smallNumberWords are the numbers one to four as words, in the languages
// of the catalogs (lower case, inflected forms that count people too).
var smallNumberWords = map[string]bool{
	"one": true, "two": true, "three": true, "four": true,
	"jedan": true, "jedna": true, "jedno": true, "jednog": true, "jednu": true, "dva": true, "dvije": true, "dvoje": true,
	"dvojica": true, "tri": true, "troje": true, "trojica": true, "četiri": true, "četvoro": true, "četvorica": true,
	"један": true, "једна": true, "једно": true, "једног": true, "једну": true, "два": true, "две": true, "двоје": true,
	"двојица": true, "три": true, "троје": true, "тројица": true, "четири": true, "четворо": true, "четворица": true,
	"një": true, "dy": true, "tre": true, "katër": true,
	"еден": true, "една": true, "едно": true, "двајца": true, "тројца": true, "четворица́": true,
}

var narrativeTokenRe = regexp.MustCompile(`[\p{L}]+|\d+(?:[.,]\d+)?`)

// SmallNumbersIn lists the numbers from 1 to 4 a text mentions (digits or
// words), in order, each once. A decimal ("2.5") or a longer number is not
// a count of people below five.
func SmallNumbersIn(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, tok := range narrativeTokenRe.FindAllString(text, -1) {
		low := strings.ToLower(tok)
		if (len(low) == 1 && low >= "1" && low <= "4") || smallNumberWords[low] {
			if !seen[low] {
				seen[low] = true
				out = append(out, tok)
			}
		}
	}
	return out
}

// PublicNarrative is the coordinator's public wording of a report's text.
type PublicNarrative struct {
	ReportID       int64 `gorm:"primaryKey"`
	MunicipalityID int64
	PeriodID       int64
	Text           string
	UpdatedBy      *int64
	UpdatedAt      time.Time
}

// TableName maps PublicNarrative to progress_public_narratives.
func (PublicNarrative) TableName() string { return "progress_public_narratives" }

// PublicText is the narrative as public outputs print it: the
// coordinator's wording when there is one, else the partner's text.
func (p *Progress) PublicText() string {
	if p.PublicNarrative != nil {
		return *p.PublicNarrative
	}
	return p.Narrative
}

// flagNarrative sets the numbers below five the public text mentions.
func (p *Progress) flagNarrative() { p.NarrativeFlags = SmallNumbersIn(p.PublicText()) }

// loadPublicNarratives adds the public wording to reports keyed by id.
func loadPublicNarratives(db *gorm.DB, byID map[int64]*Progress) error {
	ids := make([]int64, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	var rows []PublicNarrative // one query whatever the number of reports (also none)
	if err := db.Where("report_id IN ?", append(ids, 0)).Find(&rows).Error; err != nil {
		return err
	}
	for i := range rows {
		byID[rows[i].ReportID].PublicNarrative = &rows[i].Text
	}
	for _, p := range byID {
		p.flagNarrative()
	}
	return nil
}

// SetPublicNarrative saves the coordinator's public wording of a report's
// text; an empty text publishes the partner's text again. It is refused
// (a StateError) once the period's report is published.
func SetPublicNarrative(ctx context.Context, db *gorm.DB, a Actor, muniID, measureID, periodID int64, text string) (*Progress, error) {
	text = strings.TrimSpace(text)
	f := map[string]string{}
	checkText(f, "public_narrative", text, 10000, false)
	if len(f) > 0 {
		return nil, &ValidationError{Fields: f}
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		p, err := GetProgress(ctx, tx, muniID, measureID, periodID)
		if err != nil {
			return err
		}
		var published bool
		if err := tx.Raw(`SELECT published_at IS NOT NULL FROM reporting_periods WHERE id = ?`, periodID).Scan(&published).Error; err != nil {
			return err
		}
		if published {
			return &StateError{Key: "progress.public_narrative.locked"}
		}
		if text == "" {
			return tx.Where("report_id = ?", p.ID).Delete(&PublicNarrative{}).Error
		}
		row := PublicNarrative{ReportID: p.ID, MunicipalityID: muniID, PeriodID: periodID, Text: text, UpdatedBy: &a.UserID, UpdatedAt: time.Now()}
		return tx.Save(&row).Error
	})
	if err != nil {
		return nil, err
	}
	return GetProgress(ctx, db, muniID, measureID, periodID)
}

// NarrativeFlagsText lists the flagged numbers for a page ("3, two").
func (p *Progress) NarrativeFlagsText() string { return strings.Join(p.NarrativeFlags, ", ") }
