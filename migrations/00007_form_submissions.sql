-- +goose Up
-- Idempotent form posts and API calls (issue #8). A form carries a random
-- nonce (_once); the first post of it claims the row, a repeat (back button,
-- double click, the same post reaching another app instance) finds the row
-- and is answered from it instead of writing a second record. The rows live
-- here, not in memory, because several instances share only this database.
CREATE TABLE form_submissions (
    session_id bytea       NOT NULL REFERENCES sessions (id_hash) ON DELETE CASCADE,
    nonce      text        NOT NULL CHECK (length(nonce) BETWEEN 1 AND 100),
    state      text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done')),
    status     integer,
    location   text,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, nonce)
);
CREATE INDEX form_submissions_created_idx ON form_submissions (created_at);

-- The API's Idempotency-Key: per signed-in user, the first answer (status,
-- content type, a few headers, body) is kept and replayed to a repeat with
-- the same request (request_hash: SHA-256 of method, path and body).
CREATE TABLE api_idempotency (
    user_id      bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key          text        NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    request_hash bytea       NOT NULL,
    state        text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done')),
    status       integer,
    content_type text,
    headers      jsonb,
    body         bytea,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);
CREATE INDEX api_idempotency_created_idx ON api_idempotency (created_at);

-- +goose Down
DROP TABLE api_idempotency;
DROP TABLE form_submissions;
