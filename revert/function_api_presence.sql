-- Revert arkagentic:function_api_presence from pg

BEGIN;

DROP VIEW api.presence;
DROP FUNCTION api.leave_room();
DROP FUNCTION api.move(integer, integer, text);
DROP FUNCTION api.enter_room(text);

COMMIT;
