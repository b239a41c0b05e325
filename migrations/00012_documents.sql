-- Registered documents for every kind Pakt freezes (agreements, progress
-- reports, adopted plans, published situation analyses), each with the hash
-- its PDF prints: the SHA-256 of its canonical frozen content (see
-- models/document.go). The PDF's own hash stays the primary key.

-- +goose Up
ALTER TABLE registered_documents ADD COLUMN content_sha256 text;
CREATE INDEX registered_documents_content_idx ON registered_documents (content_sha256);
CREATE INDEX registered_documents_municipality_idx ON registered_documents (municipality_id);
ALTER TABLE registered_documents ADD CONSTRAINT registered_documents_kind_check
    CHECK (kind IN ('agreement', 'report', 'plan', 'sitan'));
ALTER TABLE registered_documents ADD CONSTRAINT registered_documents_content_sha256_check
    CHECK (content_sha256 ~ '^[0-9a-f]{64}$');

-- A final agreement PDF always printed the hash of the signed text: record it.
-- The table is append-only; this one fill-in runs with its guard off.
ALTER TABLE registered_documents DISABLE TRIGGER registered_documents_append_only;
UPDATE registered_documents d SET content_sha256 = a.sha256
    FROM agreements a WHERE d.kind = 'agreement' AND a.id = d.object_id AND a.sha256 IS NOT NULL;
ALTER TABLE registered_documents ENABLE TRIGGER registered_documents_append_only;

-- +goose Down
ALTER TABLE registered_documents DROP CONSTRAINT registered_documents_content_sha256_check;
ALTER TABLE registered_documents DROP CONSTRAINT registered_documents_kind_check;
DROP INDEX registered_documents_municipality_idx;
DROP INDEX registered_documents_content_idx;
ALTER TABLE registered_documents DROP COLUMN content_sha256;
