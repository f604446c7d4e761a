-- Revert arkagentic:function_app_map_check from pg

BEGIN;

DROP FUNCTION app.map_check(jsonb, uuid, uuid);
DROP FUNCTION app.map_slugify(text);
DROP FUNCTION app.map_prop(jsonb, text);
DROP FUNCTION app.map_num(jsonb);
DROP FUNCTION app.map_int(jsonb);
DROP FUNCTION app.map_problem(text, text, text);

COMMIT;
