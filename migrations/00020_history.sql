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

-- Plans adopted before versions were kept: an adopted (or superseded) plan
-- is frozen by the database, so its content now is its content at adoption.
-- Written as models.ContentOf writes it.
INSERT INTO plan_snapshots (plan_id, municipality_id, plan_version, kind, taken_at, content)
SELECT p.id, p.municipality_id, p.version, 'adopted', coalesce(p.adopted_on::timestamptz, p.updated_at),
    jsonb_build_object('title', p.title, 'period_start', p.period_start::text, 'period_end', p.period_end::text,
        'measures', coalesce((SELECT jsonb_agg(jsonb_build_object(
            'code', m.code, 'title', m.title, 'description', m.description,
            'objective', coalesce((SELECT o.code || ' ' || o.title FROM plan_objectives o WHERE o.id = m.objective_id), ''),
            'groups', to_jsonb(m.groups),
            'lead', coalesce((SELECT o.name FROM organisations o WHERE o.id = m.lead_organisation_id), ''),
            'partners', coalesce((SELECT jsonb_agg(coalesce(o.name, '') ORDER BY u.ord)
                FROM unnest(m.partner_organisation_ids) WITH ORDINALITY u (id, ord)
                LEFT JOIN organisations o ON o.id = u.id), '[]'::jsonb),
            'start_date', m.start_date::text, 'end_date', m.end_date::text,
            'indicators', coalesce((SELECT jsonb_agg(jsonb_build_object('name', i.name, 'unit', i.unit,
                    'baseline', CASE WHEN i.baseline = trunc(i.baseline) THEN trunc(i.baseline)::text ELSE i.baseline::text END,
                    'target', CASE WHEN i.target = trunc(i.target) THEN trunc(i.target)::text ELSE i.target::text END)
                ORDER BY i.position) FROM measure_indicators i WHERE i.measure_id = m.id), '[]'::jsonb),
            'budget', coalesce((SELECT jsonb_agg(jsonb_build_object('year', b.year, 'source', b.source,
                    'funder', b.funder, 'amount', b.amount::text) ORDER BY b.position)
                FROM measure_budget_lines b WHERE b.measure_id = m.id), '[]'::jsonb))
            ORDER BY m.code) FROM plan_measures m WHERE m.plan_id = p.id), '[]'::jsonb))
FROM action_plans p WHERE p.status IN ('adopted', 'superseded');

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
