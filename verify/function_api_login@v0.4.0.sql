-- Verify arkagentic:function_api_login on pg

BEGIN;

DO $$
BEGIN
  ASSERT (SELECT prosecdef = true AND proconfig IS NOT NULL AND EXISTS (
            SELECT FROM unnest(proconfig) c WHERE c LIKE 'search_path=%')
            FROM pg_proc WHERE oid = 'api.login(text, text)'::regprocedure),
    'api.login(text, text) must pin its search_path (and be SECURITY DEFINER only where intended)';
  ASSERT has_function_privilege('web_anon', 'api.login(text, text)', 'EXECUTE'), 'web_anon must execute api.login(text, text)';
  ASSERT NOT has_function_privilege('agent_service', 'api.login(text, text)', 'EXECUTE'), 'agent_service must not execute api.login(text, text)';
  ASSERT NOT has_function_privilege('public', 'api.login(text, text)', 'EXECUTE'), 'PUBLIC must not execute api.login(text, text)';
END
$$;

-- An email no address can have fails like a wrong password and leaves no throttle row behind.
DO $$
BEGIN
  ASSERT api.login(repeat('a', 3000) || '@example.org', 'whatever1') ->> 'code' = '28P01',
    'an over-long email must fail like a wrong password';
  ASSERT NOT EXISTS (SELECT FROM auth.login_throttle WHERE char_length(email) > 254),
    'an over-long email must not be recorded';
END
$$;

ROLLBACK;
