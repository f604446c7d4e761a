-- Verify arkagentic:table_chat_unread_counts on pg

BEGIN;

SELECT session_id, user_id, read_upto, unread_count FROM app.chat_unread_counts WHERE false;

DO $$
BEGIN
  ASSERT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'app.chat_unread_counts'::regclass),
    'app.chat_unread_counts must have row-level security enabled and forced';
  ASSERT (SELECT count(*) FROM pg_trigger
           WHERE tgname IN ('chat_unread_add_participants', 'chat_unread_count_inserted', 'chat_unread_count_deleted',
                            'chat_unread_follow_marker') AND NOT tgisinternal) = 4,
    'the four triggers that keep the unread counts must exist';
  -- Every participant of every session has a row.
  ASSERT NOT EXISTS (SELECT FROM app.chat_sessions s
                      CROSS JOIN LATERAL (VALUES (s.user_id), (s.other_user_id)) AS p(user_id)
                      WHERE p.user_id IS NOT NULL
                        AND NOT EXISTS (SELECT FROM app.chat_unread_counts u
                                         WHERE u.session_id = s.id AND u.user_id = p.user_id)),
    'every participant of every session must have an unread row';
END
$$;

ROLLBACK;
