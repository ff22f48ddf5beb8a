-- PostgreSQL version of h2/V5 (write path v2): the same columns and the same conversion of rows stored before it.
-- BYTEA for H2's VARBINARY and BLOB (PostgreSQL keeps up to 1 GB in one BYTEA; the two columns stay, so that one
-- generated jOOQ schema serves both databases). raw_sha256 = SHA-256 of the raw bytes, as on H2.
ALTER TABLE event ADD COLUMN raw_bytes BYTEA, ADD COLUMN raw_bytes_large BYTEA, ADD COLUMN raw_sha256 CHAR(64);
UPDATE event SET raw_bytes_large = convert_to(raw_large, 'UTF8') WHERE raw_large IS NOT NULL;
UPDATE event SET raw_bytes_large = convert_to(raw, 'UTF8')
  WHERE raw IS NOT NULL AND octet_length(convert_to(raw, 'UTF8')) > 1000000;
UPDATE event SET raw_bytes = convert_to(raw, 'UTF8'), raw_sha256 = encode(sha256(convert_to(raw, 'UTF8')), 'hex')
  WHERE raw IS NOT NULL AND raw_bytes_large IS NULL;
UPDATE event SET raw_sha256 = encode(sha256(raw_bytes_large), 'hex') WHERE raw_bytes_large IS NOT NULL;
ALTER TABLE event DROP CONSTRAINT event_raw_present;
ALTER TABLE event DROP COLUMN raw, DROP COLUMN raw_large;
ALTER TABLE event ALTER COLUMN raw_sha256 SET NOT NULL;
ALTER TABLE event ADD CONSTRAINT event_raw_bytes_size CHECK (octet_length(raw_bytes) <= 1000000);
ALTER TABLE event ADD CONSTRAINT event_raw_present CHECK (raw_bytes IS NOT NULL OR raw_bytes_large IS NOT NULL);
DROP INDEX event_occurred_idx;

ALTER TABLE app_user ADD COLUMN field_versions VARCHAR(2000);
ALTER TABLE stream ADD COLUMN field_versions VARCHAR(4000);
ALTER TABLE user_identity ADD COLUMN last_seen_at TIMESTAMP(3) WITH TIME ZONE;
ALTER TABLE user_identity ADD COLUMN last_event_seq BIGINT;
UPDATE user_identity SET last_seen_at = seen_at, last_event_seq = event_seq;
