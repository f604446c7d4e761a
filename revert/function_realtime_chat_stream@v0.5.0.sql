-- Revert arkagentic:function_realtime_chat_stream from pg
-- Back to the pages of v0.4.0 (and of v0.4.1): each message found by a join.

BEGIN;

CREATE OR REPLACE FUNCTION realtime.chat_stream(after_position bigint, max_rows integer DEFAULT 1000) RETURNS jsonb
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

CREATE OR REPLACE FUNCTION realtime.chat_replay(user_id uuid, after_position bigint, max_rows integer DEFAULT 500) RETURNS jsonb
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

CREATE OR REPLACE FUNCTION realtime.agent_chat_replay(after_position bigint, max_rows integer DEFAULT 500) RETURNS jsonb
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

COMMIT;
