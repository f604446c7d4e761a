-- Deploy arkagentic:function_realtime_chat to pg
-- requires: schema_realtime function_app_chat table_chat_messages_txid
-- What the bridge calls for chat: the tail of new messages with their audiences, and the replay of
-- what a socket missed (resume). The audience rules match the RLS policies of app.chat_messages.

BEGIN;

CREATE FUNCTION realtime.chat_feed(since xid8, after_id bigint DEFAULT 0, max_rows integer DEFAULT 1000) RETURNS jsonb
  LANGUAGE plpgsql STABLE
  SECURITY DEFINER
  SET search_path = ''
  AS $fn$
DECLARE
  feed jsonb;
BEGIN
  -- Every message stored by a transaction at or after `since`, with its audience, and the xmin of
  -- this call's snapshot: the oldest transaction still running, whose messages this call cannot see
  -- yet. Passing that xmin as the next `since` re-reads a short window (the reader drops ids it has
  -- already handled) and never skips a message, whatever order its writers commit in. A full page is
  -- continued with after_id = its last id and the same since; the reader then keeps the xmin of the
  -- page that began the run, so a message committed meanwhile with a lower id is read next time.
  --
  -- EXECUTE plans with the actual since: a generic plan would guess that a third of the table has
  -- txid >= since and read it all, where the txid index finds the few rows of the last moments.
  EXECUTE $q$
    SELECT pg_catalog.jsonb_build_object(
             'xmin', pg_catalog.pg_snapshot_xmin(pg_catalog.pg_current_snapshot())::text,
             'messages', coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                 'message_id', m.id,
                 'txid', m.txid::text,
                 -- The same readers as the RLS policies of app.chat_messages: the session's players and
                 -- the recipients stored with a proximity message.
                 'audience', pg_catalog.to_jsonb(pg_catalog.array_remove(
                               ARRAY[s.user_id, s.other_user_id]
                               || ARRAY(SELECT r.user_id FROM app.chat_message_recipients r WHERE r.message_id = m.id),
                               NULL)),
                 'agent_service', s.type = 'agent' AND m.sender_type = 'user',
                 'message', pg_catalog.jsonb_build_object(
                   'id', m.id, 'session_id', m.session_id, 'type', s.type, 'sender_type', m.sender_type,
                   'sender_id', m.sender_id, 'sender_name', m.sender_name, 'content', m.content,
                   'created_at', m.created_at))
               ORDER BY m.id), '[]'::jsonb))
      FROM (SELECT * FROM app.chat_messages c
             WHERE $1 IS NOT NULL AND c.txid >= $1 AND c.id > $2
             ORDER BY c.id
             LIMIT least(greatest($3, 1), 10000)) m
      JOIN app.chat_sessions s ON s.id = m.session_id
  $q$ INTO feed USING since, after_id, max_rows;
  RETURN feed;
END
$fn$;
COMMENT ON FUNCTION realtime.chat_feed(xid8, bigint, integer) IS
  'The bridge''s chat tail: {xmin, messages: [{message_id, txid, audience, agent_service, message}]}, at most max_rows (10000) messages with id > after_id stored at or after transaction since (none when since is NULL); pass xmin back as the next since.';
GRANT EXECUTE ON FUNCTION realtime.chat_feed(xid8, bigint, integer) TO bridge;

CREATE FUNCTION realtime.messages_after(user_id uuid, after_id bigint, max_rows integer DEFAULT 500) RETURNS jsonb
  LANGUAGE sql STABLE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
  SELECT coalesce(pg_catalog.jsonb_agg(app.chat_message_json(m) ORDER BY m.id), '[]'::jsonb)
    FROM (SELECT m.*
            FROM app.chat_messages m
           WHERE m.id > after_id
             AND (m.session_id IN (SELECT s.id FROM app.chat_sessions s
                                    WHERE s.user_id = messages_after.user_id OR s.other_user_id = messages_after.user_id)
                  OR m.id IN (SELECT r.message_id FROM app.chat_message_recipients r
                               WHERE r.user_id = messages_after.user_id AND r.message_id > after_id))
           ORDER BY m.id
           LIMIT least(greatest(max_rows, 1), 1000)) m
$$;
COMMENT ON FUNCTION realtime.messages_after(uuid, bigint, integer) IS
  'Messages the user can read with id > after_id, in id order, at most max_rows (1000): a resume page.';
GRANT EXECUTE ON FUNCTION realtime.messages_after(uuid, bigint, integer) TO bridge;

CREATE FUNCTION realtime.agent_messages_after(after_id bigint, max_rows integer DEFAULT 500) RETURNS jsonb
  LANGUAGE sql STABLE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
  SELECT coalesce(pg_catalog.jsonb_agg(app.chat_message_json(m) ORDER BY m.id), '[]'::jsonb)
    FROM (SELECT m.*
            FROM app.chat_messages m
            JOIN app.chat_sessions s ON s.id = m.session_id
           WHERE m.id > after_id AND s.type = 'agent' AND m.sender_type = 'user'
           ORDER BY m.id
           LIMIT least(greatest(max_rows, 1), 1000)) m
$$;
COMMENT ON FUNCTION realtime.agent_messages_after(bigint, integer) IS
  'Users'' messages in agent sessions with id > after_id: the agent worker''s resume page.';
GRANT EXECUTE ON FUNCTION realtime.agent_messages_after(bigint, integer) TO bridge;

COMMIT;
