-- Deploy arkagentic:function_realtime_chat_stream to pg
-- requires: table_chat_log function_realtime_chat function_realtime_last_message_id
--
-- What the bridge calls for chat since the stream positions of app.chat_log: stamp new messages,
-- tail the stream, and replay a reader's messages after a position (resume). They replace
-- realtime.chat_feed, which re-read every message since the oldest running transaction on every
-- call (1.7 s per call behind a migration), and realtime.last_message_id, an id cursor that could
-- skip a message committed late.

BEGIN;

CREATE FUNCTION realtime.chat_stamp(wait boolean DEFAULT false) RETURNS bigint
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  -- The txid range differs on every call: a generic plan would guess a third of the table.
  SET plan_cache_mode = force_custom_plan
  AS $$
DECLARE
  last_seen pg_snapshot;
BEGIN
  -- One sequencer at a time (the key is 'arkchat' as a number), and the next one starts after this
  -- one committed: so its positions are all higher, and a reader that sees a position sees every
  -- lower one. The bridge's tail does not wait: another bridge stamping right now does its work.
  -- A new socket waits, so that every message committed before it came is below its cursor.
  -- Its own transaction, always: the snapshot it stores must not see writes of the transaction that
  -- stores it, or the next call would take this transaction's own messages for new ones, forever.
  IF pg_catalog.pg_current_xact_id_if_assigned() IS NOT NULL THEN
    RAISE EXCEPTION 'realtime.chat_stamp must run in a transaction of its own, before anything in it writes'
      USING ERRCODE = 'active_sql_transaction', HINT = 'Call it in autocommit mode, as the bridge does.';
  END IF;
  -- A position may be delivered as soon as this commits, so the commit is flushed, whatever the
  -- installation's synchronous_commit: a crash must not take back a position a client was given. The
  -- flush covers the messages it stamps too, which committed before it.
  PERFORM pg_catalog.set_config('synchronous_commit', 'on', true);
  IF wait THEN
    PERFORM pg_catalog.pg_advisory_xact_lock(27428878295785844);
  ELSIF NOT pg_catalog.pg_try_advisory_xact_lock(27428878295785844) THEN
    RETURN NULL;
  END IF;
  SELECT s.snapshot INTO last_seen FROM app.chat_log_state s;
  -- One statement, so the messages it stamps and the snapshot it stores are the same snapshot's.
  -- What the last snapshot could not see: transactions at or above its xmax, or then running.
  WITH fresh AS (
    INSERT INTO app.chat_log (message_id, session_id)
    SELECT m.id, m.session_id FROM app.chat_messages m
     WHERE m.txid >= pg_catalog.pg_snapshot_xmax(last_seen)
        OR m.txid = ANY (ARRAY(SELECT pg_catalog.pg_snapshot_xip(last_seen)))
     ORDER BY m.id
    RETURNING 1)
  -- Nothing new, nothing written: an idle stream costs no WAL and no commit flush.
  UPDATE app.chat_log_state s SET snapshot = pg_catalog.pg_current_snapshot()
   WHERE EXISTS (SELECT FROM fresh);
  -- This transaction's own positions included: the caller gets the result only once it committed.
  RETURN (SELECT coalesce(pg_catalog.max(l.position), 0) FROM app.chat_log l);
END
$$;
COMMENT ON FUNCTION realtime.chat_stamp(boolean) IS
  'Gives every chat message committed since the last call its stream position and returns the highest position. Any bridge may call it; without wait, a call while another bridge stamps returns NULL at once.';
GRANT EXECUTE ON FUNCTION realtime.chat_stamp(boolean) TO bridge;

CREATE FUNCTION realtime.chat_head() RETURNS bigint
  LANGUAGE sql STABLE
  SECURITY DEFINER
  SET search_path = ''
  AS $$ SELECT coalesce(pg_catalog.max(l.position), 0) FROM app.chat_log l $$;
COMMENT ON FUNCTION realtime.chat_head() IS 'The highest stream position (0 when there is none): where a bridge''s tail starts.';
GRANT EXECUTE ON FUNCTION realtime.chat_head() TO bridge;

CREATE FUNCTION realtime.chat_stream(after_position bigint, max_rows integer DEFAULT 1000) RETURNS jsonb
  LANGUAGE sql STABLE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
  SELECT coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
             'position', l.position,
             'message_id', m.id,
             -- The same readers as the RLS policies of app.chat_messages: the session's players and the
             -- recipients stored with a proximity message.
             'audience', pg_catalog.to_jsonb(pg_catalog.array_remove(
                           ARRAY[s.user_id, s.other_user_id]
                           || ARRAY(SELECT r.user_id FROM app.chat_message_recipients r WHERE r.message_id = m.id),
                           NULL)),
             'agent_service', s.type = 'agent' AND m.sender_type = 'user',
             'message', pg_catalog.jsonb_build_object(
               'id', m.id, 'session_id', m.session_id, 'type', s.type, 'sender_type', m.sender_type,
               'sender_id', m.sender_id, 'sender_name', m.sender_name, 'content', m.content,
               'created_at', m.created_at))
           ORDER BY l.position), '[]'::jsonb)
    FROM (SELECT * FROM app.chat_log l
           WHERE l.position > coalesce(chat_stream.after_position, 0)
           ORDER BY l.position
           LIMIT least(greatest(chat_stream.max_rows, 1), 10000)) l
    JOIN app.chat_messages m ON m.id = l.message_id
    JOIN app.chat_sessions s ON s.id = l.session_id
$$;
COMMENT ON FUNCTION realtime.chat_stream(bigint, integer) IS
  'The bridge''s chat tail: [{position, message_id, audience, agent_service, message}] after after_position, in position order, at most max_rows (10000).';
GRANT EXECUTE ON FUNCTION realtime.chat_stream(bigint, integer) TO bridge;

CREATE FUNCTION realtime.chat_tail(after_position bigint, max_rows integer DEFAULT 1000) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
BEGIN
  -- One round trip per tick of the bridge's tail: stamp, then read the stream, own stamps included.
  -- The caller gets the answer only once this transaction has committed, so every position it delivers
  -- exists for good, and the positions it sees are still a prefix of the stream.
  PERFORM realtime.chat_stamp(false);
  RETURN realtime.chat_stream(after_position, max_rows);
END
$$;
COMMENT ON FUNCTION realtime.chat_tail(bigint, integer) IS
  'chat_stamp, then chat_stream: the bridge''s tail in one call.';
GRANT EXECUTE ON FUNCTION realtime.chat_tail(bigint, integer) TO bridge;

CREATE FUNCTION realtime.chat_replay(user_id uuid, after_position bigint, max_rows integer DEFAULT 500) RETURNS jsonb
  LANGUAGE sql STABLE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
  -- head and messages come from one snapshot: every position up to head that the user may read is in
  -- this page or, when the page is full, after its last position.
  SELECT pg_catalog.jsonb_build_object(
    'head', (SELECT coalesce(pg_catalog.max(h.position), 0) FROM app.chat_log h),
    'messages', coalesce((
      SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('position', p.position, 'message', app.chat_message_json(m))
                                  ORDER BY p.position)
        FROM (
          -- By reader, through indexes: each of the user's sessions, then its positions; the proximity
          -- messages they heard, then theirs. Never a scan of the whole stream.
          SELECT theirs.position, theirs.message_id
            FROM (SELECT s.id FROM app.chat_sessions s WHERE s.user_id = chat_replay.user_id
                  UNION ALL
                  SELECT s.id FROM app.chat_sessions s WHERE s.other_user_id = chat_replay.user_id) mine
           CROSS JOIN LATERAL (
                  SELECT l.position, l.message_id FROM app.chat_log l
                   WHERE l.session_id = mine.id AND l.position > coalesce(chat_replay.after_position, 0)
                   ORDER BY l.position
                   LIMIT least(greatest(chat_replay.max_rows, 1), 1000)) theirs
          UNION
          SELECT l.position, l.message_id FROM app.chat_message_recipients r
            JOIN app.chat_log l ON l.message_id = r.message_id
           WHERE r.user_id = chat_replay.user_id AND l.position > coalesce(chat_replay.after_position, 0)
          ORDER BY 1
          LIMIT least(greatest(chat_replay.max_rows, 1), 1000)) p
        JOIN app.chat_messages m ON m.id = p.message_id), '[]'::jsonb))
$$;
COMMENT ON FUNCTION realtime.chat_replay(uuid, bigint, integer) IS
  'A resume page: {head, messages: [{position, message}]}, the messages the user can read after after_position, in position order, at most max_rows (1000); head is the highest position of the same snapshot.';
GRANT EXECUTE ON FUNCTION realtime.chat_replay(uuid, bigint, integer) TO bridge;

CREATE FUNCTION realtime.agent_chat_replay(after_position bigint, max_rows integer DEFAULT 500) RETURNS jsonb
  LANGUAGE sql STABLE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
  SELECT pg_catalog.jsonb_build_object(
    'head', (SELECT coalesce(pg_catalog.max(h.position), 0) FROM app.chat_log h),
    'messages', coalesce((
      SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('position', p.position, 'message', app.chat_message_json(m))
                                  ORDER BY p.position)
        FROM (SELECT l.position, l.message_id FROM app.chat_log l
                JOIN app.chat_sessions s ON s.id = l.session_id AND s.type = 'agent'
                JOIN app.chat_messages u ON u.id = l.message_id AND u.sender_type = 'user'
               WHERE l.position > coalesce(agent_chat_replay.after_position, 0)
               ORDER BY l.position
               LIMIT least(greatest(agent_chat_replay.max_rows, 1), 1000)) p
        JOIN app.chat_messages m ON m.id = p.message_id), '[]'::jsonb))
$$;
COMMENT ON FUNCTION realtime.agent_chat_replay(bigint, integer) IS
  'The agent worker''s resume page: {head, messages: [{position, message}]}, users'' messages in agent sessions after after_position.';
GRANT EXECUTE ON FUNCTION realtime.agent_chat_replay(bigint, integer) TO bridge;

DROP FUNCTION realtime.chat_feed(xid8, bigint, integer);
DROP FUNCTION realtime.last_message_id();

COMMIT;
