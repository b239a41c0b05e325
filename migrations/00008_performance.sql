-- +goose Up
-- Performance at national scale (issue #8, docs/benchmarks.md).

-- 1. The latest actual value of an indicator (dashboards, plan summary, report
-- PDF) is found per indicator_id; the table was indexed only by report and by
-- period, so PostgreSQL probed the period index thousands of times per plan.
-- INCLUDE (value) lets the lookup be an index-only scan.
CREATE INDEX progress_indicator_values_indicator_idx
    ON progress_indicator_values (indicator_id, period_id) INCLUDE (value);

-- 2. Content revisions. Every write to a municipality's data raises that
-- municipality's revision in the same transaction, so a page rendered from
-- revision N is still correct while the revision is N. Application
-- instances cache rendered pages, summaries and PDFs under the revision they
-- read *before* reading the data: several instances share nothing but this
-- database and still never serve a stale page.
CREATE TABLE municipality_revisions (
    municipality_id bigint PRIMARY KEY REFERENCES municipalities (id) ON DELETE CASCADE,
    rev             bigint NOT NULL DEFAULT 1
);

-- Statement-level triggers with transition tables: one bump per municipality
-- and statement, however many rows the statement wrote. Rows are bumped in id
-- order so two statements touching the same municipalities lock them in the
-- same order.
-- +goose StatementBegin
CREATE FUNCTION bump_municipality_revisions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO municipality_revisions AS r (municipality_id, rev)
    SELECT DISTINCT municipality_id, 1 FROM changed_rows
    WHERE municipality_id IS NOT NULL ORDER BY 1
    ON CONFLICT (municipality_id) DO UPDATE SET rev = r.rev + 1;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- The municipality row itself (name, currency, language) is keyed by id.
-- +goose StatementBegin
CREATE FUNCTION bump_municipality_revision_self() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO municipality_revisions AS r (municipality_id, rev)
    SELECT DISTINCT id, 1 FROM changed_rows ORDER BY 1
    ON CONFLICT (municipality_id) DO UPDATE SET rev = r.rev + 1;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- Users belong to no municipality, but their names appear on the pages of
-- every municipality they are a member of (signatures, reporters). Only a
-- new name counts: a changed language or password shows on no shared page.
-- +goose StatementBegin
CREATE FUNCTION bump_municipality_revisions_of_users() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO municipality_revisions AS r (municipality_id, rev)
    SELECT DISTINCT m.municipality_id, 1 FROM memberships m
    JOIN changed_rows u ON u.id = m.user_id
    JOIN old_rows o ON o.id = u.id AND o.name IS DISTINCT FROM u.name
    ORDER BY 1
    ON CONFLICT (municipality_id) DO UPDATE SET rev = r.rev + 1;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- Attach the bump to every table that carries municipality_id (all tenant
-- data), except logs that no page caches. TestRevisionTriggersCoverTenantTables
-- fails when a later migration adds a tenant table without them.
-- +goose StatementBegin
DO $$
DECLARE
    t name;
BEGIN
    FOR t IN
        SELECT c.table_name FROM information_schema.columns c
        JOIN information_schema.tables tb ON tb.table_name = c.table_name AND tb.table_schema = c.table_schema
        WHERE c.table_schema = current_schema() AND c.column_name = 'municipality_id'
          AND tb.table_type = 'BASE TABLE'
          AND c.table_name NOT IN ('municipality_revisions', 'audit_log')
        ORDER BY 1
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS changed_rows
            FOR EACH STATEMENT EXECUTE FUNCTION bump_municipality_revisions()', t || '_rev_ins', t);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS changed_rows
            FOR EACH STATEMENT EXECUTE FUNCTION bump_municipality_revisions()', t || '_rev_upd', t);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS changed_rows
            FOR EACH STATEMENT EXECUTE FUNCTION bump_municipality_revisions()', t || '_rev_del', t);
    END LOOP;
END $$;
-- +goose StatementEnd

CREATE TRIGGER municipalities_rev_ins AFTER INSERT ON municipalities REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_municipality_revision_self();
CREATE TRIGGER municipalities_rev_upd AFTER UPDATE ON municipalities REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_municipality_revision_self();
CREATE TRIGGER users_rev_upd AFTER UPDATE ON users REFERENCING OLD TABLE AS old_rows NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_municipality_revisions_of_users();

INSERT INTO municipality_revisions (municipality_id) SELECT id FROM municipalities ON CONFLICT DO NOTHING;

-- +goose Down
-- +goose StatementBegin
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT tgname, tgrelid::regclass AS tbl FROM pg_trigger
             WHERE tgname LIKE '%\_rev\_ins' OR tgname LIKE '%\_rev\_upd' OR tgname LIKE '%\_rev\_del'
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %s', r.tgname, r.tbl);
    END LOOP;
END $$;
-- +goose StatementEnd
DROP FUNCTION bump_municipality_revisions_of_users();
DROP FUNCTION bump_municipality_revision_self();
DROP FUNCTION bump_municipality_revisions();
DROP TABLE municipality_revisions;
DROP INDEX progress_indicator_values_indicator_idx;
