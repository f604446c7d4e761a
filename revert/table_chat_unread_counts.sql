-- Revert arkagentic:table_chat_unread_counts from pg

BEGIN;

DROP TRIGGER chat_unread_follow_marker ON app.chat_read_markers;
DROP TRIGGER chat_unread_count_deleted ON app.chat_messages;
DROP TRIGGER chat_unread_count_inserted ON app.chat_messages;
DROP TRIGGER chat_unread_add_participants ON app.chat_sessions;
DROP FUNCTION app.chat_unread_follow_marker();
DROP FUNCTION app.chat_unread_count_messages();
DROP FUNCTION app.chat_unread_add_participants();
DROP TABLE app.chat_unread_counts;

COMMIT;
