-- Access log v2 (issue 11): the route column now holds the matched route template (/api/v1/messages/:messageId);
-- the request path as received, the decoded path parameters (ids in full), the bytes of the answer and the outcome
-- (answered, started and then completed or aborted for a streamed export, rejected before routing) are kept beside
-- it, so no spelling of a path hides what was read. Append-only: never edit this file once applied.
ALTER TABLE access_log ADD COLUMN (
    path             VARCHAR(20000),
    path_parameters  VARCHAR(20000),
    bytes            BIGINT,
    outcome          VARCHAR(16)
);
