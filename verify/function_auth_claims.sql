-- Verify arkagentic:function_auth_claims on pg

BEGIN;

SELECT set_config('request.jwt.claims', '{"sub":"7d3b0c58-5a0b-4c2e-9d8b-0a1d2e3f4a5b","role":"player"}', true);
DO $$
BEGIN
  ASSERT auth.user_id() = '7d3b0c58-5a0b-4c2e-9d8b-0a1d2e3f4a5b', 'auth.user_id() must read the sub claim';
  ASSERT has_function_privilege('player', 'auth.user_id()', 'EXECUTE'), 'player must execute auth.user_id()';
  ASSERT NOT has_function_privilege('public', 'auth.user_id()', 'EXECUTE'), 'PUBLIC must not execute auth.user_id()';
END
$$;

ROLLBACK;
