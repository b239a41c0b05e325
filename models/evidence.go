package models

import (
	"archive/zip"
	"bytes"
	"context"

	"gorm.io/gorm"
)

// Evidence of delivery (issue #17): files partners attach to their progress
// reports and commitments. They are attachments (attachment.go) of object
// type "progress" (object_id the measure, period_id the period) or
// "commitment", stored the way agreement scans are.
const (
	EvidenceOfProgress   = "progress"
	EvidenceOfCommitment = "commitment"
)

// Office Open XML types Pakt accepts as evidence (besides PDF, PNG, JPEG).
const (
	MIMEXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	MIMEDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)

// fileExtensions name stored files by their sniffed type.
var fileExtensions = map[string]string{"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg",
	MIMEXLSX: ".xlsx", MIMEDOCX: ".docx"}

// SniffEvidence returns the content type of an upload if it is a PDF, PNG,
// JPEG, XLSX or DOCX, judged by content only: the two Office types are ZIP
// files that open and hold [Content_Types].xml and their main part
// (xl/workbook.xml, word/document.xml). Nothing is decompressed.
func SniffEvidence(content []byte) (string, bool) {
	if ct, ok := SniffScan(content); ok {
		return ct, true
	}
	if !bytes.HasPrefix(content, []byte("PK\x03\x04")) {
		return "", false
	}
	zr, err := zip.NewReader(bytes.NewReader(content), int64(len(content)))
	if err != nil {
		return "", false
	}
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
	}
	switch {
	case !names["[Content_Types].xml"]:
		return "", false
	case names["xl/workbook.xml"]:
		return MIMEXLSX, true
	case names["word/document.xml"]:
		return MIMEDOCX, true
	}
	return "", false
}

// EvidenceFile is an attached file with who uploaded it, for lists.
type EvidenceFile struct {
	Attachment
	UploaderName string `json:"uploaded_by_name" gorm:"->;-:migration"`
}

// EvidenceTarget is what a file is attached to: a measure's report for a
// period, or a commitment, inside one municipality.
type EvidenceTarget struct {
	MunicipalityID int64
	ObjectType     string
	ObjectID       int64
	PeriodID       *int64
}

// ProgressEvidenceTarget is the report of a measure for a period.
func ProgressEvidenceTarget(muniID, measureID, periodID int64) EvidenceTarget {
	return EvidenceTarget{muniID, EvidenceOfProgress, measureID, &periodID}
}

// CommitmentEvidenceTarget is a commitment of an agreement.
func CommitmentEvidenceTarget(muniID, commitmentID int64) EvidenceTarget {
	return EvidenceTarget{muniID, EvidenceOfCommitment, commitmentID, nil}
}

func (t EvidenceTarget) where(db *gorm.DB) *gorm.DB {
	db = db.Where("attachments.municipality_id = ? AND attachments.object_type = ? AND attachments.object_id = ?",
		t.MunicipalityID, t.ObjectType, t.ObjectID)
	if t.PeriodID != nil {
		return db.Where("attachments.period_id = ?", *t.PeriodID)
	}
	return db
}

// EvidenceRights is who asks: their organisation and whether they coordinate.
type EvidenceRights struct {
	OrganisationID *int64
	Coordinator    bool
}

// EvidenceState says whether files may be added or removed now: nil, or
// the reason (ErrNotFound, ErrNotResponsible, a StateError). With lock, the
// period or agreement row is locked against a concurrent close.
func EvidenceState(ctx context.Context, db *gorm.DB, t EvidenceTarget, r EvidenceRights, lock bool) error {
	db = db.WithContext(ctx)
	switch t.ObjectType {
	case EvidenceOfProgress:
		m, per, err := measureAndPeriod(ctx, db, t.MunicipalityID, t.ObjectID, *t.PeriodID)
		if err != nil {
			return err
		}
		if !ReporterRights(m, r.OrganisationID, r.Coordinator) {
			return ErrNotResponsible
		}
		if lock {
			if err := db.Exec(`SELECT 1 FROM reporting_periods WHERE id = ? FOR SHARE`, per.ID).Error; err != nil {
				return err
			}
			if per, err = GetPeriod(ctx, db, t.MunicipalityID, per.ID); err != nil {
				return err
			}
		}
		if per.Status == "closed" {
			return &StateError{"error.period_closed"}
		}
		var review string
		db.Raw(`SELECT review FROM progress_reports WHERE measure_id = ? AND period_id = ?`, m.ID, per.ID).Scan(&review)
		if review == "accepted" {
			return &StateError{"error.evidence_report_accepted"}
		}
		return nil
	case EvidenceOfCommitment:
		var row struct {
			ResponsibleOrganisationID int64
			SupportingOrganisationIDs Int64s `gorm:"type:bigint[]"`
			Status                    string
		}
		q := `SELECT c.responsible_organisation_id, c.supporting_organisation_ids, a.status FROM agreement_commitments c
			JOIN agreements a ON a.id = c.agreement_id WHERE c.id = ? AND c.municipality_id = ?`
		if lock {
			q += " FOR SHARE OF a"
		}
		if err := db.Raw(q, t.ObjectID, t.MunicipalityID).Scan(&row).Error; err != nil {
			return err
		}
		if row.Status == "" {
			return ErrNotFound
		}
		org := r.OrganisationID
		if !r.Coordinator && (org == nil || *org != row.ResponsibleOrganisationID && !row.SupportingOrganisationIDs.Has(*org)) {
			return ErrNotResponsible
		}
		if row.Status != AgreementInForce {
			return &StateError{"error.agreement_not_in_force"}
		}
		return nil
	}
	return ErrNotFound
}

// AddEvidence stores an uploaded file (PDF, PNG, JPEG, XLSX or DOCX by
// content, at most MaxAttachmentBytes) on the target.
func AddEvidence(ctx context.Context, db *gorm.DB, a Actor, t EvidenceTarget, r EvidenceRights,
	fileName string, content []byte) (*Attachment, error) {
	// Rights and state first: nobody learns anything by uploading to what
	// they may not touch, and no file is written for nothing.
	if err := EvidenceState(ctx, db, t, r, false); err != nil {
		return nil, err
	}
	att := Attachment{MunicipalityID: t.MunicipalityID, ObjectType: t.ObjectType, ObjectID: t.ObjectID, PeriodID: t.PeriodID,
		Kind: "evidence", FileName: fileName}
	return storeAttachment(ctx, db, a, att, content, SniffEvidence, "validation.evidence_type", func(tx *gorm.DB) error {
		return EvidenceState(ctx, tx, t, r, true)
	})
}

// ListEvidence lists the target's files, oldest first, with who uploaded
// them; ErrNotFound when the target does not exist (a period of another
// plan than the measure's, say).
func ListEvidence(ctx context.Context, db *gorm.DB, t EvidenceTarget) ([]EvidenceFile, error) {
	var err error
	switch t.ObjectType {
	case EvidenceOfProgress:
		_, _, err = measureAndPeriod(ctx, db.WithContext(ctx), t.MunicipalityID, t.ObjectID, *t.PeriodID)
	case EvidenceOfCommitment:
		_, _, err = CommitmentOf(ctx, db, t.MunicipalityID, t.ObjectID)
	}
	if err != nil {
		return nil, err
	}
	out := []EvidenceFile{}
	err = t.where(db.WithContext(ctx).Table("attachments").
		Select("attachments.*, coalesce(u.name, '') AS uploader_name").
		Joins("LEFT JOIN users u ON u.id = attachments.uploaded_by")).
		Order("attachments.id").Scan(&out).Error
	return out, err
}

// GetEvidence loads one file record of the target.
func GetEvidence(ctx context.Context, db *gorm.DB, t EvidenceTarget, id int64) (*Attachment, error) {
	var att Attachment
	err := t.where(db.WithContext(ctx).Where("attachments.id = ?", id)).First(&att).Error
	return &att, notFound(err)
}

// DeleteEvidence removes a file: its uploader or a coordinator may, while
// files may be added (EvidenceState). Its bytes go with the row (cascade).
func DeleteEvidence(ctx context.Context, db *gorm.DB, a Actor, t EvidenceTarget, r EvidenceRights, id int64) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		att, err := GetEvidence(ctx, tx, t, id)
		if err != nil {
			return err
		}
		if !r.Coordinator && (att.UploadedBy == nil || *att.UploadedBy != a.UserID) {
			return &forbiddenError{"only the uploader or a coordinator removes a file"}
		}
		if err := EvidenceState(ctx, tx, t, EvidenceRights{r.OrganisationID, true}, true); err != nil {
			return err
		}
		if err := tx.Delete(&Attachment{}, att.ID).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, a, t.MunicipalityID, "detach", t.ObjectType, t.ObjectID,
			map[string]any{"file_name": att.FileName, "sha256": att.SHA256, "period_id": t.PeriodID})
	})
}

// CommitmentOf loads one commitment of the municipality with its latest
// progress, and the title and status of its agreement.
func CommitmentOf(ctx context.Context, db *gorm.DB, muniID, id int64) (*Commitment, *Agreement, error) {
	cs, err := commitmentsWhere(db.WithContext(ctx), "c.id = ? AND c.municipality_id = ?", id, muniID)
	if err != nil {
		return nil, nil, err
	}
	if len(cs) == 0 {
		return nil, nil, ErrNotFound
	}
	var ag Agreement
	if err := db.WithContext(ctx).Select("id", "title", "status", "municipality_id").
		Where("id = ? AND municipality_id = ?", cs[0].AgreementID, muniID).First(&ag).Error; err != nil {
		return nil, nil, notFound(err)
	}
	return &cs[0], &ag, nil
}

// TypeName is the short name of the file's sniffed type (pdf, png, jpeg,
// xlsx, docx), for pages.
func (a Attachment) TypeName() string {
	switch a.ContentType {
	case "application/pdf":
		return "pdf"
	case "image/png":
		return "png"
	case "image/jpeg":
		return "jpeg"
	case MIMEXLSX:
		return "xlsx"
	case MIMEDOCX:
		return "docx"
	}
	return "other"
}

// EvidenceCounts counts the files of each report of a plan's periods: by
// period, then measure.
func EvidenceCounts(ctx context.Context, db *gorm.DB, muniID, planID int64) (map[int64]map[int64]int, error) {
	var rows []struct {
		PeriodID, ObjectID int64
		N                  int
	}
	err := db.WithContext(ctx).Raw(`SELECT a.period_id, a.object_id, count(*) AS n FROM attachments a
		JOIN reporting_periods p ON p.id = a.period_id AND p.municipality_id = a.municipality_id
		WHERE a.municipality_id = ? AND a.object_type = ? AND p.plan_id = ? GROUP BY a.period_id, a.object_id`,
		muniID, EvidenceOfProgress, planID).Scan(&rows).Error
	out := map[int64]map[int64]int{}
	for _, r := range rows {
		if out[r.PeriodID] == nil {
			out[r.PeriodID] = map[int64]int{}
		}
		out[r.PeriodID][r.ObjectID] = r.N
	}
	return out, err
}
