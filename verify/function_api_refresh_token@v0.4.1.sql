-- Verify arkagentic:function_api_refresh_token on pg

BEGIN;

DO $$
BEGIN
  ASSERT (SELECT prosecdef = true AND proconfig IS NOT NULL AND EXISTS (
            SELECT FROM unnest(proconfig) c WHERE c LIKE 'search_path=%')
            FROM pg_proc WHERE oid = 'api.refresh_token()'::regprocedure),
    'api.refresh_token() must pin its search_path (and be SECURITY DEFINER only where intended)';
  ASSERT has_function_privilege('player', 'api.refresh_token()', 'EXECUTE'), 'player must execute api.refresh_token()';
  ASSERT NOT has_function_privilege('web_anon', 'api.refresh_token()', 'EXECUTE'), 'web_anon must not execute api.refresh_token()';
  ASSERT NOT has_function_privilege('public', 'api.refresh_token()', 'EXECUTE'), 'PUBLIC must not execute api.refresh_token()';
END
$$;

ROLLBACK;
