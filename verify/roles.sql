-- Verify arkagentic:roles on pg

BEGIN;

DO $$
BEGIN
  ASSERT (SELECT rolcanlogin AND NOT rolinherit FROM pg_roles WHERE rolname = 'authenticator'),
    'authenticator must be LOGIN NOINHERIT';
  ASSERT (SELECT rolcanlogin FROM pg_roles WHERE rolname = 'bridge'), 'bridge must be LOGIN';
  ASSERT (SELECT count(*) FROM pg_roles
           WHERE rolname IN ('web_anon', 'player', 'agent_service', 'content_admin')
             AND NOT rolcanlogin AND NOT rolsuper AND NOT rolbypassrls) = 4,
    'API roles must exist, without login, superuser or BYPASSRLS';
  ASSERT pg_has_role('authenticator', 'player', 'MEMBER'), 'authenticator must be able to switch to player';
  ASSERT NOT pg_has_role('authenticator', 'bridge', 'MEMBER'), 'authenticator must not become bridge';
END
$$;

ROLLBACK;
