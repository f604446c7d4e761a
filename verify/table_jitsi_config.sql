-- Verify arkagentic:table_jitsi_config on pg

BEGIN;

SELECT singleton, domain, app_id, app_secret, audience, updated_at FROM auth.jitsi_config WHERE false;
DO $$
DECLARE
  r text;
BEGIN
  ASSERT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'auth.jitsi_config'::regclass),
    'row-level security must be enabled and forced on auth.jitsi_config';
  FOREACH r IN ARRAY ARRAY['web_anon', 'player', 'agent_service', 'content_admin', 'jitsi_service', 'bridge', 'authenticator'] LOOP
    ASSERT NOT has_table_privilege(r, 'auth.jitsi_config', 'SELECT'), r || ' must not read auth.jitsi_config';
  END LOOP;
END
$$;

ROLLBACK;
