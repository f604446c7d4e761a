-- Revert arkagentic:function_rooms_keep_contents_inside_definer from pg

BEGIN;

ALTER FUNCTION app.rooms_keep_contents_inside() SECURITY INVOKER RESET search_path;

COMMIT;
