-- Deploy arkagentic:table_rate_limits to pg
-- requires: table_users
-- Rate-limit rules and their state, in the database so limits survive a restart of anything.
-- The state is one timestamp per user and action (GCRA, the generic cell rate algorithm): the
-- theoretical arrival time of the next allowed event. It allows max_events per window, bursts
-- included, and refills smoothly instead of resetting at window boundaries.

BEGIN;

CREATE TABLE app.rate_limit_rules (
  action     text PRIMARY KEY CONSTRAINT rate_limit_rules_action_shape CHECK (action ~ '^[a-z_]{1,64}$'),
  max_events integer NOT NULL CONSTRAINT rate_limit_rules_max_positive CHECK (max_events >= 1),
  per        interval NOT NULL CONSTRAINT rate_limit_rules_per_positive CHECK (per > interval '0')
);
COMMENT ON TABLE app.rate_limit_rules IS 'At most max_events of an action per user within any window of length per. Edit rows to change limits.';

INSERT INTO app.rate_limit_rules (action, max_events, per) VALUES
  ('send_message', 20, interval '10 seconds'),
  ('say_nearby',    5, interval '10 seconds');

CREATE TABLE app.rate_limit_state (
  user_id uuid NOT NULL REFERENCES app.users (id) ON DELETE CASCADE,
  action  text NOT NULL REFERENCES app.rate_limit_rules (action) ON DELETE CASCADE,
  -- Theoretical arrival time: an event is allowed while tat - now() stays within the window.
  tat     timestamptz NOT NULL,
  PRIMARY KEY (user_id, action)
);
COMMENT ON TABLE app.rate_limit_state IS 'Per user and action, the GCRA theoretical arrival time.';

ALTER TABLE app.rate_limit_rules ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.rate_limit_rules FORCE ROW LEVEL SECURITY;
ALTER TABLE app.rate_limit_state ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.rate_limit_state FORCE ROW LEVEL SECURITY;

COMMIT;
