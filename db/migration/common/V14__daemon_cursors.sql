-- Several daemons on one feed (issue 16): each daemon's reader slots have their own cursor rows, keyed by the daemon's
-- id (database.daemonId; '' for the one daemon of an H2 file), and a feed change is recorded per daemon.
-- Append-only: never edit once applied. Runs on H2 and PostgreSQL alike.
ALTER TABLE feed_cursor ADD COLUMN daemon_id VARCHAR(100) DEFAULT '' NOT NULL;
ALTER TABLE feed_cursor DROP CONSTRAINT feed_cursor_pk;
ALTER TABLE feed_cursor ADD CONSTRAINT feed_cursor_pk PRIMARY KEY (tag, event_types, scopes, daemon_id, slot);
ALTER TABLE feed_change ADD COLUMN daemon_id VARCHAR(100) DEFAULT '' NOT NULL;
