-- +goose Up
-- Working the cycle (issue #17).

-- 1. The consultation loop: the commission may change the draft while the
-- public reads it. The public page lists what changed since the
-- consultation opened, and each comment names the plan version it was
-- written on.
ALTER TABLE action_plans ADD COLUMN consultation_opened_at timestamptz;
ALTER TABLE plan_comments ADD COLUMN plan_version integer CHECK (plan_version >= 1);

CREATE TABLE plan_changes (
    id              bigserial PRIMARY KEY,
    plan_id         bigint      NOT NULL REFERENCES action_plans (id) ON DELETE CASCADE,
    municipality_id bigint      NOT NULL REFERENCES municipalities (id),
    plan_version    integer     NOT NULL CHECK (plan_version >= 1),
    object          text        NOT NULL CHECK (object IN ('measure', 'objective')),
    object_id       bigint      NOT NULL,
    code            text        NOT NULL CHECK (length(code) BETWEEN 1 AND 20),
    title           text        NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    action          text        NOT NULL CHECK (action IN ('added', 'changed', 'removed')),
    fields          text[]      NOT NULL DEFAULT '{}',
    changed_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX plan_changes_plan_idx ON plan_changes (plan_id, id);
CREATE INDEX plan_changes_municipality_idx ON plan_changes (municipality_id);
CREATE TRIGGER plan_changes_rev_ins AFTER INSERT ON plan_changes REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_municipality_revisions();
CREATE TRIGGER plan_changes_rev_upd AFTER UPDATE ON plan_changes REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_municipality_revisions();
CREATE TRIGGER plan_changes_rev_del AFTER DELETE ON plan_changes REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_municipality_revisions();

-- 2. A refused form is drawn at the form's own address (post, redirect,
-- get): the page drawn for the refused POST waits here, for the browser
-- session that posted it, until that browser follows the redirect (once,
-- at most a few minutes). Keyed by a hash of the session id, never the id.
-- UNLOGGED: losing them in a crash only loses a re-drawn form.
CREATE UNLOGGED TABLE form_replays (
    session_hash     text        NOT NULL,
    target           text        NOT NULL CHECK (length(target) BETWEEN 1 AND 2000),
    status           integer     NOT NULL,
    content_type     text        NOT NULL,
    content_encoding text        NOT NULL DEFAULT '',
    body             bytea       NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_hash, target)
);
CREATE INDEX form_replays_created_idx ON form_replays (created_at);

-- +goose Down
DROP TABLE form_replays;
DROP TABLE plan_changes;
ALTER TABLE plan_comments DROP COLUMN plan_version;
ALTER TABLE action_plans DROP COLUMN consultation_opened_at;
