-- Verify arkagentic:function_api_worlds on pg
-- A verify script must RAISE to fail: a query that returns false still passes.

BEGIN;

DO $$
DECLARE
  fn regprocedure;
BEGIN
  FOREACH fn IN ARRAY ARRAY[
      'api.create_world(text,text,text,text)'::regprocedure, 'api.get_world(text)'::regprocedure,
      'api.archive_world(text)'::regprocedure, 'api.restore_world(text)'::regprocedure,
      'api.invite(text,text,integer,integer,text)'::regprocedure, 'api.revoke_invitation(uuid)'::regprocedure,
      'api.accept_invitation(text)'::regprocedure, 'api.set_member_role(text,uuid,text)'::regprocedure,
      'api.transfer_ownership(text,uuid)'::regprocedure, 'api.remove_member(text,uuid)'::regprocedure,
      'api.leave_world(text)'::regprocedure, 'api.ban(text,uuid,text,timestamptz)'::regprocedure,
      'api.unban(text,uuid)'::regprocedure, 'app.world_visible(text,uuid,boolean)'::regprocedure,
      'app.world_managed(text,uuid,text[],text)'::regprocedure, 'app.world_caller()'::regprocedure,
      'app.world_member_role(app.worlds,uuid)'::regprocedure, 'app.listed_world_ids()'::regprocedure,
      'app.my_world_role(uuid)'::regprocedure, 'app.invitation_refused()'::regprocedure] LOOP
    ASSERT (SELECT 'search_path=""' = ANY (proconfig) AND (prosecdef OR pronamespace <> 'api'::regnamespace) FROM pg_proc WHERE oid = fn),
      fn::text || ' must pin its search_path (and be SECURITY DEFINER in api)';
    ASSERT (SELECT prosrc !~ 'ERRCODE = ''PT' FROM pg_proc WHERE oid = fn), fn::text || ' must not raise PTxyz itself';
    ASSERT obj_description(fn, 'pg_proc') IS NOT NULL, fn::text || ' must have a comment';
    ASSERT fn::text IN ('api.get_world(text)', 'app.listed_world_ids()', 'app.my_world_role(uuid)')
           OR NOT has_function_privilege('web_anon', fn, 'EXECUTE'), fn::text || ' must not be executable without a token';
  END LOOP;
END
$$;

ROLLBACK;
