-- Issue 10: an ackId is opaque and its length is the Agent's choice; 4,000 characters failed every commit of a
-- longer one (the feed stopped for good). H2's longest VARCHAR; FeedParser refuses (retries) anything longer.
ALTER TABLE feed_cursor ALTER COLUMN ack_id SET DATA TYPE CHARACTER VARYING(1000000);

-- Issue 10: coverage asks for the archive's first read ever (time before it is uncovered, never complete).
CREATE INDEX feed_read_first_idx ON feed_read (first_read_at);
