-- Verify arkagentic:function_api_register on pg

BEGIN;

DO $$
BEGIN
  ASSERT (SELECT prosecdef = true AND proconfig IS NOT NULL AND EXISTS (
            SELECT FROM unnest(proconfig) c WHERE c LIKE 'search_path=%')
            FROM pg_proc WHERE oid = 'api.register(text, text)'::regprocedure),
    'api.register(text, text) must pin its search_path (and be SECURITY DEFINER only where intended)';
  ASSERT has_function_privilege('player', 'api.register(text, text)', 'EXECUTE'), 'player must execute api.register(text, text)';
  ASSERT NOT has_function_privilege('web_anon', 'api.register(text, text)', 'EXECUTE'), 'web_anon must not execute api.register(text, text)';
  ASSERT NOT has_function_privilege('public', 'api.register(text, text)', 'EXECUTE'), 'PUBLIC must not execute api.register(text, text)';
END
$$;

ROLLBACK;
