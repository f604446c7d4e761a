-- Deploy arkagentic:function_app_chat to pg (reworked after v0.4.1)
-- requires: function_app_raise
-- app.rate_limit_hit judged every event at now(), its transaction's start. Concurrent callers wait for
-- the state row's lock and take it in any order, so the last one allowed could carry an earlier now()
-- than the first and be refused (20 start_chat calls that took the lock in the reverse order of their
-- transactions' starts got 9 of their 10 sessions, test_chat_consent.py). An event is now judged at the
-- later of now() and the moment it holds the lock, at most half a spacing later: within one spacing the
-- window still admits max_events and no more, and a single long transaction (pgTAP) keeps the fixed
-- now() its tests rely on, give or take that half spacing.

BEGIN;

CREATE OR REPLACE FUNCTION app.rate_limit_hit(user_id uuid, action text)
 RETURNS void
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
DECLARE
  rule app.rate_limit_rules;
  spacing interval;
  next_tat timestamptz;
  retry_after integer;
BEGIN
  SELECT * INTO rule FROM app.rate_limit_rules r WHERE r.action = rate_limit_hit.action;
  IF NOT FOUND THEN
    RETURN;  -- no rule, no limit
  END IF;
  spacing := rule.per / rule.max_events;
  -- A user who has sent before has a row: a plain UPDATE, cheaper than INSERT ... ON CONFLICT, which
  -- first probes the index for a conflict and then locks and updates the row it found.
  UPDATE app.rate_limit_state s SET tat = greatest(s.tat, pg_catalog.now()) + spacing
   WHERE s.user_id = rate_limit_hit.user_id AND s.action = rate_limit_hit.action
  RETURNING s.tat INTO next_tat;
  IF NOT FOUND THEN
    INSERT INTO app.rate_limit_state AS s (user_id, action, tat)
    VALUES (rate_limit_hit.user_id, rate_limit_hit.action, pg_catalog.now() + spacing)
    ON CONFLICT ON CONSTRAINT rate_limit_state_pkey DO UPDATE
       SET tat = greatest(s.tat, pg_catalog.now()) + spacing
    RETURNING s.tat INTO next_tat;
  END IF;
  -- clock_timestamp() is after the lock was granted: everything admitted before this call is counted.
  IF next_tat - pg_catalog.now() > rule.per + least(pg_catalog.clock_timestamp() - pg_catalog.now(), spacing / 2) THEN
    -- Raising rolls the state back too: a refused attempt does not count.
    retry_after := greatest(pg_catalog.ceil(extract(epoch FROM next_tat - pg_catalog.now() - rule.per)), 1);
    PERFORM app.raise_api_error(429, 'PT429', 'rate limit exceeded',
              pg_catalog.format('At most %s %s per %s. Try again in %s seconds (retry_after=%s).',
                                rule.max_events, action, rule.per, retry_after, retry_after),
              pg_catalog.jsonb_build_object('retry_after', retry_after),
              pg_catalog.jsonb_build_object('Retry-After', retry_after::text));
  END IF;
END
$function$;

COMMENT ON FUNCTION app.rate_limit_hit(uuid,text) IS
  'Counts one event against the action''s rule, or answers HTTP 429 (code PT429, app.raise_api_error) with a Retry-After header and details {"retry_after": seconds}.';

COMMIT;
