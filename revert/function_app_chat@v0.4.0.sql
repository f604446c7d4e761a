-- Revert arkagentic:function_app_chat from pg: restores the v0.2.0 rate_limit_hit (an upsert) and
-- chat_store, which moves the session's last_message_at (the column is back by then: its drop is
-- reverted first).

BEGIN;

CREATE OR REPLACE FUNCTION app.rate_limit_hit(user_id uuid, action text) RETURNS void
  LANGUAGE plpgsql VOLATILE
  SET search_path = ''
  AS $$
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
  INSERT INTO app.rate_limit_state AS s (user_id, action, tat)
  VALUES (rate_limit_hit.user_id, rate_limit_hit.action, pg_catalog.now() + spacing)
  ON CONFLICT ON CONSTRAINT rate_limit_state_pkey DO UPDATE
     SET tat = greatest(s.tat, pg_catalog.now()) + spacing
  RETURNING s.tat INTO next_tat;
  IF next_tat - pg_catalog.now() > rule.per THEN
    -- Raising rolls the state back too: a refused attempt does not count.
    retry_after := greatest(pg_catalog.ceil(extract(epoch FROM next_tat - pg_catalog.now() - rule.per)), 1);
    RAISE EXCEPTION 'rate limit exceeded for %: at most % per %', action, rule.max_events, rule.per
      USING ERRCODE = 'PT429',
            DETAIL = pg_catalog.json_build_object('retry_after', retry_after)::text,
            HINT = pg_catalog.format('Try again in %s seconds (retry_after=%s).', retry_after, retry_after);
  END IF;
END
$$;

CREATE OR REPLACE FUNCTION app.chat_store(session_id uuid, sender_type text, sender_id uuid, sender_name text,
                                          content text, recipients uuid[] DEFAULT '{}') RETURNS app.chat_messages
  LANGUAGE plpgsql VOLATILE
  SET search_path = ''
  AS $$
DECLARE
  stored app.chat_messages;
BEGIN
  INSERT INTO app.chat_messages (session_id, sender_type, sender_id, sender_name, content)
  VALUES (session_id, sender_type, sender_id, sender_name, content)
  RETURNING * INTO stored;
  IF recipients <> '{}' THEN
    INSERT INTO app.chat_message_recipients (message_id, user_id)
    SELECT stored.id, r FROM pg_catalog.unnest(recipients) AS r;
  END IF;
  UPDATE app.chat_sessions s SET last_message_at = stored.created_at WHERE s.id = stored.session_id;
  RETURN stored;
END
$$;
COMMENT ON FUNCTION app.chat_store(uuid, text, uuid, text, text, uuid[]) IS
  'Stores a message (and the proximity recipients who heard it) and bumps the session; realtime.chat_feed delivers it.';

COMMIT;
