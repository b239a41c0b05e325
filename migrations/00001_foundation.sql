-- +goose Up
CREATE TABLE municipalities (
    id         bigserial PRIMARY KEY,
    name       text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    slug       text        NOT NULL UNIQUE,
    country    char(2)     NOT NULL,
    currency   char(3)     NOT NULL,
    language   text        NOT NULL DEFAULT 'bs',
    version    integer     NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE organisations (
    id              bigserial PRIMARY KEY,
    municipality_id bigint      NOT NULL REFERENCES municipalities (id),
    name            text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    type            text        NOT NULL CHECK (type IN ('municipality', 'pes', 'csw', 'ngo', 'employer',
        'education', 'health', 'police', 'judiciary', 'media', 'international', 'other')),
    version         integer     NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX organisations_municipality_idx ON organisations (municipality_id);
CREATE UNIQUE INDEX organisations_name_uq ON organisations (municipality_id, lower(name));

CREATE TABLE users (
    id              bigserial PRIMARY KEY,
    email           text        NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    name            text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    password_hash   text        NOT NULL,
    locale          text        NOT NULL DEFAULT '',
    is_admin        boolean     NOT NULL DEFAULT false,
    organisation_id bigint REFERENCES organisations (id),
    version         integer     NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
-- Emails are unique whatever their case: Ana@X and ana@x are one person.
CREATE UNIQUE INDEX users_email_uq ON users (lower(email));
CREATE INDEX users_organisation_idx ON users (organisation_id);

CREATE TABLE memberships (
    user_id         bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    municipality_id bigint      NOT NULL REFERENCES municipalities (id),
    role            text        NOT NULL CHECK (role IN ('coordinator', 'member', 'viewer')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, municipality_id)
);
CREATE INDEX memberships_municipality_idx ON memberships (municipality_id);

-- Sessions live in PostgreSQL so every app instance sees the same ones.
-- Only the SHA-256 of the cookie value is stored.
CREATE TABLE sessions (
    id_hash      bytea PRIMARY KEY,
    user_id      bigint REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_last_seen_idx ON sessions (last_seen_at);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE api_tokens (
    id           bigserial PRIMARY KEY,
    user_id      bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash   bytea       NOT NULL UNIQUE,
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

-- Failed logins, counted per IP and per e-mail to throttle guessing.
CREATE TABLE login_failures (
    id         bigserial PRIMARY KEY,
    ip         text        NOT NULL,
    email      text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_ip_idx ON login_failures (ip, created_at);
CREATE INDEX login_failures_email_idx ON login_failures (lower(email), created_at);

CREATE TABLE audit_log (
    id              bigserial PRIMARY KEY,
    municipality_id bigint REFERENCES municipalities (id),
    user_id         bigint REFERENCES users (id) ON DELETE SET NULL,
    action          text        NOT NULL,
    object_type     text        NOT NULL,
    object_id       bigint,
    changes         jsonb       NOT NULL DEFAULT '{}',
    ip              text        NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_municipality_idx ON audit_log (municipality_id, created_at DESC);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE login_failures;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE memberships;
DROP TABLE users;
DROP TABLE organisations;
DROP TABLE municipalities;
