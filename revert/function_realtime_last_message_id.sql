-- Revert arkagentic:function_realtime_last_message_id from pg

BEGIN;

DROP FUNCTION realtime.last_message_id();

COMMIT;
