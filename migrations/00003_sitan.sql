-- +goose Up
-- Situation analysis (SitAn) and focus groups: the evidence base of a municipal
-- plan. Every table carries municipality_id; composite foreign keys make a
-- child row belong to the same municipality as its parent, so a bug in the
-- code cannot attach one municipality's answers to another's analysis.

-- Lets (organisation_id, municipality_id) pairs be foreign keys.
CREATE UNIQUE INDEX organisations_id_municipality_uq ON organisations (id, municipality_id);

CREATE TABLE situation_analyses (
    id              bigserial PRIMARY KEY,
    municipality_id bigint      NOT NULL REFERENCES municipalities (id),
    title           text        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    year            integer     NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    status          text        NOT NULL DEFAULT 'collecting' CHECK (status IN ('collecting', 'published')),
    published_at    timestamptz,
    published_by    bigint REFERENCES users (id),
    created_by      bigint REFERENCES users (id),
    version         integer     NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, municipality_id),
    CHECK ((status = 'published') = (published_at IS NOT NULL))
);
CREATE INDEX situation_analyses_municipality_idx ON situation_analyses (municipality_id, year DESC);

-- A questionnaire is a copy of a built-in template (plus the coordinator's own
-- questions) sent to one partner organisation: draft -> sent -> submitted,
-- and back to sent when the coordinator reopens it.
CREATE TABLE questionnaires (
    id                    bigserial PRIMARY KEY,
    municipality_id       bigint      NOT NULL REFERENCES municipalities (id),
    situation_analysis_id bigint      NOT NULL,
    organisation_id       bigint      NOT NULL,
    template              text        NOT NULL CHECK (template IN ('pes', 'csw', 'health', 'education',
        'police', 'judiciary', 'ngo')),
    due_date              date        NOT NULL,
    status                text        NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent', 'submitted')),
    sent_at               timestamptz,
    submitted_at          timestamptz,
    submitted_by          bigint REFERENCES users (id),
    version               integer     NOT NULL DEFAULT 1,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (situation_analysis_id, municipality_id) REFERENCES situation_analyses (id, municipality_id),
    FOREIGN KEY (organisation_id, municipality_id) REFERENCES organisations (id, municipality_id),
    UNIQUE (situation_analysis_id, organisation_id, template),
    UNIQUE (id, situation_analysis_id, municipality_id),
    CHECK (status <> 'submitted' OR submitted_at IS NOT NULL),
    CHECK (status = 'draft' OR sent_at IS NOT NULL)
);
CREATE INDEX questionnaires_municipality_idx ON questionnaires (municipality_id);
CREATE INDEX questionnaires_analysis_idx ON questionnaires (situation_analysis_id);
CREATE INDEX questionnaires_organisation_idx ON questionnaires (organisation_id, status);

CREATE TABLE questionnaire_questions (
    id                    bigserial PRIMARY KEY,
    municipality_id       bigint  NOT NULL REFERENCES municipalities (id),
    situation_analysis_id bigint  NOT NULL,
    questionnaire_id      bigint  NOT NULL,
    position              integer NOT NULL CHECK (position >= 0),
    code                  text    NOT NULL CHECK (code ~ '^[a-z0-9_]{1,60}$'),
    kind                  text    NOT NULL CHECK (kind IN ('number', 'text', 'choice')),
    indicator             text CHECK (indicator ~ '^[a-z0-9_]{1,60}$'),
    split                 boolean NOT NULL DEFAULT false,
    text_en               text    NOT NULL DEFAULT '' CHECK (length(text_en) <= 1000),
    text_bs               text    NOT NULL DEFAULT '' CHECK (length(text_bs) <= 1000),
    options               jsonb   NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(options) = 'array'),
    custom                boolean NOT NULL DEFAULT false,
    FOREIGN KEY (questionnaire_id, situation_analysis_id, municipality_id)
        REFERENCES questionnaires (id, situation_analysis_id, municipality_id),
    UNIQUE (questionnaire_id, code),
    UNIQUE (id, questionnaire_id),
    CHECK (length(text_en) + length(text_bs) > 0),
    CHECK (indicator IS NULL OR kind = 'number'),
    CHECK (NOT split OR kind = 'number'),
    CHECK (kind <> 'choice' OR jsonb_array_length(options) >= 2)
);
CREATE INDEX questionnaire_questions_municipality_idx ON questionnaire_questions (municipality_id);
CREATE INDEX questionnaire_questions_questionnaire_idx ON questionnaire_questions (questionnaire_id, position);

-- One answer per question. Counts are never negative and the women/men split
-- never exceeds the total (part of it may be unknown by sex).
CREATE TABLE questionnaire_answers (
    id                    bigserial PRIMARY KEY,
    municipality_id       bigint      NOT NULL REFERENCES municipalities (id),
    situation_analysis_id bigint      NOT NULL,
    questionnaire_id      bigint      NOT NULL,
    question_id           bigint      NOT NULL UNIQUE,
    number_value          bigint CHECK (number_value >= 0),
    women                 bigint CHECK (women >= 0),
    men                   bigint CHECK (men >= 0),
    text_value            text CHECK (length(text_value) <= 4000),
    updated_by            bigint REFERENCES users (id),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (questionnaire_id, situation_analysis_id, municipality_id)
        REFERENCES questionnaires (id, situation_analysis_id, municipality_id),
    FOREIGN KEY (question_id, questionnaire_id) REFERENCES questionnaire_questions (id, questionnaire_id),
    CHECK (number_value IS NULL OR text_value IS NULL),
    CHECK (coalesce(women, 0) + coalesce(men, 0) <= coalesce(number_value, 0) OR
        (women IS NULL AND men IS NULL))
);
CREATE INDEX questionnaire_answers_municipality_idx ON questionnaire_answers (municipality_id);
CREATE INDEX questionnaire_answers_questionnaire_idx ON questionnaire_answers (questionnaire_id);

-- The groups the analysis found most vulnerable, ranked; barriers are the
-- three families of DOMAIN.md, specific_barriers the concrete ones.
CREATE TABLE vulnerable_groups (
    id                    bigserial PRIMARY KEY,
    municipality_id       bigint      NOT NULL REFERENCES municipalities (id),
    situation_analysis_id bigint      NOT NULL,
    group_code            text        NOT NULL CHECK (group_code IN ('roma', 'disability', 'long_term_unemployed',
        'social_assistance', 'youth_neet', 'women', 'returnees', 'dropouts', 'older_workers', 'other')),
    label                 text        NOT NULL DEFAULT '' CHECK (length(label) <= 200),
    estimated_size        integer     NOT NULL CHECK (estimated_size >= 0),
    women                 integer CHECK (women >= 0),
    men                   integer CHECK (men >= 0),
    barriers              text[]      NOT NULL CHECK (cardinality(barriers) >= 1 AND
        barriers <@ ARRAY['employment', 'participation', 'information']::text[]),
    specific_barriers     text[]      NOT NULL DEFAULT '{}' CHECK (specific_barriers <@ ARRAY['education',
        'job_skills', 'behavioural_skills', 'care_duties', 'low_confidence', 'distance', 'health',
        'discrimination', 'job_information', 'training_information', 'benefit_information',
        'complex_procedures', 'institutional_support', 'benefit_trap']::text[]),
    priority              integer     NOT NULL CHECK (priority BETWEEN 1 AND 99),
    created_by            bigint REFERENCES users (id),
    created_at            timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (situation_analysis_id, municipality_id) REFERENCES situation_analyses (id, municipality_id),
    CHECK (coalesce(women, 0) + coalesce(men, 0) <= estimated_size)
);
CREATE INDEX vulnerable_groups_municipality_idx ON vulnerable_groups (municipality_id);
CREATE INDEX vulnerable_groups_analysis_idx ON vulnerable_groups (situation_analysis_id, priority);

-- Findings: statements tied to a group, a barrier and the organisation that
-- is their source. Their ids are stable: action-plan measures cite them.
CREATE TABLE sitan_findings (
    id                     bigserial PRIMARY KEY,
    municipality_id        bigint      NOT NULL REFERENCES municipalities (id),
    situation_analysis_id  bigint      NOT NULL,
    statement              text        NOT NULL CHECK (length(statement) BETWEEN 1 AND 2000),
    group_code             text        NOT NULL CHECK (group_code IN ('roma', 'disability', 'long_term_unemployed',
        'social_assistance', 'youth_neet', 'women', 'returnees', 'dropouts', 'older_workers', 'other')),
    barrier                text        NOT NULL CHECK (barrier IN ('employment', 'participation', 'information')),
    source_organisation_id bigint      NOT NULL,
    created_by             bigint REFERENCES users (id),
    created_at             timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (situation_analysis_id, municipality_id) REFERENCES situation_analyses (id, municipality_id),
    FOREIGN KEY (source_organisation_id, municipality_id) REFERENCES organisations (id, municipality_id)
);
CREATE INDEX sitan_findings_municipality_idx ON sitan_findings (municipality_id);
CREATE INDEX sitan_findings_analysis_idx ON sitan_findings (situation_analysis_id);

-- Focus groups store counts, never names; consent is mandatory and the
-- counts must add up (women + men = total; age bands, when given, = total).
CREATE TABLE focus_groups (
    id                 bigserial PRIMARY KEY,
    municipality_id    bigint      NOT NULL REFERENCES municipalities (id),
    held_on            date        NOT NULL,
    place              text        NOT NULL CHECK (length(place) BETWEEN 1 AND 200),
    groups             text[]      NOT NULL CHECK (cardinality(groups) >= 1 AND groups <@ ARRAY['roma',
        'disability', 'long_term_unemployed', 'social_assistance', 'youth_neet', 'women', 'returnees',
        'dropouts', 'older_workers', 'other']::text[]),
    participants_total integer     NOT NULL CHECK (participants_total BETWEEN 1 AND 1000),
    participants_women integer     NOT NULL CHECK (participants_women >= 0),
    participants_men   integer     NOT NULL CHECK (participants_men >= 0),
    age_15_29          integer CHECK (age_15_29 >= 0),
    age_30_49          integer CHECK (age_30_49 >= 0),
    age_50_plus        integer CHECK (age_50_plus >= 0),
    consent_obtained   boolean     NOT NULL CHECK (consent_obtained),
    summary            text        NOT NULL DEFAULT '' CHECK (length(summary) <= 4000),
    created_by         bigint REFERENCES users (id),
    version            integer     NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, municipality_id),
    CHECK (participants_women + participants_men = participants_total),
    CHECK ((age_15_29 IS NULL) = (age_30_49 IS NULL) AND (age_30_49 IS NULL) = (age_50_plus IS NULL)),
    CHECK (age_15_29 IS NULL OR age_15_29 + age_30_49 + age_50_plus = participants_total)
);
CREATE INDEX focus_groups_municipality_idx ON focus_groups (municipality_id, held_on);

-- Facilitators are commission members (users); the link survives a later
-- change of their role.
CREATE TABLE focus_group_facilitators (
    focus_group_id  bigint NOT NULL,
    municipality_id bigint NOT NULL REFERENCES municipalities (id),
    user_id         bigint NOT NULL REFERENCES users (id),
    PRIMARY KEY (focus_group_id, user_id),
    FOREIGN KEY (focus_group_id, municipality_id) REFERENCES focus_groups (id, municipality_id)
);
CREATE INDEX focus_group_facilitators_municipality_idx ON focus_group_facilitators (municipality_id);

-- Needs heard; ids are stable so action-plan measures can cite them.
CREATE TABLE focus_group_needs (
    id              bigserial PRIMARY KEY,
    municipality_id bigint  NOT NULL REFERENCES municipalities (id),
    focus_group_id  bigint  NOT NULL,
    position        integer NOT NULL CHECK (position >= 0),
    statement       text    NOT NULL CHECK (length(statement) BETWEEN 1 AND 2000),
    barrier         text    NOT NULL CHECK (barrier IN ('employment', 'participation', 'information')),
    priority        integer NOT NULL CHECK (priority BETWEEN 1 AND 3),
    group_code      text CHECK (group_code IN ('roma', 'disability', 'long_term_unemployed', 'social_assistance',
        'youth_neet', 'women', 'returnees', 'dropouts', 'older_workers', 'other')),
    quote           text    NOT NULL DEFAULT '' CHECK (length(quote) <= 1000),
    created_at      timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (focus_group_id, municipality_id) REFERENCES focus_groups (id, municipality_id)
);
CREATE INDEX focus_group_needs_municipality_idx ON focus_group_needs (municipality_id);
CREATE INDEX focus_group_needs_focus_group_idx ON focus_group_needs (focus_group_id, position);

-- The blank consent form used, kept in the database so every app instance
-- serves it (the app is stateless).
CREATE TABLE focus_group_files (
    focus_group_id  bigint PRIMARY KEY,
    municipality_id bigint      NOT NULL REFERENCES municipalities (id),
    file_name       text        NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
    content_type    text        NOT NULL,
    size_bytes      integer     NOT NULL CHECK (size_bytes BETWEEN 1 AND 5242880),
    sha256          text        NOT NULL,
    content         bytea       NOT NULL,
    uploaded_by     bigint REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (focus_group_id, municipality_id) REFERENCES focus_groups (id, municipality_id),
    CHECK (octet_length(content) = size_bytes)
);
CREATE INDEX focus_group_files_municipality_idx ON focus_group_files (municipality_id);

-- A published analysis is frozen by the database, not only by the code: the
-- analysis row cannot change or be deleted once published.
-- +goose StatementBegin
CREATE FUNCTION sitan_freeze() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'published' THEN
        RAISE EXCEPTION 'situation analysis % is published and frozen', OLD.id
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER situation_analyses_freeze BEFORE UPDATE OR DELETE ON situation_analyses
    FOR EACH ROW EXECUTE FUNCTION sitan_freeze();

-- Nor can anything inside it: questionnaires, questions, answers, groups and
-- findings. FOR SHARE makes a concurrent publish wait for (or be seen by)
-- this write, so nothing slips in while the analysis is being published.
-- +goose StatementBegin
CREATE FUNCTION sitan_parts_freeze() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    st text;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        SELECT status INTO st FROM situation_analyses WHERE id = OLD.situation_analysis_id FOR SHARE;
        IF st = 'published' THEN
            RAISE EXCEPTION 'situation analysis % is published; its % are frozen', OLD.situation_analysis_id,
                TG_TABLE_NAME USING ERRCODE = 'object_not_in_prerequisite_state';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    SELECT status INTO st FROM situation_analyses WHERE id = NEW.situation_analysis_id FOR SHARE;
    IF st = 'published' THEN
        RAISE EXCEPTION 'situation analysis % is published; its % are frozen', NEW.situation_analysis_id,
            TG_TABLE_NAME USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER questionnaires_freeze BEFORE INSERT OR UPDATE OR DELETE ON questionnaires
    FOR EACH ROW EXECUTE FUNCTION sitan_parts_freeze();
CREATE TRIGGER questionnaire_questions_freeze BEFORE INSERT OR UPDATE OR DELETE ON questionnaire_questions
    FOR EACH ROW EXECUTE FUNCTION sitan_parts_freeze();
CREATE TRIGGER questionnaire_answers_freeze BEFORE INSERT OR UPDATE OR DELETE ON questionnaire_answers
    FOR EACH ROW EXECUTE FUNCTION sitan_parts_freeze();
CREATE TRIGGER vulnerable_groups_freeze BEFORE INSERT OR UPDATE OR DELETE ON vulnerable_groups
    FOR EACH ROW EXECUTE FUNCTION sitan_parts_freeze();
CREATE TRIGGER sitan_findings_freeze BEFORE INSERT OR UPDATE OR DELETE ON sitan_findings
    FOR EACH ROW EXECUTE FUNCTION sitan_parts_freeze();

-- Submitted answers are read-only until the coordinator reopens the
-- questionnaire (which sets it back to 'sent').
-- +goose StatementBegin
CREATE FUNCTION questionnaire_answers_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    st text;
    qid bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN qid := OLD.questionnaire_id; ELSE qid := NEW.questionnaire_id; END IF;
    SELECT status INTO st FROM questionnaires WHERE id = qid FOR SHARE;
    IF st = 'submitted' THEN
        RAISE EXCEPTION 'questionnaire % is submitted; its answers are read-only', qid
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER questionnaire_answers_guard BEFORE INSERT OR UPDATE OR DELETE ON questionnaire_answers
    FOR EACH ROW EXECUTE FUNCTION questionnaire_answers_guard();

-- +goose Down
DROP TABLE focus_group_files;
DROP TABLE focus_group_needs;
DROP TABLE focus_group_facilitators;
DROP TABLE focus_groups;
DROP TABLE sitan_findings;
DROP TABLE vulnerable_groups;
DROP TABLE questionnaire_answers;
DROP TABLE questionnaire_questions;
DROP TABLE questionnaires;
DROP TABLE situation_analyses;
DROP FUNCTION questionnaire_answers_guard();
DROP FUNCTION sitan_parts_freeze();
DROP FUNCTION sitan_freeze();
DROP INDEX organisations_id_municipality_uq;
