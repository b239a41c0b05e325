-- +goose Up
-- Uploaded files live in PostgreSQL (issue: stateless instances): one row of
-- bytes per attachment, in the same transaction as the attachments row, so a
-- file uploaded through one instance downloads through any other and one
-- pg_dump is the whole backup. The table has no municipality_id: it is
-- reached only through its attachments row (which carries the municipality
-- and bumps its content revision), and goes with it (ON DELETE CASCADE).
-- Files are PDFs, images and Office ZIPs, already compressed: STORAGE
-- EXTERNAL keeps them out of line (TOAST) without trying to compress them.
CREATE TABLE attachment_contents (
    attachment_id bigint PRIMARY KEY REFERENCES attachments (id) ON DELETE CASCADE,
    content bytea NOT NULL
);
ALTER TABLE attachment_contents ALTER COLUMN content SET STORAGE EXTERNAL;

-- +goose Down
-- Going down drops the bytes: files imported from or uploaded after this
-- migration exist only here. Dump them first if they are still needed.
DROP TABLE attachment_contents;
