-- PostgreSQL version of h2/V7 (access log v2): the same columns, in PostgreSQL's ADD COLUMN syntax.
ALTER TABLE access_log
    ADD COLUMN path             VARCHAR(20000),
    ADD COLUMN path_parameters  VARCHAR(20000),
    ADD COLUMN bytes            BIGINT,
    ADD COLUMN outcome          VARCHAR(16);
