-- PostgreSQL version of h2/V8 (evidence: the Merkle log and signed tree heads). BYTEA for H2's BINARY/VARBINARY, with
-- the lengths H2's types enforce kept as CHECK constraints; gen_random_uuid() (PostgreSQL 13+) for RANDOM_UUID().
CREATE TABLE evidence_log (
    log_name      VARCHAR(16)     NOT NULL PRIMARY KEY,
    archive_id    VARCHAR(36)     NOT NULL,
    tree_size     BIGINT          NOT NULL,
    compact_range BYTEA           NOT NULL CHECK (octet_length(compact_range) <= 2048)
);
INSERT INTO evidence_log (log_name, archive_id, tree_size, compact_range)
  VALUES ('events', CAST(gen_random_uuid() AS VARCHAR(36)), 0, ''::bytea);

CREATE TABLE evidence_leaf (
    seq   BIGINT     NOT NULL PRIMARY KEY,
    hash  BYTEA      NOT NULL CHECK (octet_length(hash) = 32)
);

CREATE TABLE evidence_node (
    level INT        NOT NULL,
    idx   BIGINT     NOT NULL,
    hash  BYTEA      NOT NULL CHECK (octet_length(hash) = 32),
    CONSTRAINT evidence_node_pk PRIMARY KEY (level, idx)
);

CREATE TABLE tree_head (
    id                BIGINT          NOT NULL PRIMARY KEY,
    log_name          VARCHAR(16)     NOT NULL,
    archive_id        VARCHAR(36)     NOT NULL,
    tree_size         BIGINT          NOT NULL,
    root_hash         BYTEA           NOT NULL CHECK (octet_length(root_hash) = 32),
    signed_at         TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    key_fingerprint   CHAR(64)        NOT NULL,
    signature         BYTEA           NOT NULL CHECK (octet_length(signature) <= 64),
    previous_size     BIGINT,
    consistency_proof BYTEA           CHECK (octet_length(consistency_proof) <= 4096)
);
CREATE INDEX tree_head_log_idx ON tree_head (log_name, tree_size);
