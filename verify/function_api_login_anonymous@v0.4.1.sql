-- Verify arkagentic:function_api_login_anonymous on pg

BEGIN;

DO $$
BEGIN
  ASSERT (SELECT prosecdef = true AND proconfig IS NOT NULL AND EXISTS (
            SELECT FROM unnest(proconfig) c WHERE c LIKE 'search_path=%')
            FROM pg_proc WHERE oid = 'api.login_anonymous(text, text)'::regprocedure),
    'api.login_anonymous(text, text) must pin its search_path (and be SECURITY DEFINER only where intended)';
  ASSERT has_function_privilege('web_anon', 'api.login_anonymous(text, text)', 'EXECUTE'), 'web_anon must execute api.login_anonymous(text, text)';
  ASSERT NOT has_function_privilege('content_admin', 'api.login_anonymous(text, text)', 'EXECUTE'), 'content_admin must not execute api.login_anonymous(text, text)';
  ASSERT NOT has_function_privilege('public', 'api.login_anonymous(text, text)', 'EXECUTE'), 'PUBLIC must not execute api.login_anonymous(text, text)';
END
$$;

ROLLBACK;
