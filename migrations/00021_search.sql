-- +goose Up
-- Search (issue #17): one folding function for text and query, so search is
-- case- and accent-insensitive and Serbian/Macedonian Cyrillic matches its
-- Latin spelling ("Зворник" = "zvornik", "Čačak" = "cacak", "Shëngjin" =
-- "shengjin"), and a trigram index per searched column so LIKE '%q%'
-- stays fast at national scale.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- search_fold: Cyrillic letters to their Latin spelling (digraphs first),
-- then unaccent (č ć š ž đ ë ç ...) and lower case. IMMUTABLE so it can be
-- indexed; the dictionary is named with its schema, so the result does not
-- depend on search_path.
CREATE FUNCTION search_fold(t text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN lower(public.unaccent('public.unaccent'::regdictionary,
        translate(
            replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(t,
                'Љ', 'lj'), 'љ', 'lj'), 'Њ', 'nj'), 'њ', 'nj'), 'Џ', 'dz'), 'џ', 'dz'),
                'Ѓ', 'gj'), 'ѓ', 'gj'), 'Ќ', 'kj'), 'ќ', 'kj'), 'Ѕ', 'dz'), 'ѕ', 'dz'),
            'АБВГДЕЖЗИЈКЛМНОПРСТУФХЦЧШЂЋЙабвгдежзијклмнопрстуфхцчшђћй',
            'abvgdezzijklmnoprstufhccsdcjabvgdezzijklmnoprstufhccsdcj')));

CREATE INDEX agreements_search_idx ON agreements USING gin (search_fold(title || ' ' || goal) gin_trgm_ops);
CREATE INDEX action_plans_search_idx ON action_plans USING gin (search_fold(title) gin_trgm_ops);
CREATE INDEX plan_measures_search_idx ON plan_measures USING gin (search_fold(code || ' ' || title || ' ' || description) gin_trgm_ops);
CREATE INDEX sitan_findings_search_idx ON sitan_findings USING gin (search_fold(statement) gin_trgm_ops);
CREATE INDEX organisations_search_idx ON organisations USING gin (search_fold(name) gin_trgm_ops);
CREATE INDEX plan_comments_search_idx ON plan_comments USING gin (search_fold(text) gin_trgm_ops);
-- The measure list filters (status is per period in progress_reports,
-- already indexed by measure): groups as an array.
CREATE INDEX plan_measures_groups_idx ON plan_measures USING gin (groups);

-- +goose Down
DROP INDEX IF EXISTS plan_measures_groups_idx;
DROP INDEX IF EXISTS plan_comments_search_idx;
DROP INDEX IF EXISTS organisations_search_idx;
DROP INDEX IF EXISTS sitan_findings_search_idx;
DROP INDEX IF EXISTS plan_measures_search_idx;
DROP INDEX IF EXISTS action_plans_search_idx;
DROP INDEX IF EXISTS agreements_search_idx;
DROP FUNCTION IF EXISTS search_fold(text);
-- The extensions stay: other objects may use them.
