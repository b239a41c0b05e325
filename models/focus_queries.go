package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"gorm.io/gorm"

	"pakt/models/disclosure"
)

// focusSelect adds the consent form's file name to focus groups.
func focusSelect(db *gorm.DB) *gorm.DB {
	return db.Table("focus_groups fg").Select("fg.*, coalesce(ff.file_name, '') AS consent_file").
		Joins("LEFT JOIN focus_group_files ff ON ff.focus_group_id = fg.id")
}

// GetFocusGroup loads a focus group of the municipality.
func GetFocusGroup(ctx context.Context, db *gorm.DB, muniID, id int64) (*FocusGroup, error) {
	var fg FocusGroup
	err := focusSelect(db.WithContext(ctx)).Where("fg.id = ? AND fg.municipality_id = ?", id, muniID).Take(&fg).Error
	return &fg, notFound(err)
}

// ListFocusGroups returns a municipality's focus groups, oldest first.
func ListFocusGroups(ctx context.Context, db *gorm.DB, muniID int64) ([]FocusGroup, error) {
	var out []FocusGroup
	err := focusSelect(db.WithContext(ctx)).Where("fg.municipality_id = ?", muniID).
		Order("fg.held_on, fg.id").Find(&out).Error
	return out, err
}

// FocusNeeds returns the needs of one focus group, or of all the
// municipality's focus groups when focusGroupID is 0.
func FocusNeeds(ctx context.Context, db *gorm.DB, muniID, focusGroupID int64) ([]Need, error) {
	var out []Need
	q := db.WithContext(ctx).Where("municipality_id = ?", muniID)
	if focusGroupID != 0 {
		q = q.Where("focus_group_id = ?", focusGroupID)
	}
	return out, q.Order("priority, focus_group_id, position").Find(&out).Error
}

// Facilitator is a commission member who led a focus group.
type Facilitator struct {
	FocusGroupID int64
	UserID       int64
	Name         string
}

// FocusFacilitators returns who led the municipality's focus groups
// (one of them when focusGroupID is not 0).
func FocusFacilitators(ctx context.Context, db *gorm.DB, muniID, focusGroupID int64) ([]Facilitator, error) {
	var out []Facilitator
	q := db.WithContext(ctx).Table("focus_group_facilitators f").Select("f.focus_group_id, f.user_id, u.name").
		Joins("JOIN users u ON u.id = f.user_id").Where("f.municipality_id = ?", muniID)
	if focusGroupID != 0 {
		q = q.Where("f.focus_group_id = ?", focusGroupID)
	}
	return out, q.Order("u.name").Scan(&out).Error
}

// MunicipalityOfFocusGroup answers which municipality owns a focus group (for the policy).
func MunicipalityOfFocusGroup(ctx context.Context, db *gorm.DB, id int64) (int64, error) {
	return sitanOwner(ctx, db, "focus_groups", id)
}

// ConsentForm is the blank informed-consent form used in a focus group.
type ConsentForm struct {
	FocusGroupID   int64
	MunicipalityID int64
	FileName       string
	ContentType    string
	SizeBytes      int
	SHA256         string `gorm:"column:sha256"`
	Content        []byte
	UploadedBy     *int64
	CreatedAt      time.Time
}

// TableName maps ConsentForm to focus_group_files.
func (ConsentForm) TableName() string { return "focus_group_files" }

// MaxConsentFormBytes bounds the uploaded form.
const MaxConsentFormBytes = 5 << 20

// SaveConsentForm stores (or replaces) a focus group's blank consent form.
func SaveConsentForm(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64, name, contentType string, content []byte) error {
	sum := sha256.Sum256(content)
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Exec(`UPDATE focus_groups SET version = version + 1, updated_at = now()
			WHERE id = ? AND municipality_id = ?`, id, muniID)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		err := tx.Exec(`INSERT INTO focus_group_files (focus_group_id, municipality_id, file_name, content_type,
				size_bytes, sha256, content, uploaded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (focus_group_id) DO UPDATE SET file_name = EXCLUDED.file_name, content_type = EXCLUDED.content_type,
				size_bytes = EXCLUDED.size_bytes, sha256 = EXCLUDED.sha256, content = EXCLUDED.content,
				uploaded_by = EXCLUDED.uploaded_by, created_at = now()`,
			id, muniID, name, contentType, len(content), hex.EncodeToString(sum[:]), content, sitanUser(a)).Error
		if err != nil {
			return err
		}
		return Audit(ctx, tx, a, muniID, "consent_form", "focus_group", id, map[string]any{"file_name": name,
			"size_bytes": len(content), "sha256": hex.EncodeToString(sum[:])})
	})
}

// GetConsentForm loads a focus group's consent form.
func GetConsentForm(ctx context.Context, db *gorm.DB, muniID, id int64) (*ConsentForm, error) {
	var f ConsentForm
	err := db.WithContext(ctx).Where("focus_group_id = ? AND municipality_id = ?", id, muniID).Take(&f).Error
	return &f, notFound(err)
}

// RegionRow is one municipality's focus-group participation.
type RegionRow struct {
	MunicipalityID int64
	Name, Slug     string
	FocusGroups    int
	Total          int64
	Women          int64
	Men            int64
	// lower bounds of the focus groups' bands, summed (package disclosure)
	TotalLo, WomenLo, MenLo int64
}

// TotalBand is the participants as the public sees them: the sum of the
// focus groups' bands, as the municipality's own totals row prints it.
func (r RegionRow) TotalBand() disclosure.Band {
	return disclosure.SumOf(r.TotalLo, int64(r.FocusGroups))
}

// WomenBand is TotalBand for women.
func (r RegionRow) WomenBand() disclosure.Band {
	return disclosure.SumOf(r.WomenLo, int64(r.FocusGroups))
}

// MenBand is TotalBand for men.
func (r RegionRow) MenBand() disclosure.Band { return disclosure.SumOf(r.MenLo, int64(r.FocusGroups)) }

// RegionalParticipants totals focus-group participants per municipality
// (only municipalities that held any), by name.
func RegionalParticipants(ctx context.Context, db *gorm.DB) ([]RegionRow, error) {
	var out []RegionRow
	err := db.WithContext(ctx).Raw(`SELECT m.id AS municipality_id, m.name, m.slug, count(*) AS focus_groups,
			sum(fg.participants_total) AS total, sum(fg.participants_women) AS women, sum(fg.participants_men) AS men,
			sum(fg.participants_total - fg.participants_total % 5) AS total_lo,
			sum(fg.participants_women - fg.participants_women % 5) AS women_lo,
			sum(fg.participants_men - fg.participants_men % 5) AS men_lo
		FROM focus_groups fg JOIN municipalities m ON m.id = fg.municipality_id
		GROUP BY m.id, m.name, m.slug ORDER BY m.name`).Scan(&out).Error
	return out, err
}
