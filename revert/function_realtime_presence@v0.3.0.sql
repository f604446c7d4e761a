-- Revert arkagentic:function_realtime_presence from pg

BEGIN;

DROP FUNCTION realtime.room_state(text);
DROP FUNCTION realtime.sweep(interval, interval);
DROP FUNCTION realtime.touch(uuid[]);
DROP FUNCTION realtime.leave(uuid, text);
DROP FUNCTION realtime.set_status(uuid, text);
DROP FUNCTION realtime.apply_moves(jsonb);
DROP FUNCTION realtime.join(uuid, text, text);

COMMIT;
