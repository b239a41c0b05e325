package models

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"gorm.io/gorm"
)

// importBatch is how many old files ImportAttachmentFiles reads and writes
// per transaction: at most this many times MaxAttachmentBytes in memory.
const importBatch = 8

// AttachmentImport counts what ImportAttachmentFiles did.
type AttachmentImport struct {
	Imported, Skipped int
}

// ImportAttachmentFiles moves files of deployments from before
// attachment_contents into PostgreSQL: every attachments row without
// content gets the bytes of dir/<stored_name> when their SHA-256 is the
// row's. A file missing or different is reported through warn (with the
// attachment's id) and skipped, never fatal. It is idempotent and safe on
// several instances at once (ON CONFLICT DO NOTHING); the file on disk is
// left where it is.
func ImportAttachmentFiles(ctx context.Context, db *gorm.DB, dir string, warn func(id int64, reason string)) (AttachmentImport, error) {
	var res AttachmentImport
	var after int64
	for {
		var rows []struct {
			ID         int64
			StoredName string
			SHA256     string `gorm:"column:sha256"`
		}
		err := db.WithContext(ctx).Raw(`SELECT a.id, a.stored_name, a.sha256 FROM attachments a
			WHERE a.id > ? AND NOT EXISTS (SELECT 1 FROM attachment_contents c WHERE c.attachment_id = a.id)
			ORDER BY a.id LIMIT ?`, after, importBatch).Scan(&rows).Error
		if err != nil || len(rows) == 0 {
			return res, err
		}
		err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			for _, r := range rows {
				content, err := readOldFile(dir, r.StoredName)
				switch {
				case errors.Is(err, fs.ErrNotExist):
					warn(r.ID, "file missing")
				case err != nil:
					warn(r.ID, err.Error())
				case SHA256Hex(content) != r.SHA256:
					warn(r.ID, "sha256 mismatch")
					err = errors.New("mismatch")
				}
				if err != nil {
					res.Skipped++
					continue
				}
				if err := tx.Exec(`INSERT INTO attachment_contents (attachment_id, content) VALUES (?, ?)
					ON CONFLICT (attachment_id) DO NOTHING`, r.ID, content).Error; err != nil {
					return err
				}
				res.Imported++
			}
			return nil
		})
		if err != nil {
			return res, err
		}
		after = rows[len(rows)-1].ID
	}
}

// readOldFile reads dir/<stored name> (its base name only: no path from
// the database leaves dir), at most MaxAttachmentBytes.
func readOldFile(dir, stored string) ([]byte, error) {
	name := filepath.Base(stored)
	if name == "." || name == "/" || name == "" || dir == "" {
		return nil, fs.ErrNotExist
	}
	st, err := os.Stat(filepath.Join(dir, name))
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() || st.Size() > MaxAttachmentBytes {
		return nil, errors.New("not a regular file of at most 10 MiB")
	}
	return os.ReadFile(filepath.Join(dir, name))
}
