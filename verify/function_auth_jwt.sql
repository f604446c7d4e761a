-- Verify arkagentic:function_auth_jwt on pg

BEGIN;

DO $$
DECLARE
  claims jsonb;
  payload text;
BEGIN
  ASSERT auth.base64url('\xfbff'::bytea) = '-_8', 'base64url must use -_ and no padding';
  PERFORM auth.set_jwt_secret(repeat('k', 32));
  ASSERT split_part(auth.sign('{"role":"player"}'), '.', 1) = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
    'the JWT header must be HS256';
  payload := translate(split_part(auth.issue_service_token('agent_service'), '.', 2), '-_', '+/');
  claims := convert_from(decode(rpad(payload, (length(payload) + 3) / 4 * 4, '='), 'base64'), 'UTF8')::jsonb;
  ASSERT claims ? 'sid' AND claims ? 'gen', 'service tokens must carry sid and gen';
  ASSERT NOT has_function_privilege('player', 'auth.sign(jsonb)', 'EXECUTE'), 'player must not sign tokens';
  ASSERT NOT has_function_privilege('web_anon', 'auth.issue_service_token(text, interval)', 'EXECUTE'),
    'web_anon must not issue service tokens';
  ASSERT NOT has_function_privilege('player', 'auth.issue_session_token(uuid, uuid, integer, interval)', 'EXECUTE'),
    'player must not issue session tokens';
END
$$;

ROLLBACK;
