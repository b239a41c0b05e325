package app

import (
	"context"
	"log/slog"
	"path/filepath"

	"gorm.io/gorm"

	"pakt/models"
)

// ImportAttachmentFiles brings the uploaded files of deployments from
// before PostgreSQL held them (PAKT_DATA_DIR/attachments/<stored_name>)
// into attachment_contents, after the migrations and before serving. A
// missing or altered file is a warning naming the attachment, never a
// failed start; files already imported are not read again, and the files
// stay on disk (they may be deleted once the log shows no warning).
func ImportAttachmentFiles(ctx context.Context, db *gorm.DB, dataDir string, log *slog.Logger) error {
	dir := filepath.Join(dataDir, "attachments")
	res, err := models.ImportAttachmentFiles(ctx, db, dir, func(id int64, reason string) {
		log.Warn("uploaded file not imported into PostgreSQL: its download answers 404",
			"attachment_id", id, "reason", reason, "dir", dir)
	})
	if err != nil {
		return err
	}
	if res.Imported > 0 || res.Skipped > 0 {
		log.Info("uploaded files imported from disk into PostgreSQL", "imported", res.Imported, "skipped", res.Skipped, "dir", dir)
	}
	return nil
}
