-- The officer access log gets its own Merkle log and signed tree heads (issue 12 item 2), like the raw log.
-- Append-only: never edit once applied.
-- Leaf = SHA-256(0x00 || the row's canonical JSON array [id, at millis, officer, route, method, parameters, status,
-- result_count, remote_address, path, path_parameters, bytes, outcome]), appended in the transaction that inserts the
-- row; position = 1-based place in the log (access_log ids may have gaps, positions have none). Rows logged before
-- this migration are appended at the next start, in id order.
INSERT INTO evidence_log (log_name, archive_id, tree_size, compact_range)
  SELECT 'access', archive_id, 0, X'' FROM evidence_log WHERE log_name = 'events';

CREATE TABLE access_leaf (
    position   BIGINT      NOT NULL PRIMARY KEY,
    access_id  BIGINT      NOT NULL,
    hash       BINARY(32)  NOT NULL,
    CONSTRAINT access_leaf_row_uk UNIQUE (access_id)
);
