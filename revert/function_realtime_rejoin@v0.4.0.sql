-- Revert arkagentic:function_realtime_rejoin from pg

BEGIN;

DROP FUNCTION realtime.rejoin_room(text, jsonb);

COMMIT;
