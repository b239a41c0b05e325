-- Issue #20: aggregates per reporting period, kept by the same commit-time
-- refresh as the plan's (migration 00023), so a summary up to a period
-- (the report PDF, GET .../summary?period_id=) adds up a few rows per
-- period instead of every report, spending line and group count. The
-- plan's own totals are now summed from these rows.
--
-- And a save refreshes only what it touched: a transaction that changed
-- only reports, spending, groups or indicator values of a plan marks the
-- plan as touched in part ('P'), with the periods ('q') and measures ('l')
-- it wrote, and the refresh recomputes those periods' and measures' rows,
-- then the plan's sums from the per-period rows (a handful). Anything else
-- (measures, budget lines, periods, the plan) marks the whole plan ('p') as
-- before.

-- +goose Up
CREATE TABLE period_totals (
    period_id              bigint PRIMARY KEY REFERENCES reporting_periods (id) ON DELETE CASCADE,
    plan_id                bigint NOT NULL REFERENCES action_plans (id) ON DELETE CASCADE,
    reports                bigint NOT NULL,
    beneficiaries_total    bigint NOT NULL,
    beneficiaries_women    bigint NOT NULL,
    beneficiaries_men      bigint NOT NULL,
    employed               bigint NOT NULL,
    trained                bigint NOT NULL,
    completed_education    bigint NOT NULL,
    self_employed          bigint NOT NULL,
    lo_total               bigint NOT NULL,
    lo_women               bigint NOT NULL,
    lo_men                 bigint NOT NULL,
    lo_employed            bigint NOT NULL,
    lo_trained             bigint NOT NULL,
    lo_completed_education bigint NOT NULL,
    lo_self_employed       bigint NOT NULL
);
CREATE INDEX period_totals_plan_idx ON period_totals (plan_id);

-- Spent per source in each period (exact cents).
CREATE TABLE period_money (
    period_id bigint NOT NULL REFERENCES reporting_periods (id) ON DELETE CASCADE,
    plan_id   bigint NOT NULL REFERENCES action_plans (id) ON DELETE CASCADE,
    source    text   NOT NULL,
    amount    numeric(16,2) NOT NULL,
    PRIMARY KEY (period_id, source)
);
CREATE INDEX period_money_plan_idx ON period_money (plan_id);

-- People reached by vulnerable group in each period.
CREATE TABLE period_groups (
    period_id  bigint NOT NULL REFERENCES reporting_periods (id) ON DELETE CASCADE,
    plan_id    bigint NOT NULL REFERENCES action_plans (id) ON DELETE CASCADE,
    group_code text   NOT NULL,
    n          bigint NOT NULL,
    lo         bigint NOT NULL,
    reports    bigint NOT NULL,
    PRIMARY KEY (period_id, group_code)
);
CREATE INDEX period_groups_plan_idx ON period_groups (plan_id);

ALTER TABLE revision_pending DROP CONSTRAINT revision_pending_kind_check;
ALTER TABLE revision_pending ADD CONSTRAINT revision_pending_kind_check
    CHECK (kind IN ('m', 'p', 'r', 'i', 'P', 'q', 'l')); -- ... a plan in part, a period, a measure

DROP FUNCTION refresh_plan_totals(bigint[], bigint[]);

-- refresh_plan_aggregates recomputes the aggregates of plans: all of them
-- for whole (periods and measures ignored), and for part only the given
-- periods' and measures' rows, then the plans' sums. Locking and order as
-- in migration 00023 (refresh_plan_totals). Returns whether any plan_totals
-- row (what /region shows) changed.
-- +goose StatementBegin
CREATE FUNCTION refresh_plan_aggregates(whole bigint[], part bigint[], indicators bigint[], periods bigint[], measures bigint[])
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    p       bigint;
    n       bigint;
    changed bigint := 0;
    plans   bigint[] := array(SELECT DISTINCT x FROM unnest(coalesce(whole, '{}') || coalesce(part, '{}')) AS x);
    per     bigint[];
    mes     bigint[];
    all_of  boolean;
    planned numeric(16,2);
BEGIN
    INSERT INTO plan_totals (plan_id) SELECT id FROM action_plans WHERE id IN (SELECT unnest(plans)) ORDER BY id
    ON CONFLICT DO NOTHING;
    PERFORM 1 FROM plan_totals WHERE plan_id IN (SELECT unnest(plans)) ORDER BY plan_id FOR UPDATE;

    FOR p IN SELECT plan_id FROM plan_totals WHERE plan_id IN (SELECT unnest(plans)) ORDER BY plan_id LOOP
        all_of := p = ANY (coalesce(whole, '{}'));
        IF all_of THEN
            per := array(SELECT id FROM reporting_periods WHERE plan_id = p);
            mes := array(SELECT id FROM plan_measures WHERE plan_id = p);
        ELSE
            per := array(SELECT id FROM reporting_periods WHERE plan_id = p AND id = ANY (coalesce(periods, '{}')));
            mes := array(SELECT id FROM plan_measures WHERE plan_id = p AND id = ANY (coalesce(measures, '{}')));
        END IF;

        DELETE FROM measure_latest WHERE measure_id = ANY (mes);
        INSERT INTO measure_latest (measure_id, plan_id, status, percent_complete)
        SELECT m.id, m.plan_id, coalesce(latest.status, 'not_reported'), coalesce(latest.percent_complete, 0)
        FROM plan_measures m
        LEFT JOIN LATERAL (SELECT pr.status, pr.percent_complete FROM progress_reports pr JOIN reporting_periods rp ON rp.id = pr.period_id
            WHERE pr.measure_id = m.id ORDER BY rp.end_date DESC, rp.id DESC LIMIT 1) latest ON true
        WHERE m.id = ANY (mes);

        -- Each period's sums (what a summary up to a period adds up).
        DELETE FROM period_totals WHERE period_id = ANY (per);
        INSERT INTO period_totals (period_id, plan_id, reports, beneficiaries_total, beneficiaries_women, beneficiaries_men,
            employed, trained, completed_education, self_employed, lo_total, lo_women, lo_men, lo_employed, lo_trained,
            lo_completed_education, lo_self_employed)
        SELECT period_id, p, count(*), sum(beneficiaries_total), sum(beneficiaries_women), sum(beneficiaries_men),
            sum(employed), sum(trained), sum(completed_education), sum(self_employed),
            sum(beneficiaries_total - beneficiaries_total % 5), sum(beneficiaries_women - beneficiaries_women % 5),
            sum(beneficiaries_men - beneficiaries_men % 5), sum(employed - employed % 5), sum(trained - trained % 5),
            sum(completed_education - completed_education % 5), sum(self_employed - self_employed % 5)
        FROM progress_reports WHERE period_id = ANY (per) GROUP BY period_id;

        DELETE FROM period_money WHERE period_id = ANY (per);
        INSERT INTO period_money (period_id, plan_id, source, amount)
        SELECT period_id, p, source, sum(amount) FROM progress_spending
        WHERE period_id = ANY (per) GROUP BY period_id, source;

        DELETE FROM period_groups WHERE period_id = ANY (per);
        INSERT INTO period_groups (period_id, plan_id, group_code, n, lo, reports)
        SELECT period_id, p, group_code, sum(g.n), sum(g.n - g.n % 5), count(*) FROM progress_beneficiary_groups g
        WHERE period_id = ANY (per) GROUP BY period_id, group_code;

        -- The plan's sums, from the rows above. Planned money changes only
        -- with the plan's measures and budget lines (a whole refresh).
        IF all_of THEN
            SELECT coalesce(sum(amount), 0) INTO planned FROM measure_budget_lines WHERE plan_id = p;
        ELSE
            SELECT t.planned INTO planned FROM plan_totals t WHERE t.plan_id = p;
        END IF;
        WITH r AS (
            SELECT coalesce(sum(reports), 0) AS reports,
                coalesce(sum(beneficiaries_total), 0) AS t, coalesce(sum(beneficiaries_women), 0) AS w,
                coalesce(sum(beneficiaries_men), 0) AS m, coalesce(sum(employed), 0) AS e, coalesce(sum(trained), 0) AS tr,
                coalesce(sum(completed_education), 0) AS ce, coalesce(sum(self_employed), 0) AS se,
                coalesce(sum(lo_total), 0) AS lt, coalesce(sum(lo_women), 0) AS lw, coalesce(sum(lo_men), 0) AS lm,
                coalesce(sum(lo_employed), 0) AS le, coalesce(sum(lo_trained), 0) AS ltr,
                coalesce(sum(lo_completed_education), 0) AS lce, coalesce(sum(lo_self_employed), 0) AS lse
            FROM period_totals WHERE plan_id = p
        ), nv AS (
            SELECT planned AS pl,
                (SELECT coalesce(sum(amount), 0) FROM period_money WHERE plan_id = p) AS spent,
                (SELECT coalesce(round(avg(percent_complete), 1), 0) FROM measure_latest WHERE plan_id = p) AS pct, r.*
            FROM r
        )
        UPDATE plan_totals t SET planned = nv.pl, spent = nv.spent, reports = nv.reports, percent_complete = nv.pct,
            beneficiaries_total = nv.t, beneficiaries_women = nv.w, beneficiaries_men = nv.m, employed = nv.e, trained = nv.tr,
            completed_education = nv.ce, self_employed = nv.se, lo_total = nv.lt, lo_women = nv.lw, lo_men = nv.lm,
            lo_employed = nv.le, lo_trained = nv.ltr, lo_completed_education = nv.lce, lo_self_employed = nv.lse
        FROM nv WHERE t.plan_id = p
          AND (t.planned, t.spent, t.reports, t.percent_complete, t.beneficiaries_total, t.beneficiaries_women,
               t.beneficiaries_men, t.employed, t.trained, t.completed_education, t.self_employed, t.lo_total, t.lo_women,
               t.lo_men, t.lo_employed, t.lo_trained, t.lo_completed_education, t.lo_self_employed)
              IS DISTINCT FROM (nv.pl, nv.spent, nv.reports, nv.pct, nv.t, nv.w, nv.m, nv.e, nv.tr, nv.ce, nv.se, nv.lt,
               nv.lw, nv.lm, nv.le, nv.ltr, nv.lce, nv.lse);
        GET DIAGNOSTICS n = ROW_COUNT;
        changed := changed + n;

        IF all_of THEN
            DELETE FROM plan_money WHERE plan_id = p;
            INSERT INTO plan_money (plan_id, kind, source, year, amount)
            SELECT p, 'planned', source, year, sum(amount) FROM measure_budget_lines
            WHERE plan_id = p GROUP BY source, year;
        ELSE
            DELETE FROM plan_money WHERE plan_id = p AND kind = 'spent';
        END IF;
        INSERT INTO plan_money (plan_id, kind, source, year, amount)
        SELECT p, 'spent', pm.source, extract(year FROM rp.end_date)::int, sum(pm.amount)
        FROM period_money pm JOIN reporting_periods rp ON rp.id = pm.period_id
        WHERE pm.plan_id = p GROUP BY pm.source, extract(year FROM rp.end_date)::int;

        DELETE FROM plan_group_totals WHERE plan_id = p;
        INSERT INTO plan_group_totals (plan_id, group_code, n, lo, reports)
        SELECT p, pg.group_code, sum(pg.n), sum(pg.lo), sum(pg.reports) FROM period_groups pg
        WHERE pg.plan_id = p GROUP BY pg.group_code;

        DELETE FROM plan_status_counts WHERE plan_id = p;
        INSERT INTO plan_status_counts (plan_id, status, n)
        SELECT p, status, count(*) FROM measure_latest WHERE plan_id = p GROUP BY status;
    END LOOP;

    -- Indicators whose values changed (their plans are locked above).
    IF indicators IS NOT NULL THEN
        DELETE FROM indicator_latest WHERE indicator_id IN (SELECT unnest(indicators));
        INSERT INTO indicator_latest (indicator_id, plan_id, value)
        SELECT i.id, i.plan_id, latest.value FROM measure_indicators i
        JOIN LATERAL (SELECT v.value FROM progress_indicator_values v JOIN reporting_periods rp ON rp.id = v.period_id
            WHERE v.indicator_id = i.id AND rp.plan_id = i.plan_id ORDER BY rp.end_date DESC LIMIT 1) latest ON true
        WHERE i.id IN (SELECT unnest(indicators));
    END IF;
    RETURN changed > 0;
END $$;
-- +goose StatementEnd

-- At commit: as in migration 00023, with the plans touched in part.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION apply_revisions() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    me      xid8 := pg_current_xact_id();
    munis   bigint[];
    whole   bigint[];
    part    bigint[];
    inds    bigint[];
    periods bigint[];
    mes     bigint[];
    region  boolean;
BEGIN
    PERFORM set_config('pakt.armed', '', true); -- a later write arms again
    DELETE FROM revision_commits WHERE xid = me;
    WITH d AS (DELETE FROM revision_pending WHERE xid = me RETURNING kind, ref)
    SELECT array_agg(ref ORDER BY ref) FILTER (WHERE kind = 'm'), array_agg(ref ORDER BY ref) FILTER (WHERE kind = 'p'),
        array_agg(ref ORDER BY ref) FILTER (WHERE kind = 'P'), array_agg(ref) FILTER (WHERE kind = 'i'),
        array_agg(ref) FILTER (WHERE kind = 'q'), array_agg(ref) FILTER (WHERE kind = 'l'),
        coalesce(bool_or(kind = 'r'), false)
    INTO munis, whole, part, inds, periods, mes, region FROM d;
    IF (whole IS NOT NULL OR part IS NOT NULL) AND refresh_plan_aggregates(whole, part, inds, periods, mes) THEN
        region := true;
    END IF;
    IF region THEN
        UPDATE region_revision SET rev = rev + 1;
    END IF;
    IF munis IS NOT NULL THEN
        INSERT INTO municipality_revisions AS r (municipality_id, rev)
        SELECT m.id, 1 FROM municipalities m WHERE m.id = ANY (munis) ORDER BY 1
        ON CONFLICT (municipality_id) DO UPDATE SET rev = r.rev + 1;
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- Reports, spending, groups and indicator values mark their plan in part,
-- with the periods and measures they wrote; the rest as in migration 00023.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION bump_municipality_revisions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM revision_mark('m', array(SELECT DISTINCT municipality_id FROM changed_rows));
    CASE TG_TABLE_NAME
    WHEN 'progress_reports' THEN
        PERFORM revision_mark('P', array(SELECT DISTINCT plan_id FROM changed_rows));
        PERFORM revision_mark('q', array(SELECT DISTINCT period_id FROM changed_rows));
        PERFORM revision_mark('l', array(SELECT DISTINCT measure_id FROM changed_rows));
    WHEN 'measure_budget_lines', 'plan_measures' THEN
        PERFORM revision_mark('p', array(SELECT DISTINCT plan_id FROM changed_rows));
    WHEN 'progress_spending', 'progress_beneficiary_groups', 'progress_indicator_values' THEN
        PERFORM revision_mark('P', array(SELECT DISTINCT rp.plan_id FROM (SELECT DISTINCT period_id FROM changed_rows) c
            JOIN reporting_periods rp ON rp.id = c.period_id));
        IF TG_TABLE_NAME <> 'progress_indicator_values' THEN
            PERFORM revision_mark('q', array(SELECT DISTINCT period_id FROM changed_rows));
        END IF;
        IF TG_TABLE_NAME = 'progress_indicator_values' THEN
            PERFORM revision_mark('i', array(SELECT DISTINCT indicator_id FROM changed_rows));
        END IF;
    WHEN 'reporting_periods' THEN
        PERFORM revision_mark('p', array(SELECT DISTINCT plan_id FROM changed_rows));
        -- A period's end orders the values: the plan's indicators again.
        PERFORM revision_mark('i', array(SELECT i.id FROM measure_indicators i
            WHERE i.plan_id IN (SELECT DISTINCT plan_id FROM changed_rows)));
        PERFORM revision_mark('r', ARRAY[0::bigint]);
    WHEN 'action_plans' THEN
        PERFORM revision_mark('p', array(SELECT id FROM changed_rows));
        PERFORM revision_mark('r', ARRAY[0::bigint]);
    WHEN 'agreements' THEN
        PERFORM revision_mark('r', ARRAY[0::bigint]);
    ELSE
        NULL;
    END CASE;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- Backfill every plan's aggregates.
SELECT refresh_plan_aggregates(array(SELECT id FROM action_plans), NULL, NULL, NULL, NULL);

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION bump_municipality_revisions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM revision_mark('m', array(SELECT DISTINCT municipality_id FROM changed_rows));
    CASE TG_TABLE_NAME
    WHEN 'progress_reports', 'measure_budget_lines', 'plan_measures' THEN
        PERFORM revision_mark('p', array(SELECT DISTINCT plan_id FROM changed_rows));
    WHEN 'progress_spending', 'progress_beneficiary_groups', 'progress_indicator_values' THEN
        PERFORM revision_mark('p', array(SELECT DISTINCT rp.plan_id FROM (SELECT DISTINCT period_id FROM changed_rows) c
            JOIN reporting_periods rp ON rp.id = c.period_id));
        IF TG_TABLE_NAME = 'progress_indicator_values' THEN
            PERFORM revision_mark('i', array(SELECT DISTINCT indicator_id FROM changed_rows));
        END IF;
    WHEN 'reporting_periods' THEN
        PERFORM revision_mark('p', array(SELECT DISTINCT plan_id FROM changed_rows));
        -- A period's end orders the values: the plan's indicators again.
        PERFORM revision_mark('i', array(SELECT i.id FROM measure_indicators i
            WHERE i.plan_id IN (SELECT DISTINCT plan_id FROM changed_rows)));
        PERFORM revision_mark('r', ARRAY[0::bigint]);
    WHEN 'action_plans' THEN
        PERFORM revision_mark('p', array(SELECT id FROM changed_rows));
        PERFORM revision_mark('r', ARRAY[0::bigint]);
    WHEN 'agreements' THEN
        PERFORM revision_mark('r', ARRAY[0::bigint]);
    ELSE
        NULL;
    END CASE;
    RETURN NULL;
END $$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION apply_revisions() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    me     xid8 := pg_current_xact_id();
    munis  bigint[];
    plans  bigint[];
    inds   bigint[];
    region boolean;
BEGIN
    PERFORM set_config('pakt.armed', '', true); -- a later write arms again
    DELETE FROM revision_commits WHERE xid = me;
    WITH d AS (DELETE FROM revision_pending WHERE xid = me RETURNING kind, ref)
    SELECT array_agg(ref ORDER BY ref) FILTER (WHERE kind = 'm'), array_agg(ref ORDER BY ref) FILTER (WHERE kind = 'p'),
        array_agg(ref) FILTER (WHERE kind = 'i'), coalesce(bool_or(kind = 'r'), false)
    INTO munis, plans, inds, region FROM d;
    IF plans IS NOT NULL AND refresh_plan_totals(plans, inds) THEN
        region := true;
    END IF;
    IF region THEN
        UPDATE region_revision SET rev = rev + 1;
    END IF;
    IF munis IS NOT NULL THEN
        INSERT INTO municipality_revisions AS r (municipality_id, rev)
        SELECT m.id, 1 FROM municipalities m WHERE m.id = ANY (munis) ORDER BY 1
        ON CONFLICT (municipality_id) DO UPDATE SET rev = r.rev + 1;
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
DROP FUNCTION refresh_plan_aggregates(bigint[], bigint[], bigint[], bigint[], bigint[]);
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION refresh_plan_totals(plans bigint[], indicators bigint[]) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    p       bigint;
    n       bigint;
    changed bigint := 0;
BEGIN
    INSERT INTO plan_totals (plan_id) SELECT id FROM action_plans WHERE id IN (SELECT unnest(plans)) ORDER BY id
    ON CONFLICT DO NOTHING;
    PERFORM 1 FROM plan_totals WHERE plan_id IN (SELECT unnest(plans)) ORDER BY plan_id FOR UPDATE;

    FOR p IN SELECT plan_id FROM plan_totals WHERE plan_id IN (SELECT unnest(plans)) ORDER BY plan_id LOOP
        DELETE FROM measure_latest WHERE plan_id = p;
        INSERT INTO measure_latest (measure_id, plan_id, status, percent_complete)
        SELECT m.id, m.plan_id, coalesce(latest.status, 'not_reported'), coalesce(latest.percent_complete, 0)
        FROM plan_measures m
        LEFT JOIN LATERAL (SELECT pr.status, pr.percent_complete FROM progress_reports pr JOIN reporting_periods rp ON rp.id = pr.period_id
            WHERE pr.measure_id = m.id ORDER BY rp.end_date DESC, rp.id DESC LIMIT 1) latest ON true
        WHERE m.plan_id = p;

        WITH r AS (
            SELECT count(*) AS reports,
                coalesce(sum(beneficiaries_total), 0) AS t, coalesce(sum(beneficiaries_women), 0) AS w,
                coalesce(sum(beneficiaries_men), 0) AS m, coalesce(sum(employed), 0) AS e, coalesce(sum(trained), 0) AS tr,
                coalesce(sum(completed_education), 0) AS ce, coalesce(sum(self_employed), 0) AS se,
                coalesce(sum(beneficiaries_total - beneficiaries_total % 5), 0) AS lt,
                coalesce(sum(beneficiaries_women - beneficiaries_women % 5), 0) AS lw,
                coalesce(sum(beneficiaries_men - beneficiaries_men % 5), 0) AS lm, coalesce(sum(employed - employed % 5), 0) AS le,
                coalesce(sum(trained - trained % 5), 0) AS ltr, coalesce(sum(completed_education - completed_education % 5), 0) AS lce,
                coalesce(sum(self_employed - self_employed % 5), 0) AS lse
            FROM progress_reports WHERE plan_id = p
        ), nv AS (
            SELECT (SELECT coalesce(sum(amount), 0) FROM measure_budget_lines WHERE plan_id = p) AS planned,
                (SELECT coalesce(sum(sp.amount), 0) FROM reporting_periods rp JOIN progress_spending sp ON sp.period_id = rp.id
                 WHERE rp.plan_id = p) AS spent,
                (SELECT coalesce(round(avg(percent_complete), 1), 0) FROM measure_latest WHERE plan_id = p) AS pct, r.*
            FROM r
        )
        UPDATE plan_totals t SET planned = nv.planned, spent = nv.spent, reports = nv.reports, percent_complete = nv.pct,
            beneficiaries_total = nv.t, beneficiaries_women = nv.w, beneficiaries_men = nv.m, employed = nv.e, trained = nv.tr,
            completed_education = nv.ce, self_employed = nv.se, lo_total = nv.lt, lo_women = nv.lw, lo_men = nv.lm,
            lo_employed = nv.le, lo_trained = nv.ltr, lo_completed_education = nv.lce, lo_self_employed = nv.lse
        FROM nv WHERE t.plan_id = p
          AND (t.planned, t.spent, t.reports, t.percent_complete, t.beneficiaries_total, t.beneficiaries_women,
               t.beneficiaries_men, t.employed, t.trained, t.completed_education, t.self_employed, t.lo_total, t.lo_women,
               t.lo_men, t.lo_employed, t.lo_trained, t.lo_completed_education, t.lo_self_employed)
              IS DISTINCT FROM (nv.planned, nv.spent, nv.reports, nv.pct, nv.t, nv.w, nv.m, nv.e, nv.tr, nv.ce, nv.se, nv.lt,
               nv.lw, nv.lm, nv.le, nv.ltr, nv.lce, nv.lse);
        GET DIAGNOSTICS n = ROW_COUNT;
        changed := changed + n;

        DELETE FROM plan_money WHERE plan_id = p;
        INSERT INTO plan_money (plan_id, kind, source, year, amount)
        SELECT p, 'planned', source, year, sum(amount) FROM measure_budget_lines
        WHERE plan_id = p GROUP BY source, year
        UNION ALL
        SELECT p, 'spent', sp.source, extract(year FROM rp.end_date)::int, sum(sp.amount)
        FROM reporting_periods rp JOIN progress_spending sp ON sp.period_id = rp.id
        WHERE rp.plan_id = p GROUP BY sp.source, extract(year FROM rp.end_date)::int;

        DELETE FROM plan_group_totals WHERE plan_id = p;
        INSERT INTO plan_group_totals (plan_id, group_code, n, lo, reports)
        SELECT p, g.group_code, sum(g.n), sum(g.n - g.n % 5), count(*)
        FROM reporting_periods rp JOIN progress_beneficiary_groups g ON g.period_id = rp.id
        WHERE rp.plan_id = p GROUP BY g.group_code;

        DELETE FROM plan_status_counts WHERE plan_id = p;
        INSERT INTO plan_status_counts (plan_id, status, n)
        SELECT p, status, count(*) FROM measure_latest WHERE plan_id = p GROUP BY status;
    END LOOP;

    -- Indicators whose values changed (their plans are locked above), all
    -- at once: a few by their keys, or every one when the backfill asks.
    IF indicators IS NOT NULL THEN
        DELETE FROM indicator_latest WHERE indicator_id IN (SELECT unnest(indicators));
        INSERT INTO indicator_latest (indicator_id, plan_id, value)
        SELECT i.id, i.plan_id, latest.value FROM measure_indicators i
        JOIN LATERAL (SELECT v.value FROM progress_indicator_values v JOIN reporting_periods rp ON rp.id = v.period_id
            WHERE v.indicator_id = i.id AND rp.plan_id = i.plan_id ORDER BY rp.end_date DESC LIMIT 1) latest ON true
        WHERE i.id IN (SELECT unnest(indicators));
    END IF;
    RETURN changed > 0;
END $$;
-- +goose StatementEnd
DELETE FROM revision_pending WHERE kind IN ('P', 'q', 'l');
ALTER TABLE revision_pending DROP CONSTRAINT revision_pending_kind_check;
ALTER TABLE revision_pending ADD CONSTRAINT revision_pending_kind_check CHECK (kind IN ('m', 'p', 'r', 'i'));
DROP TABLE period_groups;
DROP TABLE period_money;
DROP TABLE period_totals;
