-- Revert arkagentic:function_realtime_chat_stream from pg
-- Back to the tail by transaction id and the id cursor, as function_realtime_chat and
-- function_realtime_last_message_id made them.

BEGIN;

DROP FUNCTION realtime.agent_chat_replay(bigint, integer);
DROP FUNCTION realtime.chat_replay(uuid, bigint, integer);
DROP FUNCTION realtime.chat_tail(bigint, integer);
DROP FUNCTION realtime.chat_stream(bigint, integer);
DROP FUNCTION realtime.chat_head();
DROP FUNCTION realtime.chat_stamp(boolean);

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

CREATE FUNCTION realtime.last_message_id() RETURNS bigint
  LANGUAGE sql STABLE
  SECURITY DEFINER
  SET search_path = ''
  AS $$ SELECT coalesce(pg_catalog.max(m.id), 0) FROM app.chat_messages m $$;
COMMENT ON FUNCTION realtime.last_message_id() IS 'The newest message id (0 when there is none): the starting chat cursor of a new socket.';
GRANT EXECUTE ON FUNCTION realtime.last_message_id() TO bridge;

COMMIT;
