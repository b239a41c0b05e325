-- +goose Up
-- Open data and IATI (issue #19, docs/opendata.md, docs/iati.md).

-- 1. The IATI organisation identifier a municipality publishes under (the
-- reporting-org/@ref of its activities and the prefix of every
-- iati-identifier). NULL means the default "XM-PAKT-<slug>". An identifier
-- names one publisher, so two municipalities cannot share one. Kept on the
-- municipality row: a change raises its content revision (migration 00008)
-- like any other change of the municipality.
ALTER TABLE municipalities ADD COLUMN iati_org_ref text
    CHECK (iati_org_ref ~ '^[A-Za-z]{2}-[A-Za-z0-9][A-Za-z0-9._-]{0,97}$');
CREATE UNIQUE INDEX municipalities_iati_org_ref_uq ON municipalities (lower(iati_org_ref))
    WHERE iati_org_ref IS NOT NULL;

-- 2. Request counters of the public open-data API, one row per client and
-- minute, shared by every instance (a per-instance counter would let a
-- client multiply its allowance by the number of instances). The client is
-- a keyed hash of its address, never the address itself. UNLOGGED: losing
-- the counters in a crash only forgives a minute's requests, and writing
-- them skips the WAL.
CREATE UNLOGGED TABLE api_rate_windows (
    bucket       text        NOT NULL CHECK (length(bucket) BETWEEN 1 AND 200),
    window_start timestamptz NOT NULL,
    hits         integer     NOT NULL DEFAULT 1 CHECK (hits >= 1),
    PRIMARY KEY (bucket, window_start)
);
CREATE INDEX api_rate_windows_start_idx ON api_rate_windows (window_start);

-- +goose Down
DROP TABLE api_rate_windows;
DROP INDEX municipalities_iati_org_ref_uq;
ALTER TABLE municipalities DROP COLUMN iati_org_ref;
