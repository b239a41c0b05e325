package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Verification is what /verify shows about a hash.
type Verification struct {
	Kind           string // DocAgreement, DocReport, DocPlan, DocSitan
	ObjectID       int64
	Title          string
	PeriodLabel    string     // reports: the reporting period
	PlanID         int64      // reports: the plan reported on
	Date           *time.Time // when the content was frozen: in force, adopted, published
	Status         string     // agreements and plans: their status now
	Municipality   *Municipality
	Agreement      *Agreement // agreements: parties and signatures
	Document       bool       // the hash asked for is of a registered PDF's bytes
	DocumentSHA256 string     // the registered PDF ("" while an agreement has none yet)
	ContentSHA256  string     // the hash the PDF prints
	Intact         bool       // the content recomputed from the database still has that hash
}

// Verify finds a document by the SHA-256 of its registered PDF or by the
// content hash the PDF prints (for agreements also before the final PDF
// exists: the hash of the text open for signature). Not found is ErrNotFound.
func Verify(ctx context.Context, db *gorm.DB, sha string) (*Verification, error) {
	db = db.WithContext(ctx)
	v, muniID, err := findRegistered(db, sha)
	if errors.Is(err, ErrNotFound) {
		v, muniID, err = findAgreementText(db, sha)
	}
	if err != nil {
		return nil, err
	}
	if v.Municipality, err = GetMunicipality(ctx, db, muniID); err != nil {
		return nil, err
	}
	if err := v.describe(ctx, db); err != nil {
		return nil, err
	}
	return v, nil
}

// findRegistered looks the hash up among registered documents, the PDF's
// own hash first.
func findRegistered(db *gorm.DB, sha string) (*Verification, int64, error) {
	var doc RegisteredDocument
	err := db.Omit("content").Where("sha256 = ? OR content_sha256 = ?", sha, sha).
		Order(clause.OrderBy{Expression: gorm.Expr("sha256 = ? DESC", sha)}).First(&doc).Error
	if err != nil {
		return nil, 0, notFound(err)
	}
	v := &Verification{Kind: doc.Kind, ObjectID: doc.ObjectID, Document: doc.SHA256 == sha, DocumentSHA256: doc.SHA256}
	if doc.ContentSHA256 != nil {
		v.ContentSHA256 = *doc.ContentSHA256
	}
	return v, doc.MunicipalityID, nil
}

// findAgreementText looks the hash up among agreements' signed texts.
func findAgreementText(db *gorm.DB, sha string) (*Verification, int64, error) {
	var ref struct {
		ID, MunicipalityID int64
		FinalPDFSHA256     *string
	}
	err := db.Raw(`SELECT id, municipality_id, final_pdf_sha256 FROM agreements WHERE sha256 = ? ORDER BY id LIMIT 1`, sha).Scan(&ref).Error
	if err != nil {
		return nil, 0, err
	}
	if ref.ID == 0 {
		return nil, 0, ErrNotFound
	}
	v := &Verification{Kind: DocAgreement, ObjectID: ref.ID, ContentSHA256: sha}
	if ref.FinalPDFSHA256 != nil {
		v.DocumentSHA256 = *ref.FinalPDFSHA256
	}
	return v, ref.MunicipalityID, nil
}

// describe loads what the page shows of the object and recomputes its
// content hash.
func (v *Verification) describe(ctx context.Context, db *gorm.DB) error {
	muni := v.Municipality.ID
	var content []byte
	switch v.Kind {
	case DocAgreement:
		ag, err := GetAgreement(ctx, db, muni, v.ObjectID)
		if err != nil {
			return err
		}
		v.Agreement, v.Title, v.Status, v.Date = ag, ag.Title, ag.Status, ag.InForceAt
		if v.Date == nil {
			v.Date = ag.OpenedAt
		}
		content = ag.CanonicalJSON()
	case DocPlan:
		p, err := GetPlan(ctx, db, muni, v.ObjectID)
		if err != nil {
			return err
		}
		v.Title, v.Status = p.Title, p.Status
		if p.AdoptedOn != nil {
			v.Date = &p.AdoptedOn.Time
		}
		content = planContent(p)
	case DocSitan:
		s, err := GetSitan(ctx, db, muni, v.ObjectID)
		if err != nil {
			return err
		}
		v.Title, v.Status, v.Date = s.Title, s.Status, s.PublishedAt
		if content, err = sitanContent(ctx, db, s); err != nil {
			return err
		}
	case DocReport:
		return v.describeReport(ctx, db)
	default:
		return ErrNotFound
	}
	v.Intact = v.ContentSHA256 != "" && SHA256Hex(content) == v.ContentSHA256
	return nil
}

func (v *Verification) describeReport(ctx context.Context, db *gorm.DB) error {
	per, err := GetPeriod(ctx, db, v.Municipality.ID, v.ObjectID)
	if err != nil {
		return err
	}
	p, err := GetPlan(ctx, db, v.Municipality.ID, per.PlanID)
	if err != nil {
		return err
	}
	v.Title, v.PeriodLabel, v.PlanID, v.Date, v.Status = p.Title, per.Label, p.ID, per.PublishedAt, "published"
	content, err := reportContent(ctx, db, per)
	if err != nil {
		return err
	}
	v.Intact = v.ContentSHA256 != "" && SHA256Hex(content) == v.ContentSHA256
	return nil
}
