-- +goose Up
-- Evidence of delivery (issue #17): partners attach files (attendance lists,
-- invoices, photos) to their progress reports and commitments. The bytes
-- live where the agreement scans live (PAKT_DATA_DIR, random stored name,
-- sha256); the rows are in attachments, object_type 'progress' (object_id
-- the measure, period_id the reporting period) or 'commitment'.
ALTER TABLE attachments ADD COLUMN period_id bigint REFERENCES reporting_periods (id);
CREATE INDEX attachments_evidence_idx ON attachments (municipality_id, object_type, object_id, period_id);

-- Evidence is frozen by the database, not only by the code: nothing is added
-- to or removed from a closed period or an accepted report, nor from a
-- commitment whose agreement is not in force.
-- +goose StatementBegin
CREATE FUNCTION attachments_evidence_freeze() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r attachments%ROWTYPE;
BEGIN
    IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
    IF r.object_type = 'progress' THEN
        IF r.period_id IS NULL THEN
            RAISE EXCEPTION 'progress evidence needs a period' USING ERRCODE = 'check_violation';
        END IF;
        IF EXISTS (SELECT 1 FROM reporting_periods WHERE id = r.period_id AND status = 'closed') THEN
            RAISE EXCEPTION 'the reporting period is closed' USING ERRCODE = 'check_violation';
        END IF;
        IF EXISTS (SELECT 1 FROM progress_reports WHERE measure_id = r.object_id AND period_id = r.period_id
                   AND review = 'accepted') THEN
            RAISE EXCEPTION 'the report is accepted' USING ERRCODE = 'check_violation';
        END IF;
    ELSIF r.object_type = 'commitment' THEN
        IF NOT EXISTS (SELECT 1 FROM agreement_commitments c JOIN agreements a ON a.id = c.agreement_id
                       WHERE c.id = r.object_id AND a.status = 'in_force') THEN
            RAISE EXCEPTION 'the agreement is not in force' USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER attachments_evidence_freeze BEFORE INSERT OR DELETE ON attachments
    FOR EACH ROW EXECUTE FUNCTION attachments_evidence_freeze();

-- +goose Down
DROP TRIGGER attachments_evidence_freeze ON attachments;
DROP FUNCTION attachments_evidence_freeze();
DROP INDEX attachments_evidence_idx;
ALTER TABLE attachments DROP COLUMN period_id;
