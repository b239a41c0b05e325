package models

import (
	"context"

	"gorm.io/gorm"
)

// RegisteredDocument is a PDF Pakt generated once and registered by hash.
type RegisteredDocument struct {
	SHA256         string `gorm:"column:sha256;primaryKey"`
	MunicipalityID int64
	Kind           string
	ObjectID       int64
	Content        []byte
}

// FinalAgreementPDF returns the stored final PDF of an agreement in force,
// generating and registering it exactly once: the row lock makes concurrent
// callers wait for the first one's result.
func FinalAgreementPDF(ctx context.Context, db *gorm.DB, muniID, id int64, render func(*Agreement) ([]byte, error)) ([]byte, error) {
	var out []byte
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ag, err := lockAgreement(tx, muniID, id)
		if err != nil {
			return err
		}
		if ag.FinalPDFSHA256 != nil {
			var doc RegisteredDocument
			err := tx.Where("sha256 = ?", *ag.FinalPDFSHA256).First(&doc).Error
			out = doc.Content
			return err
		}
		if ag.Status != AgreementInForce && ag.Status != AgreementSuperseded {
			return &StateError{"error.agreement_not_in_force"}
		}
		full, err := GetAgreement(ctx, tx, muniID, id)
		if err != nil {
			return err
		}
		if out, err = render(full); err != nil {
			return err
		}
		sum := SHA256Hex(out)
		doc := RegisteredDocument{SHA256: sum, MunicipalityID: muniID, Kind: "agreement", ObjectID: id, Content: out}
		if err := tx.Create(&doc).Error; err != nil {
			return err
		}
		return tx.Model(&Agreement{}).Where("id = ?", id).Update("final_pdf_sha256", sum).Error
	})
	return out, err
}

// Verification is what /verify shows about a hash.
type Verification struct {
	Kind         string
	Agreement    *Agreement
	Municipality *Municipality
	Document     bool // the hash is of a registered final document (not the signed text)
}

// Verify finds an agreement by the hash of its signed text or of its final
// PDF. Not found is ErrNotFound.
func Verify(ctx context.Context, db *gorm.DB, sha string) (*Verification, error) {
	v := &Verification{Kind: "agreement"}
	var ref struct{ ID, MunicipalityID int64 }
	db = db.WithContext(ctx)
	err := db.Raw(`SELECT id, municipality_id FROM agreements WHERE sha256 = ? ORDER BY id LIMIT 1`, sha).Scan(&ref).Error
	if err != nil {
		return nil, err
	}
	if ref.ID == 0 {
		var doc RegisteredDocument
		if err := db.Select("kind", "object_id", "municipality_id").Where("sha256 = ?", sha).First(&doc).Error; err != nil {
			return nil, notFound(err)
		}
		v.Kind, v.Document, ref.ID, ref.MunicipalityID = doc.Kind, true, doc.ObjectID, doc.MunicipalityID
	}
	m, err := GetMunicipality(ctx, db, ref.MunicipalityID)
	if err != nil {
		return nil, err
	}
	v.Municipality = m
	if v.Kind == "agreement" {
		if v.Agreement, err = GetAgreement(ctx, db, ref.MunicipalityID, ref.ID); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// IsRegisteredDocument says whether bytes are exactly a registered document.
func IsRegisteredDocument(ctx context.Context, db *gorm.DB, content []byte) (string, bool, error) {
	sum := SHA256Hex(content)
	var n int64
	err := db.WithContext(ctx).Model(&RegisteredDocument{}).Where("sha256 = ?", sum).Count(&n).Error
	return sum, n > 0, err
}
