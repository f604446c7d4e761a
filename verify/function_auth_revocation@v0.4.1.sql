-- Verify arkagentic:function_auth_revocation on pg

BEGIN;

DO $$
BEGIN
  ASSERT has_function_privilege('player', 'api.logout()', 'EXECUTE'), 'player must execute api.logout()';
  ASSERT has_function_privilege('content_admin', 'api.logout_everywhere()', 'EXECUTE'),
    'content_admin must execute api.logout_everywhere()';
  ASSERT NOT has_function_privilege('web_anon', 'api.logout()', 'EXECUTE'), 'web_anon must not execute api.logout()';
  ASSERT has_function_privilege('web_anon', 'auth.check_request()', 'EXECUTE'), 'every API role runs the pre-request check';
  ASSERT NOT has_function_privilege('player', 'auth.token_revoked(jsonb)', 'EXECUTE'), 'player must not probe revocations';
  ASSERT has_function_privilege('bridge', 'realtime.revoked_tokens(jsonb)', 'EXECUTE'), 'the bridge checks its sockets';
  ASSERT NOT has_function_privilege('player', 'realtime.revoked_tokens(jsonb)', 'EXECUTE'), 'player must not';
  ASSERT (SELECT bool_and(proconfig IS NOT NULL) FROM pg_proc
           WHERE oid IN ('api.logout()'::regprocedure, 'api.logout_everywhere()'::regprocedure,
                         'auth.check_request()'::regprocedure, 'realtime.revoked_tokens(jsonb)'::regprocedure)),
    'SECURITY DEFINER functions must pin search_path';
  PERFORM set_config('request.jwt.claims', '{"role":"player","sub":"00000000-0000-0000-0000-000000000000","sid":"00000000-0000-0000-0000-000000000001","gen":0}', true);
  PERFORM auth.check_request();
END
$$;

ROLLBACK;
