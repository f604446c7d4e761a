-- Deploy arkagentic:function_app_chat to pg
-- requires: table_rate_limits table_chat_message_recipients policy_chat_delivery table_users table_chat_messages_txid
-- The chat rules, written once for every api function that stores a message.
--
-- Delivery: the bridge tails app.chat_messages by transaction id (realtime.chat_feed) and hands each
-- new message to its audience, which the database computes from the session's participants and the
-- recipients stored with the message in the same transaction. No NOTIFY here: its commit lock would
-- make every message's commit wait for the previous one.

BEGIN;

CREATE FUNCTION app.rate_limit_hit(user_id uuid, action text) RETURNS void
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
COMMENT ON FUNCTION app.rate_limit_hit(uuid, text) IS 'Counts one event against the action''s rule, or raises PT429 (HTTP 429) with retry_after.';

CREATE FUNCTION app.check_chat_content(content text, max_length integer) RETURNS text
  LANGUAGE plpgsql IMMUTABLE
  SET search_path = ''
  AS $$
BEGIN
  IF content IS NULL OR pg_catalog.btrim(content, E' \t\n\r') = '' THEN
    RAISE EXCEPTION 'content must not be empty'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send some text.';
  ELSIF pg_catalog.char_length(content) > max_length THEN
    RAISE EXCEPTION 'content is % characters long; the limit is %', pg_catalog.char_length(content), max_length
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Split it into several messages.';
  ELSIF content ~ '[\x01-\x09\x0b-\x1f\x7f-\x9f]' THEN  -- C0, DEL and C1 (U+009B starts terminal escapes)
    RAISE EXCEPTION 'content must not contain control characters other than newline'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Remove tabs, carriage returns and other control characters.';
  END IF;
  RETURN content;
END
$$;
COMMENT ON FUNCTION app.check_chat_content(text, integer) IS 'Returns chat content if it is storable, or raises 22023 saying why.';

CREATE FUNCTION app.chat_message_json(message app.chat_messages) RETURNS jsonb
  -- PL/pgSQL, not SQL: it runs once per stored message, and PL/pgSQL keeps its plan for the session
  -- where a SQL function called from PL/pgSQL is planned again in every transaction.
  LANGUAGE plpgsql STABLE
  SET search_path = ''
  AS $$
BEGIN
  RETURN pg_catalog.jsonb_build_object(
           'id', message.id, 'session_id', message.session_id,
           'type', (SELECT s.type FROM app.chat_sessions s WHERE s.id = message.session_id),
           'sender_type', message.sender_type, 'sender_id', message.sender_id,
           'sender_name', message.sender_name, 'content', message.content, 'created_at', message.created_at);
END
$$;
COMMENT ON FUNCTION app.chat_message_json(app.chat_messages) IS 'A message as chat_message frames and the REST view show it.';

CREATE FUNCTION app.chat_store(session_id uuid, sender_type text, sender_id uuid, sender_name text,
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
