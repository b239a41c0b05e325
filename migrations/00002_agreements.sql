-- +goose Up
CREATE TABLE agreements (
    id                bigserial PRIMARY KEY,
    municipality_id   bigint      NOT NULL REFERENCES municipalities (id),
    version_no        integer     NOT NULL DEFAULT 1 CHECK (version_no >= 1),
    supersedes_id     bigint REFERENCES agreements (id),
    title             text        NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    level             text        NOT NULL CHECK (level IN ('cooperation', 'coordination', 'collaboration')),
    goal              text        NOT NULL DEFAULT '',
    body              text        NOT NULL DEFAULT '',
    valid_from        date        NOT NULL,
    valid_to          date        NOT NULL,
    status            text        NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'open_for_signature', 'in_force', 'declined', 'superseded')),
    sha256            text,
    opened_at         timestamptz,
    in_force_at       timestamptz,
    declined_by       bigint REFERENCES users (id),
    declined_reason   text,
    final_pdf_sha256  text,
    version           integer     NOT NULL DEFAULT 1,
    created_by        bigint REFERENCES users (id),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (valid_to >= valid_from),
    CHECK (status = 'draft' OR sha256 IS NOT NULL)
);
CREATE INDEX agreements_municipality_idx ON agreements (municipality_id, status);
CREATE INDEX agreements_sha256_idx ON agreements (sha256);
-- At most one newer version of an agreement.
CREATE UNIQUE INDEX agreements_supersedes_uq ON agreements (supersedes_id);

CREATE TABLE agreement_parties (
    id                bigserial PRIMARY KEY,
    agreement_id      bigint  NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    municipality_id   bigint  NOT NULL REFERENCES municipalities (id),
    position          integer NOT NULL,
    organisation_id   bigint  NOT NULL REFERENCES organisations (id),
    signatory_user_id bigint  NOT NULL REFERENCES users (id),
    UNIQUE (agreement_id, organisation_id)
);
CREATE INDEX agreement_parties_municipality_idx ON agreement_parties (municipality_id);
CREATE INDEX agreement_parties_signatory_idx ON agreement_parties (signatory_user_id);

CREATE TABLE agreement_commitments (
    id                          bigserial PRIMARY KEY,
    agreement_id                bigint  NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    municipality_id             bigint  NOT NULL REFERENCES municipalities (id),
    position                    integer NOT NULL,
    action                      text    NOT NULL CHECK (length(action) BETWEEN 1 AND 2000),
    responsible_organisation_id bigint  NOT NULL REFERENCES organisations (id),
    supporting_organisation_ids bigint[] NOT NULL DEFAULT '{}',
    due_date                    date    NOT NULL
);
CREATE INDEX agreement_commitments_agreement_idx ON agreement_commitments (agreement_id);
CREATE INDEX agreement_commitments_municipality_idx ON agreement_commitments (municipality_id);
CREATE INDEX agreement_commitments_responsible_idx ON agreement_commitments (responsible_organisation_id);

CREATE TABLE agreement_signatures (
    id              bigserial PRIMARY KEY,
    agreement_id    bigint      NOT NULL REFERENCES agreements (id),
    municipality_id bigint      NOT NULL REFERENCES municipalities (id),
    party_id        bigint      NOT NULL REFERENCES agreement_parties (id),
    organisation_id bigint      NOT NULL REFERENCES organisations (id),
    user_id         bigint      NOT NULL REFERENCES users (id),
    signed_at       timestamptz NOT NULL DEFAULT now(),
    ip              text        NOT NULL,
    user_agent      text        NOT NULL DEFAULT '',
    sha256          text        NOT NULL,
    UNIQUE (agreement_id, party_id)
);
CREATE INDEX agreement_signatures_municipality_idx ON agreement_signatures (municipality_id);

-- Progress on a commitment is dated history, never edited.
CREATE TABLE commitment_progress (
    id              bigserial PRIMARY KEY,
    commitment_id   bigint      NOT NULL REFERENCES agreement_commitments (id),
    municipality_id bigint      NOT NULL REFERENCES municipalities (id),
    status          text        NOT NULL CHECK (status IN ('pending', 'in_progress', 'done', 'blocked')),
    note            text        NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    recorded_by     bigint      NOT NULL REFERENCES users (id),
    recorded_on     date        NOT NULL DEFAULT current_date,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX commitment_progress_commitment_idx ON commitment_progress (commitment_id, id DESC);
CREATE INDEX commitment_progress_municipality_idx ON commitment_progress (municipality_id);

-- Uploaded files (e.g. a scanned wet-ink copy): bytes on disk under a random
-- name outside the web root, metadata and hash here.
CREATE TABLE attachments (
    id              bigserial PRIMARY KEY,
    municipality_id bigint      NOT NULL REFERENCES municipalities (id),
    object_type     text        NOT NULL,
    object_id       bigint      NOT NULL,
    kind            text        NOT NULL,
    file_name       text        NOT NULL,
    stored_name     text        NOT NULL UNIQUE,
    content_type    text        NOT NULL,
    size_bytes      bigint      NOT NULL,
    sha256          text        NOT NULL,
    uploaded_by     bigint REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachments_object_idx ON attachments (object_type, object_id);
CREATE INDEX attachments_municipality_idx ON attachments (municipality_id);

-- Documents Pakt generated once and registered by hash (final agreement PDFs,
-- published reports); the verify-by-upload form looks them up here.
CREATE TABLE registered_documents (
    sha256          text PRIMARY KEY,
    municipality_id bigint      NOT NULL REFERENCES municipalities (id),
    kind            text        NOT NULL,
    object_id       bigint      NOT NULL,
    content         bytea       NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, object_id)
);

-- Signed content never changes, whatever the code does: once an agreement has
-- left draft, its text and period are fixed and it cannot be deleted.
-- +goose StatementBegin
CREATE FUNCTION agreements_freeze() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
            RAISE EXCEPTION 'agreement % is %, it cannot be deleted', OLD.id, OLD.status USING ERRCODE = 'check_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status <> 'draft' AND (
        NEW.title IS DISTINCT FROM OLD.title OR NEW.level IS DISTINCT FROM OLD.level OR
        NEW.goal IS DISTINCT FROM OLD.goal OR NEW.body IS DISTINCT FROM OLD.body OR
        NEW.valid_from IS DISTINCT FROM OLD.valid_from OR NEW.valid_to IS DISTINCT FROM OLD.valid_to OR
        NEW.sha256 IS DISTINCT FROM OLD.sha256 OR NEW.municipality_id IS DISTINCT FROM OLD.municipality_id OR
        NEW.version_no IS DISTINCT FROM OLD.version_no OR NEW.supersedes_id IS DISTINCT FROM OLD.supersedes_id OR
        NEW.status = 'draft' OR
        (OLD.final_pdf_sha256 IS NOT NULL AND NEW.final_pdf_sha256 IS DISTINCT FROM OLD.final_pdf_sha256)) THEN
        RAISE EXCEPTION 'agreement % is %, its content is frozen', OLD.id, OLD.status USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER agreements_freeze BEFORE UPDATE OR DELETE ON agreements
    FOR EACH ROW EXECUTE FUNCTION agreements_freeze();

-- Parties and commitments change only while their agreement is a draft.
-- +goose StatementBegin
CREATE FUNCTION agreement_parts_freeze() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    st text;
    aid bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN aid := OLD.agreement_id; ELSE aid := NEW.agreement_id; END IF;
    SELECT status INTO st FROM agreements WHERE id = aid;
    IF st IS NOT NULL AND st <> 'draft' THEN
        RAISE EXCEPTION 'agreement % is %, its % are frozen', aid, st, TG_TABLE_NAME USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER agreement_parties_freeze BEFORE INSERT OR UPDATE OR DELETE ON agreement_parties
    FOR EACH ROW EXECUTE FUNCTION agreement_parts_freeze();
CREATE TRIGGER agreement_commitments_freeze BEFORE INSERT OR UPDATE OR DELETE ON agreement_commitments
    FOR EACH ROW EXECUTE FUNCTION agreement_parts_freeze();

-- A signature is added only while the agreement is open and never changed.
-- +goose StatementBegin
CREATE FUNCTION agreement_signatures_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    st text;
    h text;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        RAISE EXCEPTION 'signatures cannot be changed or deleted' USING ERRCODE = 'check_violation';
    END IF;
    SELECT status, sha256 INTO st, h FROM agreements WHERE id = NEW.agreement_id;
    IF st <> 'open_for_signature' OR NEW.sha256 <> h THEN
        RAISE EXCEPTION 'agreement % is not open for signature of this text', NEW.agreement_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER agreement_signatures_guard BEFORE INSERT OR UPDATE OR DELETE ON agreement_signatures
    FOR EACH ROW EXECUTE FUNCTION agreement_signatures_guard();

-- Registered documents and progress history are append-only.
-- +goose StatementBegin
CREATE FUNCTION append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'check_violation';
END $$;
-- +goose StatementEnd
CREATE TRIGGER registered_documents_append_only BEFORE UPDATE OR DELETE ON registered_documents
    FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER commitment_progress_append_only BEFORE UPDATE OR DELETE ON commitment_progress
    FOR EACH ROW EXECUTE FUNCTION append_only();

-- +goose Down
DROP TABLE commitment_progress;
DROP TABLE registered_documents;
DROP TABLE attachments;
DROP TABLE agreement_signatures;
DROP TABLE agreement_commitments;
DROP TABLE agreement_parties;
DROP TABLE agreements;
DROP FUNCTION append_only();
DROP FUNCTION agreement_signatures_guard();
DROP FUNCTION agreement_parts_freeze();
DROP FUNCTION agreements_freeze();
