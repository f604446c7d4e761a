-- Revert arkagentic:function_api_chat_client_msg_id from pg: the bodies of v0.4.0.

BEGIN;

CREATE OR REPLACE FUNCTION api.send_message(session_id uuid, content text, client_msg_id uuid DEFAULT NULL::uuid)
 RETURNS api.chat_messages
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
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
  IF send_message.client_msg_id IS NOT NULL THEN
    stored := app.chat_retry(me, send_message.client_msg_id, send_message.session_id);
  END IF;
  IF stored.id IS NULL THEN
    PERFORM app.rate_limit_hit(me, 'send_message');
    stored := app.chat_store(send_message.session_id, 'user', me, my_name, content, '{}', send_message.client_msg_id);
  END IF;
  RETURN ROW(stored.id, stored.session_id, session_type, stored.sender_type, stored.sender_id, stored.sender_name,
             stored.content, stored.created_at)::api.chat_messages;
END
$function$;

COMMENT ON FUNCTION api.send_message(uuid,text,uuid) IS
  'Send a message into one of your sessions.

Returns the stored message. Send a fresh client_msg_id (uuid) with every message and the same one when you
retry it: a retry returns the message already stored and stores nothing new (409 if that id was used in
another session). 400 for empty or whitespace-only content, over 4000 characters, or control characters
other than newline; 404 for a session that is not yours; 429 over the rate limit (20 per 10 s by default),
with retry_after in details.';

CREATE OR REPLACE FUNCTION api.say_nearby(content text, client_msg_id uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
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
  IF say_nearby.client_msg_id IS NOT NULL THEN
    -- A retry answers what was said then, to whoever heard it then, wherever the player is now.
    SELECT * INTO stored FROM app.chat_messages m
     WHERE m.sender_id = me AND m.client_msg_id = say_nearby.client_msg_id;
    IF FOUND THEN
      IF (SELECT s.type FROM app.chat_sessions s WHERE s.id = stored.session_id) <> 'proximity' THEN
        RAISE EXCEPTION 'this client_msg_id was already used for a message in another session'
          USING ERRCODE = 'PT409', HINT = 'Use a new uuid for every new message, and the same one only to retry it.';
      END IF;
      RETURN pg_catalog.jsonb_build_object('message', app.chat_message_json(stored),
        'recipients', pg_catalog.to_jsonb(ARRAY(SELECT r.user_id FROM app.chat_message_recipients r
                                                 WHERE r.message_id = stored.id ORDER BY r.user_id)));
    END IF;
  END IF;
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
  stored := app.chat_store(session_id, 'user', me, my_name, content, heard_by, say_nearby.client_msg_id);
  IF say_nearby.client_msg_id IS NOT NULL THEN
    -- chat_store may have met a concurrent attempt with the same key: answer with what was stored.
    heard_by := ARRAY(SELECT r.user_id FROM app.chat_message_recipients r WHERE r.message_id = stored.id ORDER BY r.user_id);
  END IF;
  RETURN pg_catalog.jsonb_build_object('message', app.chat_message_json(stored),
                                       'recipients', pg_catalog.to_jsonb(heard_by));
END
$function$;

COMMENT ON FUNCTION api.say_nearby(text,uuid) IS
  'Say something to the players near you.

Everyone in your room within its proximity_radius (5 tiles by default) hears it; they are recorded, so each
player''s history shows exactly what they heard. Returns {message, recipients}. Send a fresh client_msg_id
(uuid) and the same one to retry: a retry returns what was stored and says nothing again. 400 when you are not
in a room or the content is invalid; 429 over the rate limit (5 per 10 s by default).';

CREATE OR REPLACE FUNCTION app.chat_retry(sender_id uuid, client_msg_id uuid, session_id uuid)
 RETURNS app.chat_messages
 LANGUAGE plpgsql
 STABLE
 SET search_path TO ''
AS $function$
DECLARE
  stored app.chat_messages;
BEGIN
  SELECT * INTO stored FROM app.chat_messages m
   WHERE m.sender_id = chat_retry.sender_id AND m.client_msg_id = chat_retry.client_msg_id;
  IF FOUND AND stored.session_id IS DISTINCT FROM chat_retry.session_id THEN
    RAISE EXCEPTION 'this client_msg_id was already used for a message in another session'
      USING ERRCODE = 'PT409', HINT = 'Use a new uuid for every new message, and the same one only to retry it.';
  END IF;
  RETURN stored;
END
$function$;

COMMENT ON FUNCTION app.chat_retry(uuid,uuid,uuid) IS
  'The message a sender already stored with this client_msg_id (all fields NULL if none); 409 if it belongs to another session.';

COMMIT;
