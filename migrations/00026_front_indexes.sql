-- +goose Up
-- The public front page (issue #17) lists, across all municipalities, the
-- plans in consultation by closing date, the latest adopted plans and the
-- latest published reports: at national scale each list is read from a
-- small partial index instead of a scan of every plan and period.
CREATE INDEX action_plans_consultation_idx ON action_plans (consultation_closes_on, id)
    WHERE status = 'public_consultation';
CREATE INDEX action_plans_adopted_on_idx ON action_plans (adopted_on DESC, id DESC)
    WHERE status = 'adopted' AND adopted_on IS NOT NULL;
CREATE INDEX reporting_periods_published_idx ON reporting_periods (published_at DESC, id DESC)
    WHERE published_at IS NOT NULL;

-- +goose Down
DROP INDEX reporting_periods_published_idx;
DROP INDEX action_plans_adopted_on_idx;
DROP INDEX action_plans_consultation_idx;
