-- Revert arkagentic:function_app_presence from pg

BEGIN;

DROP FUNCTION app.presence_set_status(uuid, text);
DROP FUNCTION app.presence_leave(uuid, text);
DROP FUNCTION app.presence_move(uuid, integer, integer, text, timestamptz);
DROP FUNCTION app.presence_enter(uuid, text, text);
DROP FUNCTION app.presence_state(uuid);
DROP FUNCTION app.presence_player(uuid);
DROP FUNCTION app.presence_notify(jsonb);

COMMIT;
