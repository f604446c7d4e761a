-- Verify arkagentic:function_auth_jitsi on pg

BEGIN;

DO $$
DECLARE
  r text;
BEGIN
  ASSERT auth.hs256('{"a":1}', repeat('k', 32)) ~ '^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$', 'auth.hs256 must sign';
  FOREACH r IN ARRAY ARRAY['web_anon', 'player', 'agent_service', 'content_admin', 'jitsi_service', 'bridge', 'authenticator'] LOOP
    ASSERT NOT has_function_privilege(r, 'auth.jitsi_sign(jsonb)', 'EXECUTE'), r || ' must not sign Jitsi tokens';
    ASSERT NOT has_function_privilege(r, 'auth.set_jitsi_config(text, text, text, text)', 'EXECUTE'), r || ' must not configure Jitsi';
    ASSERT NOT has_function_privilege(r, 'auth.hs256(jsonb, text)', 'EXECUTE'), r || ' must not call auth.hs256';
  END LOOP;
END
$$;

ROLLBACK;
