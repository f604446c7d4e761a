-- Deploy arkagentic:rate_limit_start_private_chat to pg
-- requires: table_rate_limits
-- New private chat sessions per sender (issue 9, section 3): free anonymous accounts could each open a
-- session with every player. api.start_chat counts only a session it creates; returning an existing
-- one costs nothing. Edit the row to change the limit.

BEGIN;

INSERT INTO app.rate_limit_rules (action, max_events, per) VALUES ('start_private_chat', 10, interval '1 hour');

COMMIT;
