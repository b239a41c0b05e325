package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// Registered documents, and why each has two hashes.
//
// A registered document is a PDF Pakt generated once, when its content was
// frozen, and keeps byte for byte: an agreement's final PDF (frozen when it
// came into force), the published progress report of a period (at
// publication), an adopted action plan (at adoption) and a published
// situation analysis (at publication).
//
// A PDF cannot print the hash of its own bytes. So every registered PDF
// prints the content hash: the SHA-256 of the canonical JSON of the frozen
// content it shows (Agreement.CanonicalJSON, the hash the parties signed,
// and planContent, reportContent, sitanContent in document_content.go).
// That hash is known before the PDF is drawn and is printed on one line,
// as a link and as a QR code to /verify/<content hash>. The row stores it
// next to the SHA-256 of the PDF bytes (the primary key), which is what
// verification by upload compares. /verify/<hash> answers for either.
// Recomputing the content hash from the database (ContentSHA256) shows
// that the frozen content has not changed since it was registered.
type RegisteredDocument struct {
	SHA256         string  `gorm:"column:sha256;primaryKey"`
	ContentSHA256  *string `gorm:"column:content_sha256"`
	MunicipalityID int64
	Kind           string
	ObjectID       int64
	Content        []byte
	CreatedAt      time.Time
}

// Kinds of registered documents.
const (
	DocAgreement = "agreement"
	DocReport    = "report"
	DocPlan      = "plan"
	DocSitan     = "sitan"
)

// registration is what registerOnce needs to know of one kind.
type registration struct {
	kind     string
	muniID   int64
	id       int64
	lock     func(tx *gorm.DB) error           // locks the object row, checks its state
	content  func(tx *gorm.DB) ([]byte, error) // the canonical content
	render   func(contentSHA string) ([]byte, error)
	recorded func(tx *gorm.DB, pdfSHA string) error // optional: note the hash on the object
}

// registerOnce returns the registered PDF of an object, drawing and
// registering it on the first call: the row lock makes concurrent first
// callers wait for the first one's result.
func registerOnce(ctx context.Context, db *gorm.DB, r registration) ([]byte, error) {
	var out []byte
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := r.lock(tx); err != nil {
			return err
		}
		var doc RegisteredDocument
		err := tx.Where("kind = ? AND object_id = ? AND municipality_id = ?", r.kind, r.id, r.muniID).First(&doc).Error
		if err == nil {
			out = doc.Content
			return nil
		}
		if !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		canonical, err := r.content(tx)
		if err != nil {
			return err
		}
		content := SHA256Hex(canonical)
		if out, err = r.render(content); err != nil {
			return err
		}
		sum := SHA256Hex(out)
		doc = RegisteredDocument{SHA256: sum, ContentSHA256: &content, MunicipalityID: r.muniID, Kind: r.kind, ObjectID: r.id, Content: out}
		if err := tx.Create(&doc).Error; err != nil {
			return err
		}
		if r.recorded != nil {
			return r.recorded(tx, sum)
		}
		return nil
	})
	return out, err
}

// FinalAgreementPDF returns the stored final PDF of an agreement in force,
// generating and registering it exactly once. Its content hash is the
// signed text's (agreements.sha256).
func FinalAgreementPDF(ctx context.Context, db *gorm.DB, muniID, id int64, render func(*Agreement) ([]byte, error)) ([]byte, error) {
	var full *Agreement
	return registerOnce(ctx, db, registration{kind: DocAgreement, muniID: muniID, id: id,
		lock: func(tx *gorm.DB) error {
			ag, err := lockAgreement(tx, muniID, id)
			if err == nil && ag.FinalPDFSHA256 == nil && ag.Status != AgreementInForce && ag.Status != AgreementSuperseded {
				err = &StateError{"error.agreement_not_in_force"}
			}
			return err
		},
		content: func(tx *gorm.DB) ([]byte, error) {
			var err error
			full, err = GetAgreement(ctx, tx, muniID, id)
			if err != nil {
				return nil, err
			}
			return full.CanonicalJSON(), nil
		},
		render: func(string) ([]byte, error) { return render(full) },
		recorded: func(tx *gorm.DB, sum string) error {
			return tx.Model(&Agreement{}).Where("id = ?", id).Update("final_pdf_sha256", sum).Error
		}})
}

// AdoptedPlanPDF returns the registered PDF of an adopted (or since
// superseded) plan, drawn once with the content hash it prints.
func AdoptedPlanPDF(ctx context.Context, db *gorm.DB, muniID, id int64, render func(p *Plan, contentSHA string) ([]byte, error)) ([]byte, error) {
	var p *Plan
	return registerOnce(ctx, db, registration{kind: DocPlan, muniID: muniID, id: id,
		lock: func(tx *gorm.DB) error {
			locked, err := lockPlan(tx, muniID, id, 0)
			if err == nil && locked.Status != PlanAdopted && locked.Status != PlanSuperseded {
				err = &StateError{"error.plan_pdf_not_adopted"}
			}
			return err
		},
		content: func(tx *gorm.DB) ([]byte, error) {
			var err error
			if p, err = GetPlan(ctx, tx, muniID, id); err != nil {
				return nil, err
			}
			return planContent(p), nil
		},
		render: func(sum string) ([]byte, error) { return render(p, sum) }})
}

// PublishedSitanPDF returns the registered PDF of a published situation
// analysis (its public version), drawn once with the content hash it prints.
func PublishedSitanPDF(ctx context.Context, db *gorm.DB, muniID, id int64, render func(s *SituationAnalysis, contentSHA string) ([]byte, error)) ([]byte, error) {
	var s *SituationAnalysis
	return registerOnce(ctx, db, registration{kind: DocSitan, muniID: muniID, id: id,
		lock: func(tx *gorm.DB) error {
			var err error
			s, err = lockSitan(tx, muniID, id)
			if err == nil && !s.Published() {
				err = &StateError{"error.sitan_not_published"}
			}
			return err
		},
		content: func(tx *gorm.DB) ([]byte, error) { return sitanContent(ctx, tx, s) },
		render:  func(sum string) ([]byte, error) { return render(s, sum) }})
}

// IsRegisteredDocument says whether bytes are exactly a registered document.
func IsRegisteredDocument(ctx context.Context, db *gorm.DB, content []byte) (string, bool, error) {
	sum := SHA256Hex(content)
	var n int64
	err := db.WithContext(ctx).Model(&RegisteredDocument{}).Where("sha256 = ?", sum).Count(&n).Error
	return sum, n > 0, err
}
