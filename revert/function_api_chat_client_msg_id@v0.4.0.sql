-- Revert arkagentic:function_api_chat_client_msg_id from pg
-- Back to chat_store, send_message and say_nearby without client_msg_id, as function_app_chat and
-- function_api_chat made them.

BEGIN;

DROP FUNCTION api.say_nearby(text, uuid);
DROP FUNCTION api.send_message(uuid, text, uuid);
DROP FUNCTION app.chat_store(uuid, text, uuid, text, text, uuid[], uuid);
DROP FUNCTION app.chat_retry(uuid, uuid, uuid);

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
  RETURN stored;
END
$$;
COMMENT ON FUNCTION app.chat_store(uuid, text, uuid, text, text, uuid[]) IS
  'Stores a message and the proximity recipients who heard it; realtime.chat_feed delivers it.';

CREATE FUNCTION api.send_message(session_id uuid, content text) RETURNS api.chat_messages
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  me uuid := auth.user_id();
  session_type text;
  my_name text;
  stored app.chat_messages;
BEGIN
  -- Assignments, not PERFORM: PL/pgSQL evaluates a plain expression without starting an executor.
  content := app.check_chat_content(content, 4000);
  SELECT s.type, u.display_name INTO session_type, my_name
    FROM app.chat_sessions s JOIN app.users u ON u.id = me
   WHERE s.id = send_message.session_id AND me IN (s.user_id, s.other_user_id);
  IF NOT FOUND THEN
    -- Someone else's session answers like a missing one: its existence is private too.
    RAISE EXCEPTION 'unknown chat session %', coalesce(send_message.session_id::text, 'NULL')
      USING ERRCODE = 'PT404', HINT = 'Open one with /rpc/start_chat; GET /chat_sessions lists yours.';
  ELSIF session_type = 'proximity' THEN
    RAISE EXCEPTION 'proximity sessions take messages through say_nearby'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'POST /rpc/say_nearby {"content": ...}';
  END IF;
  PERFORM app.rate_limit_hit(me, 'send_message');
  stored := app.chat_store(send_message.session_id, 'user', me, my_name, content);
  RETURN ROW(stored.id, stored.session_id, session_type, stored.sender_type, stored.sender_id, stored.sender_name,
             stored.content, stored.created_at)::api.chat_messages;
END
$$;
COMMENT ON FUNCTION api.send_message(uuid, text) IS
$$Send a message into one of your sessions.

Returns the stored message. 400 for empty or whitespace-only content, over 4000 characters, or control
characters other than newline; 404 for a session that is not yours; 429 over the rate limit (20 per 10 s by
default), with retry_after in details.$$;
GRANT EXECUTE ON FUNCTION api.send_message(uuid, text) TO player;

CREATE FUNCTION api.say_nearby(content text) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  me uuid := auth.user_id();
  here app.player_presence;
  room app.rooms;
  session_id uuid;
  heard_by uuid[];
  my_name text;
  stored app.chat_messages;
BEGIN
  PERFORM app.check_chat_content(content, 4000);
  SELECT * INTO here FROM app.player_presence p WHERE p.user_id = me AND p.status <> 'offline';
  IF NOT FOUND THEN
    RAISE EXCEPTION 'enter a room before talking to people nearby'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Join a room over the WebSocket, or POST /rpc/enter_room.';
  END IF;
  PERFORM app.rate_limit_hit(me, 'say_nearby');
  SELECT * INTO room FROM app.rooms r WHERE r.id = here.room_id;

  heard_by := ARRAY(
    SELECT p.user_id FROM app.player_presence p
     WHERE p.room_id = here.room_id AND p.status <> 'offline' AND p.user_id <> me
       AND (p.x - here.x) ^ 2 + (p.y - here.y) ^ 2 <= room.proximity_radius ^ 2
     ORDER BY p.user_id);

  INSERT INTO app.chat_sessions (type, user_id, room_id) VALUES ('proximity', me, here.room_id)
  ON CONFLICT (user_id, room_id) WHERE type = 'proximity' DO NOTHING
  RETURNING id INTO session_id;
  IF session_id IS NULL THEN
    SELECT s.id INTO session_id FROM app.chat_sessions s
     WHERE s.type = 'proximity' AND s.user_id = me AND s.room_id = here.room_id;
  END IF;

  SELECT u.display_name INTO my_name FROM app.users u WHERE u.id = me;
  stored := app.chat_store(session_id, 'user', me, my_name, content, heard_by);
  RETURN pg_catalog.jsonb_build_object('message', app.chat_message_json(stored),
                                       'recipients', pg_catalog.to_jsonb(heard_by));
END
$$;
COMMENT ON FUNCTION api.say_nearby(text) IS
$$Say something to the players near you.

Everyone in your room within its proximity_radius (5 tiles by default) hears it; they are recorded, so each
player's history shows exactly what they heard. Returns {message, recipients}. 400 when you are not in a room
or the content is invalid; 429 over the rate limit (5 per 10 s by default).$$;
GRANT EXECUTE ON FUNCTION api.say_nearby(text) TO player;

COMMIT;
