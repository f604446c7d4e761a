-- Deploy arkagentic:roles_jitsi_service to pg
-- requires: roles roles_jit_off roles_random_page_cost schema_api schema_auth function_auth_revocation
-- jitsi_service (issue 14): the Jitsi deployment's event_sync module, by a service token. It may call
-- api.jitsi_event and nothing else (and PostgREST's pre-request check, auth.check_request, which
-- answers 401 for a revoked token). Roles are cluster-wide: created only if missing, as in `roles`.

BEGIN;

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'jitsi_service') THEN
    CREATE ROLE jitsi_service NOLOGIN;
  END IF;
  EXECUTE format('ALTER ROLE jitsi_service IN DATABASE %I SET jit = off', current_database());
  EXECUTE format('ALTER ROLE jitsi_service IN DATABASE %I SET random_page_cost = 1.1', current_database());
END
$$;

GRANT jitsi_service TO authenticator;
GRANT USAGE ON SCHEMA api, auth TO jitsi_service;
GRANT EXECUTE ON FUNCTION auth.check_request() TO jitsi_service;

COMMIT;
