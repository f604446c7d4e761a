-- Deploy arkagentic:function_realtime_chat_stream to pg
-- requires: table_chat_log function_realtime_chat function_realtime_last_message_id
--
-- The bridge's tail (chat_stream, every 20 ms) and the resume pages (chat_replay, agent_chat_replay)
-- looked their messages up with a join. SQL functions are planned for every call without their
-- arguments' values, so "position > $1" counted as a third of the stream, and for that many rows the
-- planner hash-joined a sequential scan of all of app.chat_messages: 22 ms per tick at 190,000
-- messages, 75 ms per agent resume page, growing with the history, on the path of every message.
-- Now each page of positions is taken through chat_log's key first and each message is looked up by
-- its key in a correlated subquery, which the planner runs as an index probe per entry whatever it
-- estimates. That plan is right for any position, so the functions are PL/pgSQL with a generic plan,
-- made once per connection: a SQL function is planned again on every call, and planning was most of
-- a tail call's time (about 2 ms of 2.5 for ten messages). chat_stamp, chat_head and chat_tail stand.

BEGIN;

CREATE OR REPLACE FUNCTION realtime.chat_stream(after_position bigint, max_rows integer DEFAULT 1000) RETURNS jsonb
  LANGUAGE plpgsql STABLE
  SECURITY DEFINER
  SET search_path = ''
  -- The plan is the same for every position, so it is made once per connection (see above).
  SET plan_cache_mode = force_generic_plan
  AS $$
BEGIN
  RETURN (
  -- The page of positions comes first, through chat_log's key; then each entry's message, session and
  -- recipients are looked up by key, one entry at a time (a correlated subquery is never turned into a
  -- join, so never into a scan of the whole table).
  -- Every position has its message (chat_log's foreign key cascades), so no entry is NULL.
  SELECT coalesce(pg_catalog.jsonb_agg(e.entry ORDER BY e.position), '[]'::jsonb)
    FROM (SELECT l.position,
                 (SELECT pg_catalog.jsonb_build_object(
                           'position', l.position,
                           'message_id', m.id,
                           -- The same readers as the RLS policies of app.chat_messages: the session's players
                           -- and the recipients stored with a proximity message.
                           'audience', pg_catalog.to_jsonb(pg_catalog.array_remove(
                                         ARRAY[s.user_id, s.other_user_id]
                                         || ARRAY(SELECT r.user_id FROM app.chat_message_recipients r WHERE r.message_id = m.id),
                                         NULL)),
                           'agent_service', s.type = 'agent' AND m.sender_type = 'user',
                           'message', pg_catalog.jsonb_build_object(
                             'id', m.id, 'session_id', m.session_id, 'type', s.type, 'sender_type', m.sender_type,
                             'sender_id', m.sender_id, 'sender_name', m.sender_name, 'content', m.content,
                             'created_at', m.created_at))
                    FROM app.chat_messages m, app.chat_sessions s
                   WHERE m.id = l.message_id AND s.id = l.session_id) AS entry
            FROM (SELECT l.position, l.message_id, l.session_id FROM app.chat_log l
                   WHERE l.position > coalesce(chat_stream.after_position, 0)
                   ORDER BY l.position
                   LIMIT least(greatest(chat_stream.max_rows, 1), 10000)) l) e
  );
END
$$;

CREATE OR REPLACE FUNCTION realtime.chat_replay(user_id uuid, after_position bigint, max_rows integer DEFAULT 500) RETURNS jsonb
  LANGUAGE plpgsql STABLE
  SECURITY DEFINER
  SET search_path = ''
  -- The plan is the same for every position, so it is made once per connection (see above).
  SET plan_cache_mode = force_generic_plan
  AS $$
BEGIN
  RETURN (
  -- head and messages come from one snapshot: every position up to head that the user may read is in
  -- this page or, when the page is full, after its last position.
  SELECT pg_catalog.jsonb_build_object(
    'head', (SELECT coalesce(pg_catalog.max(h.position), 0) FROM app.chat_log h),
    'messages', coalesce((
      SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('position', p.position, 'message',
                                    (SELECT app.chat_message_json(m) FROM app.chat_messages m WHERE m.id = p.message_id))
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
          LIMIT least(greatest(chat_replay.max_rows, 1), 1000)) p), '[]'::jsonb))
  );
END
$$;

CREATE OR REPLACE FUNCTION realtime.agent_chat_replay(after_position bigint, max_rows integer DEFAULT 500) RETURNS jsonb
  LANGUAGE plpgsql STABLE
  SECURITY DEFINER
  SET search_path = ''
  -- The plan is the same for every position, so it is made once per connection (see above).
  SET plan_cache_mode = force_generic_plan
  AS $$
BEGIN
  RETURN (
  SELECT pg_catalog.jsonb_build_object(
    'head', (SELECT coalesce(pg_catalog.max(h.position), 0) FROM app.chat_log h),
    'messages', coalesce((
      SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('position', p.position, 'message',
                                    (SELECT app.chat_message_json(m) FROM app.chat_messages m WHERE m.id = p.message_id))
                                  ORDER BY p.position)
        FROM (SELECT l.position, l.message_id FROM app.chat_log l
                JOIN app.chat_sessions s ON s.id = l.session_id AND s.type = 'agent'
                JOIN app.chat_messages u ON u.id = l.message_id AND u.sender_type = 'user'
               WHERE l.position > coalesce(agent_chat_replay.after_position, 0)
               ORDER BY l.position
               LIMIT least(greatest(agent_chat_replay.max_rows, 1), 1000)) p), '[]'::jsonb))
  );
END
$$;

COMMIT;
