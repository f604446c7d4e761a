-- Verify arkagentic:table_chat_log on pg

BEGIN;

DO $$
BEGIN
  PERFORM position, message_id, session_id FROM app.chat_log WHERE false;
  ASSERT (SELECT count(*) FROM app.chat_log_state) = 1, 'chat_log_state must have its one row';
  ASSERT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'app.chat_log'::regclass),
    'chat_log must have row-level security enabled and forced';
  ASSERT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'app.chat_log_state'::regclass),
    'chat_log_state must have row-level security enabled and forced';
  ASSERT NOT EXISTS (SELECT FROM app.chat_messages m WHERE NOT EXISTS (SELECT FROM app.chat_log l WHERE l.message_id = m.id)
                        AND pg_visible_in_snapshot(m.txid, (SELECT snapshot FROM app.chat_log_state))),
    'every message the last stamp could see must have a position';
  ASSERT NOT has_table_privilege('player', 'app.chat_log', 'SELECT'), 'player must not read chat_log';
  ASSERT NOT has_table_privilege('bridge', 'app.chat_log', 'SELECT'), 'bridge reads chat_log only through realtime functions';
END
$$;

ROLLBACK;
