-- Write path v2 (issue 9). Append-only: never edit once applied.
--
-- 1. The raw log keeps every event's bytes exactly as received: the event's own slice of the read response body,
--    never a re-serialization. raw_sha256 = SHA-256 of those bytes (the evidence hash). event.sha256 stays the
--    dedup identity: SHA-256 of a canonical form that is one-to-one on JSON values, or of the received bytes when
--    the event has no canonical form (duplicate keys, not a JSON object). Rows archived before V5 were stored
--    re-serialized by the archiver; their bytes are that text in UTF-8.
-- One ADD and one DROP: H2 copies the whole table for each column change, so they are merged.
ALTER TABLE event ADD COLUMN (raw_bytes VARBINARY(1000000), raw_bytes_large BLOB, raw_sha256 CHAR(64));
UPDATE event SET raw_bytes_large = CAST(CAST(raw_large AS VARCHAR(1000000000)) AS VARBINARY(1000000000))
  WHERE raw_large IS NOT NULL;
-- raw held up to 1,000,000 characters = up to 4,000,000 UTF-8 bytes: those go to raw_bytes_large
UPDATE event SET raw_bytes_large = CAST(raw AS VARBINARY(1000000000))
  WHERE raw IS NOT NULL AND OCTET_LENGTH(CAST(raw AS VARBINARY(1000000000))) > 1000000;
UPDATE event SET raw_bytes = CAST(raw AS VARBINARY(1000000000)),
    raw_sha256 = LOWER(RAWTOHEX(HASH('SHA-256', CAST(raw AS VARBINARY(1000000000)))))
  WHERE raw IS NOT NULL AND raw_bytes_large IS NULL;
UPDATE event SET raw_sha256 = LOWER(RAWTOHEX(HASH('SHA-256', CAST(raw_bytes_large AS VARBINARY(1000000000)))))
  WHERE raw_bytes_large IS NOT NULL;
ALTER TABLE event DROP CONSTRAINT event_raw_present;
ALTER TABLE event DROP COLUMN raw, raw_large;
ALTER TABLE event ALTER COLUMN raw_sha256 SET NOT NULL;
ALTER TABLE event ADD CONSTRAINT event_raw_present CHECK (raw_bytes IS NOT NULL OR raw_bytes_large IS NOT NULL);
-- event_occurred_seq_idx (occurred_at, seq) serves every lookup event_occurred_idx did.
DROP INDEX event_occurred_idx;

-- 2. State that does not depend on arrival order. Current user identity and stream properties are last-writer-wins
--    per field, ordered by the event's own time then seq; field_versions holds each field's (time, seq) version
--    ("name=epochMillis:seq;…"), so a late old event never overwrites newer state.
ALTER TABLE app_user ADD COLUMN field_versions VARCHAR(2000);
ALTER TABLE stream ADD COLUMN field_versions VARCHAR(4000);
-- user_identity: one row per distinct identity a user was seen with, first and last seen (time, seq).
ALTER TABLE user_identity ADD COLUMN last_seen_at TIMESTAMP(3) WITH TIME ZONE;
ALTER TABLE user_identity ADD COLUMN last_event_seq BIGINT;
UPDATE user_identity SET last_seen_at = seen_at, last_event_seq = event_seq;
