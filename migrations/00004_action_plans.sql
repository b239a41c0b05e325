-- +goose Up
CREATE TABLE action_plans (
    id                     bigserial PRIMARY KEY,
    municipality_id        bigint      NOT NULL REFERENCES municipalities (id),
    title                  text        NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    period_start           date        NOT NULL,
    period_end             date        NOT NULL,
    status                 text        NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'public_consultation', 'submitted', 'adopted', 'superseded')),
    revises_id             bigint REFERENCES action_plans (id),
    consultation_closes_on date,
    submitted_at           timestamptz,
    adopted_on             date,
    decision_number        text,
    votes_for              integer CHECK (votes_for >= 0),
    votes_against          integer CHECK (votes_against >= 0),
    votes_abstained        integer CHECK (votes_abstained >= 0),
    returned_reason        text,
    version                integer     NOT NULL DEFAULT 1,
    created_by             bigint REFERENCES users (id),
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    CHECK (period_end > period_start),
    CHECK (status NOT IN ('adopted', 'superseded') OR (adopted_on IS NOT NULL AND decision_number IS NOT NULL))
);
CREATE INDEX action_plans_municipality_idx ON action_plans (municipality_id, status);
CREATE UNIQUE INDEX action_plans_revises_uq ON action_plans (revises_id);

CREATE TABLE plan_objectives (
    id              bigserial PRIMARY KEY,
    plan_id         bigint  NOT NULL REFERENCES action_plans (id) ON DELETE CASCADE,
    municipality_id bigint  NOT NULL REFERENCES municipalities (id),
    code            text    NOT NULL CHECK (length(code) BETWEEN 1 AND 20),
    title           text    NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    UNIQUE (plan_id, code)
);
CREATE INDEX plan_objectives_municipality_idx ON plan_objectives (municipality_id);

CREATE TABLE plan_measures (
    id                       bigserial PRIMARY KEY,
    plan_id                  bigint   NOT NULL REFERENCES action_plans (id) ON DELETE CASCADE,
    municipality_id          bigint   NOT NULL REFERENCES municipalities (id),
    objective_id             bigint   NOT NULL REFERENCES plan_objectives (id),
    code                     text     NOT NULL CHECK (length(code) BETWEEN 1 AND 20),
    title                    text     NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    description              text     NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
    groups                   text[]   NOT NULL DEFAULT '{}',
    lead_organisation_id     bigint   NOT NULL REFERENCES organisations (id),
    partner_organisation_ids bigint[] NOT NULL DEFAULT '{}',
    start_date               date     NOT NULL,
    end_date                 date     NOT NULL,
    version                  integer  NOT NULL DEFAULT 1,
    CHECK (end_date >= start_date),
    UNIQUE (plan_id, code)
);
CREATE INDEX plan_measures_plan_idx ON plan_measures (plan_id);
CREATE INDEX plan_measures_municipality_idx ON plan_measures (municipality_id);
CREATE INDEX plan_measures_lead_idx ON plan_measures (lead_organisation_id);

CREATE TABLE measure_indicators (
    id              bigserial PRIMARY KEY,
    measure_id      bigint        NOT NULL REFERENCES plan_measures (id) ON DELETE CASCADE,
    plan_id         bigint        NOT NULL REFERENCES action_plans (id) ON DELETE CASCADE,
    municipality_id bigint        NOT NULL REFERENCES municipalities (id),
    position        integer       NOT NULL,
    name            text          NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    unit            text          NOT NULL DEFAULT '' CHECK (length(unit) <= 50),
    baseline        numeric(14,2) NOT NULL,
    target          numeric(14,2) NOT NULL
);
CREATE INDEX measure_indicators_measure_idx ON measure_indicators (measure_id);
CREATE INDEX measure_indicators_plan_idx ON measure_indicators (plan_id);

-- Money is numeric(14,2): exact to the cent, never floating point.
CREATE TABLE measure_budget_lines (
    id              bigserial PRIMARY KEY,
    measure_id      bigint        NOT NULL REFERENCES plan_measures (id) ON DELETE CASCADE,
    plan_id         bigint        NOT NULL REFERENCES action_plans (id) ON DELETE CASCADE,
    municipality_id bigint        NOT NULL REFERENCES municipalities (id),
    position        integer       NOT NULL,
    year            integer       NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    source          text          NOT NULL CHECK (source IN ('municipal', 'pes', 'csw', 'government', 'donor', 'in_kind', 'other')),
    funder          text          NOT NULL DEFAULT '' CHECK (length(funder) <= 200),
    amount          numeric(14,2) NOT NULL CHECK (amount >= 0)
);
CREATE INDEX measure_budget_lines_measure_idx ON measure_budget_lines (measure_id);
CREATE INDEX measure_budget_lines_plan_idx ON measure_budget_lines (plan_id);

-- Evidence: the situation-analysis findings and focus-group needs a measure answers.
CREATE TABLE measure_evidence (
    measure_id      bigint NOT NULL REFERENCES plan_measures (id) ON DELETE CASCADE,
    plan_id         bigint NOT NULL REFERENCES action_plans (id) ON DELETE CASCADE,
    municipality_id bigint NOT NULL REFERENCES municipalities (id),
    kind            text   NOT NULL CHECK (kind IN ('finding', 'need')),
    evidence_id     bigint NOT NULL,
    PRIMARY KEY (measure_id, kind, evidence_id)
);
CREATE INDEX measure_evidence_plan_idx ON measure_evidence (plan_id);

-- Public comments during consultation: shown only once a coordinator approves;
-- the IP is kept only as a salted hash, for rate limiting.
CREATE TABLE plan_comments (
    id              bigserial PRIMARY KEY,
    plan_id         bigint      NOT NULL REFERENCES action_plans (id),
    municipality_id bigint      NOT NULL REFERENCES municipalities (id),
    measure_id      bigint REFERENCES plan_measures (id) ON DELETE SET NULL,
    name            text        NOT NULL DEFAULT '' CHECK (length(name) <= 100),
    text            text        NOT NULL CHECK (length(text) BETWEEN 1 AND 3000),
    ip_hash         text        NOT NULL,
    moderation      text        NOT NULL DEFAULT 'pending' CHECK (moderation IN ('pending', 'approved', 'hidden')),
    moderated_by    bigint REFERENCES users (id),
    decision        text CHECK (decision IN ('accepted', 'rejected', 'noted')),
    response        text CHECK (length(response) <= 3000),
    responded_by    bigint REFERENCES users (id),
    responded_at    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX plan_comments_plan_idx ON plan_comments (plan_id, id);
CREATE INDEX plan_comments_ip_idx ON plan_comments (ip_hash, created_at);
CREATE INDEX plan_comments_municipality_idx ON plan_comments (municipality_id);

-- From adoption on, a plan's content is frozen by the database itself.
-- +goose StatementBegin
CREATE FUNCTION action_plans_freeze() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status IN ('adopted', 'superseded') THEN
            RAISE EXCEPTION 'plan % is %, it cannot be deleted', OLD.id, OLD.status USING ERRCODE = 'check_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status IN ('adopted', 'superseded') AND (
        NEW.title IS DISTINCT FROM OLD.title OR NEW.period_start IS DISTINCT FROM OLD.period_start OR
        NEW.period_end IS DISTINCT FROM OLD.period_end OR NEW.municipality_id IS DISTINCT FROM OLD.municipality_id OR
        NEW.adopted_on IS DISTINCT FROM OLD.adopted_on OR NEW.decision_number IS DISTINCT FROM OLD.decision_number OR
        NEW.votes_for IS DISTINCT FROM OLD.votes_for OR NEW.votes_against IS DISTINCT FROM OLD.votes_against OR
        NEW.votes_abstained IS DISTINCT FROM OLD.votes_abstained OR NEW.revises_id IS DISTINCT FROM OLD.revises_id OR
        NEW.status NOT IN ('adopted', 'superseded')) THEN
        RAISE EXCEPTION 'plan % is %, its content is frozen', OLD.id, OLD.status USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER action_plans_freeze BEFORE UPDATE OR DELETE ON action_plans
    FOR EACH ROW EXECUTE FUNCTION action_plans_freeze();

-- +goose StatementBegin
CREATE FUNCTION plan_parts_freeze() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    st text;
    pid bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN pid := OLD.plan_id; ELSE pid := NEW.plan_id; END IF;
    SELECT status INTO st FROM action_plans WHERE id = pid;
    IF st IN ('adopted', 'superseded') THEN
        RAISE EXCEPTION 'plan % is %, its % are frozen', pid, st, TG_TABLE_NAME USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER plan_objectives_freeze BEFORE INSERT OR UPDATE OR DELETE ON plan_objectives
    FOR EACH ROW EXECUTE FUNCTION plan_parts_freeze();
CREATE TRIGGER plan_measures_freeze BEFORE INSERT OR UPDATE OR DELETE ON plan_measures
    FOR EACH ROW EXECUTE FUNCTION plan_parts_freeze();
CREATE TRIGGER measure_indicators_freeze BEFORE INSERT OR UPDATE OR DELETE ON measure_indicators
    FOR EACH ROW EXECUTE FUNCTION plan_parts_freeze();
CREATE TRIGGER measure_budget_lines_freeze BEFORE INSERT OR UPDATE OR DELETE ON measure_budget_lines
    FOR EACH ROW EXECUTE FUNCTION plan_parts_freeze();
CREATE TRIGGER measure_evidence_freeze BEFORE INSERT OR UPDATE OR DELETE ON measure_evidence
    FOR EACH ROW EXECUTE FUNCTION plan_parts_freeze();

-- +goose Down
DROP TABLE plan_comments;
DROP TABLE measure_evidence;
DROP TABLE measure_budget_lines;
DROP TABLE measure_indicators;
DROP TABLE plan_measures;
DROP TABLE plan_objectives;
DROP TABLE action_plans;
DROP FUNCTION plan_parts_freeze();
DROP FUNCTION action_plans_freeze();
