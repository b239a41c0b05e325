-- +goose Up
-- Accounts, invitations, password resets, a second factor, notifications and
-- the mail outbox (issue #14). Nobody sets another person's password: people
-- join by invitation and choose their own.

-- An invited person has an account row (so a coordinator can name them as a
-- signatory at once) but no password until they accept; they cannot sign in.
ALTER TABLE users ADD COLUMN status text NOT NULL DEFAULT 'active' CHECK (status IN ('invited', 'active'));
ALTER TABLE users ADD CONSTRAINT users_active_has_password CHECK (status = 'invited' OR password_hash <> '');

-- Only the SHA-256 of the token in the link is stored; a token is spent by
-- setting accepted_at, valid for 7 days.
CREATE TABLE invitations (
    id              bigserial PRIMARY KEY,
    municipality_id bigint      NOT NULL REFERENCES municipalities (id),
    user_id         bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email           text        NOT NULL,
    role            text        NOT NULL CHECK (role IN ('coordinator', 'member', 'viewer')),
    organisation_id bigint REFERENCES organisations (id),
    token_hash      bytea       NOT NULL UNIQUE,
    invited_by      bigint REFERENCES users (id) ON DELETE SET NULL,
    expires_at      timestamptz NOT NULL,
    accepted_at     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX invitations_municipality_idx ON invitations (municipality_id);
CREATE INDEX invitations_user_idx ON invitations (user_id);
-- Pending invitations show on the municipality's member list.
CREATE TRIGGER invitations_rev_ins AFTER INSERT ON invitations REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_municipality_revisions();
CREATE TRIGGER invitations_rev_upd AFTER UPDATE ON invitations REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_municipality_revisions();
CREATE TRIGGER invitations_rev_del AFTER DELETE ON invitations REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_municipality_revisions();

-- A reset link is valid for one hour and once.
CREATE TABLE password_resets (
    id         bigserial PRIMARY KEY,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash bytea       NOT NULL UNIQUE,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX password_resets_user_idx ON password_resets (user_id);

-- Rate limits other than failed sign-ins (those stay in login_failures):
-- scope names what is limited ('reset_email', 'reset_ip'), key whose.
CREATE TABLE throttle_events (
    id         bigserial PRIMARY KEY,
    scope      text        NOT NULL,
    key        text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX throttle_events_key_idx ON throttle_events (scope, key, created_at);
-- Failed sign-ins are also counted per (e-mail, IP) pair.
CREATE INDEX login_failures_email_ip_idx ON login_failures (lower(email), ip, created_at);

-- TOTP second factor. last_step is the time step of the last accepted code,
-- so a code that was seen once (shoulder-surfed, replayed) is refused.
CREATE TABLE user_totp (
    user_id      bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret       text        NOT NULL,
    confirmed_at timestamptz,
    last_step    bigint      NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- Recovery codes: SHA-256 of 80 random bits each, single use.
CREATE TABLE totp_recovery_codes (
    id        bigserial PRIMARY KEY,
    user_id   bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash bytea  NOT NULL,
    used_at   timestamptz,
    UNIQUE (user_id, code_hash)
);

-- In-app notifications, one row per recipient, in the recipient's language.
-- mail says what happens by e-mail: none (setting off), sent (an outbox mail
-- was queued with it), digest (waits for the daily summary), digested.
CREATE TABLE notifications (
    id         bigserial PRIMARY KEY,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       text        NOT NULL CHECK (kind ~ '^[a-z_]{1,50}$'),
    subject    text        NOT NULL CHECK (length(subject) BETWEEN 1 AND 500),
    url        text        NOT NULL DEFAULT '' CHECK (length(url) <= 500),
    mail       text        NOT NULL DEFAULT 'none' CHECK (mail IN ('none', 'sent', 'digest', 'digested')),
    created_at timestamptz NOT NULL DEFAULT now(),
    read_at    timestamptz
);
CREATE INDEX notifications_user_idx ON notifications (user_id, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_digest_idx ON notifications (user_id, created_at) WHERE mail = 'digest';

-- A user's choice per kind; a kind without a row has its default.
CREATE TABLE notification_settings (
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind    text   NOT NULL CHECK (kind ~ '^[a-z_]{1,50}$'),
    mode    text   NOT NULL CHECK (mode IN ('immediate', 'digest', 'off')),
    PRIMARY KEY (user_id, kind)
);

-- Every mail Pakt sends is first a row here, written in the transaction of
-- the event it tells about; a River job sends it. Without SMTP it stays
-- here ('kept') for platform admins to read. A sensitive mail (it carries
-- an invitation or reset link) loses its body once delivered.
CREATE TABLE mail_outbox (
    id          bigserial PRIMARY KEY,
    user_id     bigint REFERENCES users (id) ON DELETE SET NULL,
    to_email    text        NOT NULL,
    to_name     text        NOT NULL DEFAULT '',
    lang        text        NOT NULL,
    kind        text        NOT NULL,
    subject     text        NOT NULL,
    text_body   text        NOT NULL,
    html_body   text        NOT NULL,
    unsubscribe text        NOT NULL DEFAULT '',
    sensitive   boolean     NOT NULL DEFAULT false,
    status      text        NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'kept', 'failed')),
    attempts    integer     NOT NULL DEFAULT 0,
    last_error  text        NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz,
    CHECK ((status = 'sent') = (sent_at IS NOT NULL))
);
CREATE INDEX mail_outbox_status_idx ON mail_outbox (status, id DESC);
CREATE INDEX mail_outbox_user_idx ON mail_outbox (user_id);

-- One-click unsubscribe links of notification mails (RFC 8058): the token's
-- SHA-256 and what it turns off.
CREATE TABLE unsubscribe_tokens (
    token_hash bytea PRIMARY KEY,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX unsubscribe_tokens_user_idx ON unsubscribe_tokens (user_id);

-- A reminder for one item, threshold and recipient is sent once: the
-- primary key makes a second pass (another instance, the same hour) a no-op.
CREATE TABLE reminders_sent (
    kind      text        NOT NULL,
    item      text        NOT NULL,
    threshold text        NOT NULL,
    user_id   bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sent_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, item, threshold, user_id)
);

-- +goose Down
DROP TABLE reminders_sent;
DROP TABLE unsubscribe_tokens;
DROP TABLE mail_outbox;
DROP TABLE notification_settings;
DROP TABLE notifications;
DROP TABLE totp_recovery_codes;
DROP TABLE user_totp;
DROP INDEX login_failures_email_ip_idx;
DROP TABLE throttle_events;
DROP TABLE password_resets;
DROP TABLE invitations;
ALTER TABLE users DROP CONSTRAINT users_active_has_password;
ALTER TABLE users DROP COLUMN status;
