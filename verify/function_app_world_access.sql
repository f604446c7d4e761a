-- Verify arkagentic:function_app_world_access on pg

BEGIN;

SELECT 'app.readable_world_ids(uuid)'::regprocedure, 'app.readable_world_ids()'::regprocedure,
       'app.editable_world_ids()'::regprocedure, 'app.member_world_ids()'::regprocedure,
       'app.installation_world_ids(boolean)'::regprocedure, 'app.admin_readable_world_ids()'::regprocedure, 'app.world_role(uuid, uuid)'::regprocedure,
       'app.world_banned(uuid, uuid)'::regprocedure, 'app.world_may_enter(app.worlds, uuid)'::regprocedure,
       'app.world_by_slug(text, uuid)'::regprocedure;
DO $$
BEGIN
  IF NOT (SELECT (SELECT id FROM app.worlds WHERE slug = 'ark') = ANY (app.readable_world_ids(NULL))) THEN
    RAISE EXCEPTION 'the public ark world is not readable by everyone';
  END IF;
END
$$;

ROLLBACK;
