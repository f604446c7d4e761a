-- Verify arkagentic:function_api_publish_prompt on pg

BEGIN;

DO $$
BEGIN
  ASSERT (SELECT prosecdef = false AND proconfig IS NOT NULL AND EXISTS (
            SELECT FROM unnest(proconfig) c WHERE c LIKE 'search_path=%')
            FROM pg_proc WHERE oid = 'api.publish_prompt(text, text)'::regprocedure),
    'api.publish_prompt(text, text) must pin its search_path (and be SECURITY DEFINER only where intended)';
  ASSERT has_function_privilege('content_admin', 'api.publish_prompt(text, text)', 'EXECUTE'), 'content_admin must execute api.publish_prompt(text, text)';
  ASSERT NOT has_function_privilege('player', 'api.publish_prompt(text, text)', 'EXECUTE'), 'player must not execute api.publish_prompt(text, text)';
  ASSERT NOT has_function_privilege('public', 'api.publish_prompt(text, text)', 'EXECUTE'), 'PUBLIC must not execute api.publish_prompt(text, text)';
END
$$;

ROLLBACK;
