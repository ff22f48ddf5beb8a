-- PostgreSQL version of h2/V13 (ADD COLUMN syntax, BYTEA for VARBINARY).
-- Retention, legal holds and disposal certificates (issue 15). Append-only: never edit once applied.

-- A disposed event keeps its tombstone: seq, sha256 (identity), raw_sha256, type, occurred_at, received_at — all the
-- Merkle leaf needs, so the evidence log does not change — and the certificate that disposed of it. Its raw bytes
-- and the rest of its columns are cleared.
ALTER TABLE event ADD COLUMN disposed_at TIMESTAMP(3) WITH TIME ZONE, ADD COLUMN disposal_id BIGINT;
ALTER TABLE event DROP CONSTRAINT event_raw_present;
ALTER TABLE event ADD CONSTRAINT event_raw_present
  CHECK (raw_bytes IS NOT NULL OR raw_bytes_large IS NOT NULL OR disposed_at IS NOT NULL);

-- A disposed message stays as a stub (id, stream, time) so that transcripts say "disposed", never skip it silently.
ALTER TABLE message ADD COLUMN disposed_at TIMESTAMP(3) WITH TIME ZONE;

-- Legal holds: current state. A hold covers every event of its streams or users (all events when it names neither)
-- whose time (occurred_at, else received_at) is in [from_at, to_at), open ends allowed, until released. Creating and
-- releasing one is also written to the access log, whose Merkle log makes the record tamper-evident.
CREATE TABLE legal_hold (
    name            VARCHAR(100)   NOT NULL PRIMARY KEY,
    reason          VARCHAR(4000)  NOT NULL,
    created_by      VARCHAR(100)   NOT NULL,
    created_at      TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    from_at         TIMESTAMP(3) WITH TIME ZONE,
    to_at           TIMESTAMP(3) WITH TIME ZONE,
    released_at     TIMESTAMP(3) WITH TIME ZONE,
    released_by     VARCHAR(100),
    release_reason  VARCHAR(4000)
);
CREATE TABLE legal_hold_stream (
    name       VARCHAR(100)  NOT NULL,
    stream_id  VARCHAR(256)  NOT NULL,
    CONSTRAINT legal_hold_stream_pk PRIMARY KEY (name, stream_id)
);
CREATE TABLE legal_hold_user (
    name     VARCHAR(100)  NOT NULL,
    user_id  BIGINT        NOT NULL,
    CONSTRAINT legal_hold_user_pk PRIMARY KEY (name, user_id)
);

-- One signed certificate per completed disposal run (the same transaction as its tombstones).
CREATE TABLE disposal_certificate (
    id         BIGINT          NOT NULL PRIMARY KEY,
    record     VARCHAR(1000000) NOT NULL,   -- the signed JSON text, exactly as signed
    signature  BYTEA           NOT NULL CHECK (octet_length(signature) <= 64)
);
CREATE INDEX event_disposal_idx ON event (disposal_id, seq);

-- One row both a hold change and a disposal run lock first: a hold created while a run plans is seen by that run
-- (it re-reads the holds under this lock) or waits for it to finish.
CREATE TABLE retention_lock (
    id  INT  NOT NULL PRIMARY KEY
);
INSERT INTO retention_lock (id) VALUES (1);
