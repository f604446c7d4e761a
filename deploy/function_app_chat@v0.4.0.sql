-- Deploy arkagentic:function_app_chat to pg (reworked after v0.2.0: a message no longer touches its session)
-- requires: table_rate_limits table_chat_message_recipients policy_chat_delivery table_users table_chat_messages_txid
--
-- chat_store used to move chat_sessions.last_message_at on every message. That update cost a third
-- of send_message's time (the foreign-key check has just locked the same session row), wrote a second
-- row version per message and left dead tuples for vacuum. api.chat_sessions now reads the time from
-- the session's last message, which it already looks up for the preview, through the (session_id, id)
-- index; the column itself is dropped by table_chat_sessions_drop_last_message_at.
-- rate_limit_hit updates the user's existing row and only inserts the first one.

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
  RETURN stored;
END
$$;
COMMENT ON FUNCTION app.chat_store(uuid, text, uuid, text, text, uuid[]) IS
  'Stores a message and the proximity recipients who heard it; realtime.chat_feed delivers it.';

COMMIT;
