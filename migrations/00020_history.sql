-- +goose Up
-- History (issue #17). 1. Plan versions to compare: the content of a plan as it stood
-- when its public consultation opened and when the assembly adopted it,
-- written in the transaction of that step. A revision is compared with the
-- adopted plan it revises, a draft in consultation with what the public
-- first read. Never changed once written.
CREATE TABLE plan_snapshots (
    id              bigserial PRIMARY KEY,
    plan_id         bigint      NOT NULL REFERENCES action_plans (id) ON DELETE CASCADE,
    municipality_id bigint      NOT NULL REFERENCES municipalities (id),
    plan_version    integer     NOT NULL CHECK (plan_version >= 1),
    kind            text        NOT NULL CHECK (kind IN ('consultation', 'adopted')),
    taken_at        timestamptz NOT NULL DEFAULT now(),
    content         jsonb       NOT NULL
);
CREATE INDEX plan_snapshots_plan_idx ON plan_snapshots (plan_id, id);
CREATE INDEX plan_snapshots_municipality_idx ON plan_snapshots (municipality_id);
CREATE TRIGGER plan_snapshots_rev_ins AFTER INSERT ON plan_snapshots REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_municipality_revisions();
CREATE TRIGGER plan_snapshots_rev_upd AFTER UPDATE ON plan_snapshots REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_municipality_revisions();
CREATE TRIGGER plan_snapshots_rev_del AFTER DELETE ON plan_snapshots REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_municipality_revisions();

-- +goose StatementBegin
CREATE FUNCTION plan_snapshots_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'plan snapshot % is frozen', OLD.id;
END $$;
-- +goose StatementEnd
CREATE TRIGGER plan_snapshots_frozen BEFORE UPDATE ON plan_snapshots
    FOR EACH ROW EXECUTE FUNCTION plan_snapshots_frozen();

-- 2. The audit log a clerk reads: pages newest first by id, and
-- the filters by person and by object, without reading the whole log.
CREATE INDEX audit_log_municipality_id_idx ON audit_log (municipality_id, id DESC);
CREATE INDEX audit_log_user_idx ON audit_log (municipality_id, user_id, id DESC);
CREATE INDEX audit_log_object_idx ON audit_log (municipality_id, object_type, object_id, id DESC);

-- +goose Down
DROP INDEX audit_log_object_idx;
DROP INDEX audit_log_user_idx;
DROP INDEX audit_log_municipality_id_idx;
DROP TABLE plan_snapshots;
DROP FUNCTION plan_snapshots_frozen();
