-- Revert arkagentic:function_realtime_chat from pg

BEGIN;

DROP FUNCTION realtime.agent_messages_after(bigint, integer);
DROP FUNCTION realtime.messages_after(uuid, bigint, integer);
DROP FUNCTION realtime.chat_feed(xid8, bigint, integer);

COMMIT;
