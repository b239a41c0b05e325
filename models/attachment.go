package models

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"gorm.io/gorm"
)

// MaxAttachmentBytes limits an upload (a scanned multi-page agreement fits).
const MaxAttachmentBytes = 10 << 20

// Attachment is an uploaded file's record; its bytes are in
// attachment_contents (PostgreSQL is the one store: any instance serves any
// file, one pg_dump holds them all). StoredName is the file's name under
// PAKT_DATA_DIR/attachments in deployments from before that, read once by
// ImportAttachmentFiles.
type Attachment struct {
	ID             int64     `json:"id" gorm:"primaryKey"`
	MunicipalityID int64     `json:"-"`
	ObjectType     string    `json:"object_type"`
	ObjectID       int64     `json:"object_id"`
	Kind           string    `json:"kind"`
	FileName       string    `json:"file_name"`
	StoredName     string    `json:"-"`
	ContentType    string    `json:"content_type"`
	SizeBytes      int64     `json:"size_bytes"`
	SHA256         string    `json:"sha256" gorm:"column:sha256"`
	UploadedBy     *int64    `json:"uploaded_by"`
	PeriodID       *int64    `json:"period_id,omitempty"` // evidence of a progress report: its period
	CreatedAt      time.Time `json:"created_at"`
}

// allowedTypes are judged by content (magic bytes), never by file name.
var allowedTypes = map[string]string{"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}

// SniffScan returns the content type of an upload if it is a PDF, PNG or JPEG.
func SniffScan(content []byte) (string, bool) {
	if bytes.HasPrefix(content, []byte("%PDF-")) {
		return "application/pdf", true
	}
	ct := http.DetectContentType(content)
	_, ok := allowedTypes[ct]
	return ct, ok
}

// SaveAttachment records an upload and its bytes in one transaction.
func SaveAttachment(ctx context.Context, db *gorm.DB, a Actor, att Attachment, content []byte) (*Attachment, error) {
	return storeAttachment(ctx, db, a, att, content, SniffScan, "validation.file_type", nil)
}

// storeAttachment checks the upload (not empty, not over the limit, a type
// sniff accepts) and records the row and its bytes in one transaction;
// check, when given, runs first inside it (rights and state).
func storeAttachment(ctx context.Context, db *gorm.DB, a Actor, att Attachment, content []byte,
	sniff func([]byte) (string, bool), typeKey string, check func(tx *gorm.DB) error) (*Attachment, error) {
	ct, ok := sniff(content)
	switch {
	case len(content) == 0:
		return nil, Invalid("file", "validation.required")
	case len(content) > MaxAttachmentBytes:
		return nil, TooLarge("file", "validation.file_too_large")
	case !ok:
		return nil, Invalid("file", typeKey)
	}
	att.ContentType, att.SizeBytes, att.SHA256 = ct, int64(len(content)), SHA256Hex(content)
	att.StoredName = RandomToken() + fileExtensions[ct]
	att.FileName = cleanFileName(att.FileName)
	att.UploadedBy = userRef(a)
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if check != nil {
			if err := check(tx); err != nil {
				return err
			}
		}
		if err := tx.Create(&att).Error; err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO attachment_contents (attachment_id, content) VALUES (?, ?)`, att.ID, content).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, a, att.MunicipalityID, "attach", att.ObjectType, att.ObjectID,
			map[string]any{"file_name": att.FileName, "sha256": att.SHA256, "kind": att.Kind, "period_id": att.PeriodID})
	})
	if err != nil {
		return nil, err
	}
	return &att, nil
}

// cleanFileName keeps a display name safe for headers and pages.
func cleanFileName(n string) string {
	n = filepath.Base(strings.ReplaceAll(n, "\\", "/"))
	n = strings.Map(func(r rune) rune {
		if r < 32 || r == '"' || r == '/' || r == 127 {
			return -1
		}
		return r
	}, n)
	if n == "" || n == "." {
		n = "scan"
	}
	return truncate(n, 200)
}

// ListAttachments lists the files of one object inside a municipality.
func ListAttachments(ctx context.Context, db *gorm.DB, muniID int64, objType string, objID int64) ([]Attachment, error) {
	var out []Attachment
	err := db.WithContext(ctx).Where("municipality_id = ? AND object_type = ? AND object_id = ?", muniID, objType, objID).
		Order("id").Find(&out).Error
	return out, err
}

// GetAttachment loads one file record of an object inside a municipality.
func GetAttachment(ctx context.Context, db *gorm.DB, muniID int64, objType string, objID, id int64) (*Attachment, error) {
	var att Attachment
	err := db.WithContext(ctx).Where("id = ? AND municipality_id = ? AND object_type = ? AND object_id = ?",
		id, muniID, objType, objID).First(&att).Error
	return &att, notFound(err)
}

// AttachmentContent reads a file's bytes (one query). A row whose bytes
// never arrived (an old file missing on disk at import) is ErrNotFound.
func AttachmentContent(ctx context.Context, db *gorm.DB, id int64) ([]byte, error) {
	var content []byte
	err := db.WithContext(ctx).Raw(`SELECT content FROM attachment_contents WHERE attachment_id = ?`, id).Row().Scan(&content)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return content, err
}
