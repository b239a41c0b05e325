-- +goose Up
-- Questions in Serbian (Cyrillic; the Latin script is derived when shown),
-- Albanian and Macedonian, besides English and Bosnian.
--
-- Adding a column with a constant default rewrites no row and fires no
-- trigger, so questions of published (frozen) analyses are untouched: their
-- new columns read as '' and the application falls back to English or
-- Bosnian for them. Nothing here updates existing rows.
ALTER TABLE questionnaire_questions
    ADD COLUMN text_sr text NOT NULL DEFAULT '' CHECK (length(text_sr) <= 1000),
    ADD COLUMN text_sq text NOT NULL DEFAULT '' CHECK (length(text_sq) <= 1000),
    ADD COLUMN text_mk text NOT NULL DEFAULT '' CHECK (length(text_mk) <= 1000);

-- A question needs a text in at least one language. The old check was
-- unnamed; find it by its definition.
-- +goose StatementBegin
DO $$
DECLARE
    c name;
    n integer := 0;
BEGIN
    FOR c IN SELECT conname FROM pg_constraint
        WHERE conrelid = 'questionnaire_questions'::regclass AND contype = 'c'
          AND pg_get_constraintdef(oid) LIKE '%length(text_en) + length(text_bs)) > 0%'
    LOOP
        EXECUTE format('ALTER TABLE questionnaire_questions DROP CONSTRAINT %I', c);
        n := n + 1;
    END LOOP;
    IF n <> 1 THEN
        RAISE EXCEPTION 'expected one text check on questionnaire_questions, found %', n;
    END IF;
END $$;
-- +goose StatementEnd
ALTER TABLE questionnaire_questions ADD CONSTRAINT questionnaire_questions_text_check
    CHECK (length(text_en) + length(text_bs) + length(text_sr) + length(text_sq) + length(text_mk) > 0);

-- +goose Down
ALTER TABLE questionnaire_questions DROP CONSTRAINT questionnaire_questions_text_check;
ALTER TABLE questionnaire_questions ADD CONSTRAINT questionnaire_questions_text_en_bs_check
    CHECK (length(text_en) + length(text_bs) > 0);
ALTER TABLE questionnaire_questions
    DROP COLUMN text_sr,
    DROP COLUMN text_sq,
    DROP COLUMN text_mk;
