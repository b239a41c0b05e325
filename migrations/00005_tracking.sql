-- +goose Up
CREATE TABLE reporting_periods (
    id              bigserial PRIMARY KEY,
    plan_id         bigint      NOT NULL REFERENCES action_plans (id),
    municipality_id bigint      NOT NULL REFERENCES municipalities (id),
    label           text        NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
    start_date      date        NOT NULL,
    end_date        date        NOT NULL,
    due_date        date        NOT NULL,
    status          text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    closed_at       timestamptz,
    published_at    timestamptz,
    report_sha256   text,
    version         integer     NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (end_date >= start_date),
    CHECK (published_at IS NULL OR status = 'closed'),
    UNIQUE (plan_id, label)
);
CREATE INDEX reporting_periods_plan_idx ON reporting_periods (plan_id);
CREATE INDEX reporting_periods_municipality_idx ON reporting_periods (municipality_id);

-- One report per measure and period, by the lead or a partner organisation.
CREATE TABLE progress_reports (
    id                  bigserial PRIMARY KEY,
    measure_id          bigint      NOT NULL REFERENCES plan_measures (id),
    period_id           bigint      NOT NULL REFERENCES reporting_periods (id),
    plan_id             bigint      NOT NULL REFERENCES action_plans (id),
    municipality_id     bigint      NOT NULL REFERENCES municipalities (id),
    status              text        NOT NULL CHECK (status IN ('not_started', 'on_track', 'delayed', 'completed', 'cancelled')),
    percent_complete    integer     NOT NULL DEFAULT 0 CHECK (percent_complete BETWEEN 0 AND 100),
    narrative           text        NOT NULL DEFAULT '' CHECK (length(narrative) <= 10000),
    beneficiaries_total integer     NOT NULL DEFAULT 0 CHECK (beneficiaries_total >= 0),
    beneficiaries_women integer     NOT NULL DEFAULT 0 CHECK (beneficiaries_women >= 0),
    beneficiaries_men   integer     NOT NULL DEFAULT 0 CHECK (beneficiaries_men >= 0),
    employed            integer     NOT NULL DEFAULT 0 CHECK (employed >= 0),
    trained             integer     NOT NULL DEFAULT 0 CHECK (trained >= 0),
    completed_education integer     NOT NULL DEFAULT 0 CHECK (completed_education >= 0),
    self_employed       integer     NOT NULL DEFAULT 0 CHECK (self_employed >= 0),
    review              text        NOT NULL DEFAULT 'draft' CHECK (review IN ('draft', 'submitted', 'accepted', 'returned')),
    review_comment      text        NOT NULL DEFAULT '' CHECK (length(review_comment) <= 2000),
    submitted_at        timestamptz,
    reviewed_at         timestamptz,
    version             integer     NOT NULL DEFAULT 1,
    updated_by          bigint REFERENCES users (id),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CHECK (beneficiaries_women + beneficiaries_men <= beneficiaries_total),
    UNIQUE (measure_id, period_id)
);
CREATE INDEX progress_reports_period_idx ON progress_reports (period_id);
CREATE INDEX progress_reports_plan_idx ON progress_reports (plan_id);
CREATE INDEX progress_reports_municipality_idx ON progress_reports (municipality_id);

CREATE TABLE progress_spending (
    id              bigserial PRIMARY KEY,
    report_id       bigint        NOT NULL REFERENCES progress_reports (id) ON DELETE CASCADE,
    period_id       bigint        NOT NULL REFERENCES reporting_periods (id),
    municipality_id bigint        NOT NULL REFERENCES municipalities (id),
    position        integer       NOT NULL,
    source          text          NOT NULL CHECK (source IN ('municipal', 'pes', 'csw', 'government', 'donor', 'in_kind', 'other')),
    funder          text          NOT NULL DEFAULT '' CHECK (length(funder) <= 200),
    amount          numeric(14,2) NOT NULL CHECK (amount >= 0)
);
CREATE INDEX progress_spending_report_idx ON progress_spending (report_id);
CREATE INDEX progress_spending_period_idx ON progress_spending (period_id);

CREATE TABLE progress_indicator_values (
    report_id       bigint        NOT NULL REFERENCES progress_reports (id) ON DELETE CASCADE,
    indicator_id    bigint        NOT NULL REFERENCES measure_indicators (id),
    period_id       bigint        NOT NULL REFERENCES reporting_periods (id),
    municipality_id bigint        NOT NULL REFERENCES municipalities (id),
    value           numeric(14,2) NOT NULL CHECK (value >= 0),
    PRIMARY KEY (report_id, indicator_id)
);
CREATE INDEX progress_indicator_values_period_idx ON progress_indicator_values (period_id);

CREATE TABLE progress_beneficiary_groups (
    report_id       bigint  NOT NULL REFERENCES progress_reports (id) ON DELETE CASCADE,
    period_id       bigint  NOT NULL REFERENCES reporting_periods (id),
    municipality_id bigint  NOT NULL REFERENCES municipalities (id),
    group_code      text    NOT NULL CHECK (group_code IN ('roma', 'disability', 'long_term_unemployed',
        'social_assistance', 'youth_neet', 'women', 'returnees', 'dropouts', 'older_workers', 'other')),
    n               integer NOT NULL CHECK (n >= 0),
    PRIMARY KEY (report_id, group_code)
);
CREATE INDEX progress_beneficiary_groups_period_idx ON progress_beneficiary_groups (period_id);

-- A closed period is locked by the database: nothing reported in it changes.
-- +goose StatementBegin
CREATE FUNCTION closed_period_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    st text;
    pid bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN pid := OLD.period_id; ELSE pid := NEW.period_id; END IF;
    SELECT status INTO st FROM reporting_periods WHERE id = pid;
    IF st = 'closed' THEN
        RAISE EXCEPTION 'reporting period % is closed, its % are locked', pid, TG_TABLE_NAME USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER progress_reports_closed BEFORE INSERT OR UPDATE OR DELETE ON progress_reports
    FOR EACH ROW EXECUTE FUNCTION closed_period_guard();
CREATE TRIGGER progress_spending_closed BEFORE INSERT OR UPDATE OR DELETE ON progress_spending
    FOR EACH ROW EXECUTE FUNCTION closed_period_guard();
CREATE TRIGGER progress_indicator_values_closed BEFORE INSERT OR UPDATE OR DELETE ON progress_indicator_values
    FOR EACH ROW EXECUTE FUNCTION closed_period_guard();
CREATE TRIGGER progress_beneficiary_groups_closed BEFORE INSERT OR UPDATE OR DELETE ON progress_beneficiary_groups
    FOR EACH ROW EXECUTE FUNCTION closed_period_guard();

-- A closed period stays closed; a published report keeps its hash.
-- +goose StatementBegin
CREATE FUNCTION reporting_periods_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'reporting periods are never deleted' USING ERRCODE = 'check_violation';
    END IF;
    IF OLD.status = 'closed' AND (NEW.status <> 'closed' OR NEW.start_date <> OLD.start_date OR NEW.end_date <> OLD.end_date
        OR NEW.plan_id <> OLD.plan_id OR (OLD.published_at IS NOT NULL AND
            (NEW.published_at IS DISTINCT FROM OLD.published_at OR NEW.report_sha256 IS DISTINCT FROM OLD.report_sha256))) THEN
        RAISE EXCEPTION 'reporting period % is closed', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER reporting_periods_guard BEFORE UPDATE OR DELETE ON reporting_periods
    FOR EACH ROW EXECUTE FUNCTION reporting_periods_guard();

-- +goose Down
DROP TABLE progress_beneficiary_groups;
DROP TABLE progress_indicator_values;
DROP TABLE progress_spending;
DROP TABLE progress_reports;
DROP TABLE reporting_periods;
DROP FUNCTION reporting_periods_guard();
DROP FUNCTION closed_period_guard();
