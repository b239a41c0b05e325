-- +goose Up
-- Webhooks for registries (issue #19, docs/webhooks.md): a coordinator
-- registers a URL and the events it wants; each event writes one delivery
-- per matching hook, and a River job (queue "webhooks") posts it, signed
-- with the hook's secret, retrying with backoff.

-- The secret signs deliveries (HMAC-SHA256), so it is kept as is: it is
-- shown once, when the hook is made, and never answered again.
CREATE TABLE webhooks (
    id              bigserial   PRIMARY KEY,
    municipality_id bigint      NOT NULL REFERENCES municipalities (id) ON DELETE CASCADE,
    url             text        NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2000),
    secret          text        NOT NULL CHECK (length(secret) >= 32),
    events          text[]      NOT NULL CHECK (cardinality(events) >= 1 AND
                        events <@ ARRAY['agreement.in_force', 'plan.adopted', 'report.published']),
    created_by      bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    version         integer     NOT NULL DEFAULT 1
);
CREATE INDEX webhooks_municipality_idx ON webhooks (municipality_id);

-- One row per hook and event: what was sent and how it went. The body is
-- kept byte for byte so every retry sends (and signs) the same bytes.
CREATE TABLE webhook_deliveries (
    id              bigserial   PRIMARY KEY,
    webhook_id      bigint      NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    municipality_id bigint      NOT NULL REFERENCES municipalities (id) ON DELETE CASCADE,
    event           text        NOT NULL,
    body            text        NOT NULL,
    status          text        NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'delivered', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    response_status integer,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz
);
CREATE INDEX webhook_deliveries_hook_idx ON webhook_deliveries (webhook_id, id DESC);

-- The webhooks page shows the hooks and their log: both raise the
-- municipality's content revision like every tenant table (migration 00008).
CREATE TRIGGER webhooks_rev_ins AFTER INSERT ON webhooks REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_municipality_revisions();
CREATE TRIGGER webhooks_rev_upd AFTER UPDATE ON webhooks REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_municipality_revisions();
CREATE TRIGGER webhooks_rev_del AFTER DELETE ON webhooks REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_municipality_revisions();
CREATE TRIGGER webhook_deliveries_rev_ins AFTER INSERT ON webhook_deliveries REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_municipality_revisions();
CREATE TRIGGER webhook_deliveries_rev_upd AFTER UPDATE ON webhook_deliveries REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_municipality_revisions();
CREATE TRIGGER webhook_deliveries_rev_del AFTER DELETE ON webhook_deliveries REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_municipality_revisions();

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
