package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
	"gorm.io/gorm"
)

// Municipality is a local self-government unit running a pact.
type Municipality struct {
	ID        int64     `json:"id" gorm:"primaryKey"`
	Name      string    `json:"name"`
	Slug      string    `json:"slug"`
	Country   string    `json:"country"`
	Currency  string    `json:"currency"`
	Language  string    `json:"language"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// MunicipalityInput carries the editable fields of a municipality.
type MunicipalityInput struct {
	Name     string
	Country  string
	Currency string
	Language string
}

func (in MunicipalityInput) fields() map[string]any {
	return map[string]any{"name": in.Name, "country": in.Country, "currency": in.Currency, "language": in.Language}
}

// CreateMunicipality stores a new municipality with a unique slug made from its name.
func CreateMunicipality(ctx context.Context, db *gorm.DB, a Actor, in MunicipalityInput) (*Municipality, error) {
	m := &Municipality{Name: in.Name, Country: in.Country, Currency: in.Currency, Language: in.Language, Version: 1}
	if m.Language == "" {
		m.Language = "bs"
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		slug, err := uniqueSlug(ctx, tx, Slugify(in.Name))
		if err != nil {
			return err
		}
		m.Slug = slug
		if err := tx.Create(m).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, a, m.ID, "create", "municipality", m.ID, in.fields())
	})
	return m, err
}

// UpdateMunicipality changes the editable fields; version 0 skips the staleness check.
func UpdateMunicipality(ctx context.Context, db *gorm.DB, a Actor, id int64, version int, in MunicipalityInput) (*Municipality, error) {
	var out *Municipality
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := GetMunicipality(ctx, tx, id)
		if err != nil {
			return err
		}
		q := tx.Model(&Municipality{}).Where("id = ?", id)
		if version != 0 {
			q = q.Where("version = ?", version)
		}
		res := q.Updates(map[string]any{"name": in.Name, "country": in.Country, "currency": in.Currency,
			"language": in.Language, "version": gorm.Expr("version + 1"), "updated_at": time.Now()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrStale
		}
		prev := MunicipalityInput{before.Name, before.Country, before.Currency, before.Language}
		if err := Audit(ctx, tx, a, id, "update", "municipality", id, Diff(prev.fields(), in.fields())); err != nil {
			return err
		}
		out, err = GetMunicipality(ctx, tx, id)
		return err
	})
	return out, err
}

// GetMunicipality loads one municipality by id.
func GetMunicipality(ctx context.Context, db *gorm.DB, id int64) (*Municipality, error) {
	var m Municipality
	err := db.WithContext(ctx).First(&m, id).Error
	return &m, notFound(err)
}

// GetMunicipalityBySlug loads one municipality by its URL slug.
func GetMunicipalityBySlug(ctx context.Context, db *gorm.DB, slug string) (*Municipality, error) {
	var m Municipality
	err := db.WithContext(ctx).Where("slug = ?", slug).First(&m).Error
	return &m, notFound(err)
}

// ListMunicipalities returns all municipalities, or only ids when ids is not nil.
func ListMunicipalities(ctx context.Context, db *gorm.DB, ids []int64) ([]Municipality, error) {
	var ms []Municipality
	q := db.WithContext(ctx).Order("name")
	if ids != nil {
		q = q.Where("id IN ?", append(ids, 0))
	}
	return ms, q.Find(&ms).Error
}

func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	return err
}

func uniqueSlug(ctx context.Context, db *gorm.DB, base string) (string, error) {
	if base == "" {
		base = "municipality"
	}
	slug := base
	for i := 2; ; i++ {
		var n int64
		if err := db.WithContext(ctx).Model(&Municipality{}).Where("slug = ?", slug).Count(&n).Error; err != nil {
			return "", err
		}
		if n == 0 {
			return slug, nil
		}
		slug = fmt.Sprintf("%s-%d", base, i)
	}
}

// cyrillic maps Serbian and Macedonian Cyrillic letters to ASCII for slugs.
var cyrillic = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'ђ': "dj", 'ѓ': "gj", 'е': "e", 'ж': "z", 'з': "z",
	'ѕ': "dz", 'и': "i", 'ј': "j", 'к': "k", 'л': "l", 'љ': "lj", 'м': "m", 'н': "n", 'њ': "nj", 'о': "o",
	'п': "p", 'р': "r", 'с': "s", 'т': "t", 'ћ': "c", 'ќ': "kj", 'у': "u", 'ф': "f", 'х': "h", 'ц': "c",
	'ч': "c", 'џ': "dz", 'ш': "s", 'đ': "dj",
}

// Slugify turns "Milići" or "Зворник" into "milici" / "zvornik".
func Slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case cyrillic[r] != "":
			b.WriteString(cyrillic[r])
			dash = false
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.Trim(b.String(), "-")
}
