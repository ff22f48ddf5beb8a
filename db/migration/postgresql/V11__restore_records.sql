-- PostgreSQL version of h2/V11 (BYTEA for VARBINARY).
-- Restore records (issues 10 item 5 and 12): a restore rolls the archive back to a backup. The seqs the set-aside
-- archive used after the backup are never handed out again: they become "void" leaves of the Merkle log
-- (leaf = SHA-256(0x00 || seq || 32 zero bytes || restored_at millis)) and the counter moves past them. The signed
-- record says which backup was restored, the restored and abandoned tree sizes and head ids, and the void seqs, so
-- verify accepts the abandoned branch's heads filed in evidence.dir only when this installation's key signed it.
-- Append-only: never edit once applied.
CREATE TABLE archive_restore (
    id          BIGINT          NOT NULL PRIMARY KEY,
    record      VARCHAR(8000)   NOT NULL,   -- the signed JSON text, exactly as signed
    signature   BYTEA           NOT NULL CHECK (octet_length(signature) <= 64)
);
