-- Evidence (issue 12): a Merkle log over the raw log in seq order (RFC 9162 §2.1), signed tree heads.
-- Append-only: never edit this file once applied.

-- One row per log. tree_size leaves are in the log; compact_range = roots of the perfect subtrees of [0, tree_size),
-- largest first (32 bytes each), all an append needs. archive_id names this archive in every signed tree head.
CREATE TABLE evidence_log (
    log_name      VARCHAR(16)     NOT NULL PRIMARY KEY,
    archive_id    VARCHAR(36)     NOT NULL,
    tree_size     BIGINT          NOT NULL,
    compact_range VARBINARY(2048) NOT NULL
);
INSERT INTO evidence_log (log_name, archive_id, tree_size, compact_range)
  VALUES ('events', CAST(RANDOM_UUID() AS VARCHAR(36)), 0, X'');

-- Leaf hash of every event: leaf index = seq - 1, hash = SHA-256(0x00 || seq || raw_sha256 || received_at millis).
-- Appended in the transaction that stores the event (under the writer lock).
CREATE TABLE evidence_leaf (
    seq   BIGINT     NOT NULL PRIMARY KEY,
    hash  BINARY(32) NOT NULL
);

-- Roots of perfect subtrees of 2^level leaves (level >= 4), index at that level: proofs read a handful of these
-- instead of hashing whole ranges of leaves.
CREATE TABLE evidence_node (
    level INT        NOT NULL,
    idx   BIGINT     NOT NULL,
    hash  BINARY(32) NOT NULL,
    CONSTRAINT evidence_node_pk PRIMARY KEY (level, idx)
);

-- Signed tree heads, each with the consistency proof from the previous head of the same log (hashes concatenated).
-- A copy of each is written as one file to evidence.dir.
CREATE TABLE tree_head (
    id                BIGINT          NOT NULL PRIMARY KEY,
    log_name          VARCHAR(16)     NOT NULL,
    archive_id        VARCHAR(36)     NOT NULL,
    tree_size         BIGINT          NOT NULL,
    root_hash         BINARY(32)      NOT NULL,
    signed_at         TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    key_fingerprint   CHAR(64)        NOT NULL,
    signature         VARBINARY(64)   NOT NULL,
    previous_size     BIGINT,
    consistency_proof VARBINARY(4096)
);
CREATE INDEX tree_head_log_idx ON tree_head (log_name, tree_size);
