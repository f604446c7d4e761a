-- Verify arkagentic:function_auth_jwt on pg

BEGIN;

DO $$
BEGIN
  ASSERT auth.base64url('\xfbff'::bytea) = '-_8', 'base64url must use -_ and no padding';
  PERFORM auth.set_jwt_secret(repeat('k', 32));
  ASSERT split_part(auth.sign('{"role":"player"}'), '.', 1) = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
    'the JWT header must be HS256';
  ASSERT NOT has_function_privilege('player', 'auth.sign(jsonb)', 'EXECUTE'), 'player must not sign tokens';
  ASSERT NOT has_function_privilege('web_anon', 'auth.issue_service_token(text, interval)', 'EXECUTE'),
    'web_anon must not issue service tokens';
END
$$;

ROLLBACK;
