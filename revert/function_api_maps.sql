-- Revert arkagentic:function_api_maps from pg

BEGIN;

DROP FUNCTION app.dba_rederive_map(text, text);
DROP FUNCTION app.dba_publish_map(text, text, jsonb, text);
DROP FUNCTION api.restore_map(text, text, integer);
DROP FUNCTION api.publish_map(text, text, jsonb, text);
DROP FUNCTION api.validate_map(jsonb, text, text);
DROP FUNCTION app.map_world(text);
DROP FUNCTION app.map_publish(app.worlds, text, jsonb, text, text, uuid, integer);
DROP FUNCTION app.map_derive(uuid, integer, text, jsonb, bit varying, jsonb, jsonb, jsonb);
DROP FUNCTION app.map_refuse(jsonb);

COMMIT;
