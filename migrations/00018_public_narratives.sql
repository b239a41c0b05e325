-- +goose Up
-- The public wording of a progress report's narrative (issue #15): numbers
-- of fewer than five people in what a partner wrote are flagged to the
-- coordinator, who may publish other wording. The partner's text stays in
-- progress_reports.narrative; this row only replaces it in public outputs.
-- It is edited after the period is closed and locked once the report is
-- published.
CREATE TABLE progress_public_narratives (
    report_id       bigint      PRIMARY KEY REFERENCES progress_reports (id),
    municipality_id bigint      NOT NULL REFERENCES municipalities (id),
    period_id       bigint      NOT NULL REFERENCES reporting_periods (id),
    text            text        NOT NULL CHECK (length(text) <= 10000),
    updated_by      bigint REFERENCES users (id),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- +goose StatementBegin
CREATE FUNCTION public_narrative_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    pid bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN pid := OLD.period_id; ELSE pid := NEW.period_id; END IF;
    IF EXISTS (SELECT 1 FROM reporting_periods WHERE id = pid AND published_at IS NOT NULL) THEN
        RAISE EXCEPTION 'the report of period % is published, its public wording is locked', pid USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER progress_public_narratives_published BEFORE INSERT OR UPDATE OR DELETE ON progress_public_narratives
    FOR EACH ROW EXECUTE FUNCTION public_narrative_guard();

-- Tenant data: cached pages of the municipality follow it (00008).
CREATE TRIGGER progress_public_narratives_rev_ins AFTER INSERT ON progress_public_narratives REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_municipality_revisions();
CREATE TRIGGER progress_public_narratives_rev_upd AFTER UPDATE ON progress_public_narratives REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_municipality_revisions();
CREATE TRIGGER progress_public_narratives_rev_del AFTER DELETE ON progress_public_narratives REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_municipality_revisions();

-- +goose Down
DROP TABLE progress_public_narratives;
DROP FUNCTION public_narrative_guard();
