-- Verify arkagentic:roles_jitsi_service on pg

BEGIN;

DO $$
BEGIN
  ASSERT (SELECT NOT rolcanlogin AND NOT rolsuper FROM pg_roles WHERE rolname = 'jitsi_service'),
    'jitsi_service must exist and be NOLOGIN';
  ASSERT pg_has_role('authenticator', 'jitsi_service', 'MEMBER'), 'authenticator must be able to switch to jitsi_service';
  ASSERT has_schema_privilege('jitsi_service', 'api', 'USAGE'), 'jitsi_service needs USAGE on api';
  ASSERT has_function_privilege('jitsi_service', 'auth.check_request()', 'EXECUTE'), 'PostgREST''s pre-request check runs as jitsi_service';
END
$$;

ROLLBACK;
