-- Deploy arkagentic:function_api_chat_client_msg_id to pg (reworked after v0.4.1)
-- requires: table_user_blocks
-- send_message (issue 9, section 3, private chat consent): a player blocked by the other participant of
-- a private session can no longer post into it. The refusal is the 404 of a session that is not theirs,
-- so they do not learn of the block; what is already stored stays readable to both. No other path
-- stores a player's message in a private session (the bridge's socket carries no chat sends).

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
   WHERE s.id = send_message.session_id AND me IN (s.user_id, s.other_user_id)
     -- The other participant of a private session may have blocked the sender (one primary-key probe;
     -- other_user_id is NULL in agent and proximity sessions, which match nothing).
     AND NOT EXISTS (SELECT FROM app.user_blocks b
                      WHERE b.blocker = CASE WHEN s.user_id = me THEN s.other_user_id ELSE s.user_id END
                        AND b.blocked = me);
  IF NOT FOUND THEN
    -- Someone else's session answers like a missing one: its existence is private too. A session whose
    -- other participant blocked the sender answers the same, so the sender is not told of the block.
    PERFORM app.raise_api_error(404, 'PT404', 'unknown chat session',
                                'Open one with /rpc/start_chat; GET /chat_sessions lists yours.',
                                pg_catalog.jsonb_build_object('session_id', send_message.session_id));
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
other than newline; 404 for a session that is not yours, or whose other player blocked you; 429 over the
rate limit (20 per 10 s by default), with retry_after in details.';

COMMIT;
