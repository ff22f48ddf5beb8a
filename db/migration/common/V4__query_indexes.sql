-- Indexes the transcript page needs: it looks up the membership and message rows of a page of events by
-- event_seq. Without them every page scanned both tables (0.5 s per page at 633,000 events).
CREATE INDEX membership_event_seq_idx ON membership (event_seq);
CREATE INDEX message_event_seq_idx ON message (event_seq);
