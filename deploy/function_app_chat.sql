-- Deploy arkagentic:function_app_chat to pg
-- requires: table_rate_limits table_chat_message_recipients policy_chat_delivery table_users
-- The chat rules, written once for every api function that stores a message.
--
-- Delivery: each stored message is announced on NOTIFY channel `chat` in the transaction that
-- stores it, with its audience decided here, so the bridge never asks who may read what:
--   {"message_id": 1, "audience": [user ids], "agent_service": bool, "message": {...} | null}
-- message is null when it would not fit in NOTIFY's 8000 bytes (the bridge reads the row then),
-- and a long audience is split over several notifications of the same message.

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
                               content text, audience uuid[], for_agent_service boolean,
                               recipients uuid[] DEFAULT '{}') RETURNS app.chat_messages
  LANGUAGE plpgsql VOLATILE
  SET search_path = ''
  AS $$
DECLARE
  stored app.chat_messages;
  body jsonb;
  everyone uuid[];
  part uuid[];
  part_size CONSTANT integer := 100;  -- 100 ids are ~4 kB of payload
  i integer := 1;
BEGIN
  INSERT INTO app.chat_messages (session_id, sender_type, sender_id, sender_name, content)
  VALUES (session_id, sender_type, sender_id, sender_name, content)
  RETURNING * INTO stored;
  IF recipients <> '{}' THEN
    INSERT INTO app.chat_message_recipients (message_id, user_id)
    SELECT stored.id, r FROM pg_catalog.unnest(recipients) AS r;
  END IF;
  UPDATE app.chat_sessions s SET last_message_at = stored.created_at WHERE s.id = stored.session_id;

  everyone := ARRAY(SELECT DISTINCT a FROM pg_catalog.unnest(audience || recipients) AS a WHERE a IS NOT NULL ORDER BY a);
  body := app.chat_message_json(stored);
  LOOP
    part := everyone[i : i + part_size - 1];
    PERFORM pg_catalog.pg_notify('chat', (
      SELECT CASE WHEN pg_catalog.octet_length(full_frame::text) <= 7900 THEN full_frame
                  ELSE full_frame || '{"message": null}' END
        FROM (SELECT pg_catalog.jsonb_build_object(
                       'message_id', stored.id, 'audience', pg_catalog.to_jsonb(coalesce(part, '{}')),
                       'agent_service', for_agent_service AND i = 1, 'message', body) AS full_frame) f)::text);
    i := i + part_size;
    EXIT WHEN i > coalesce(pg_catalog.array_length(everyone, 1), 0);
  END LOOP;
  RETURN stored;
END
$$;
COMMENT ON FUNCTION app.chat_store(uuid, text, uuid, text, text, uuid[], boolean, uuid[]) IS
  'Stores a message (and its proximity recipients), bumps the session and announces it to its audience on NOTIFY channel chat.';

COMMIT;
