-- Deploy arkagentic:roles_jitsi_service to pg
-- requires: roles roles_jit_off roles_random_page_cost schema_api
-- jitsi_service (issue 14): the Jitsi deployment's event_sync module, by a service token. It may call
-- api.jitsi_event and nothing else. Roles are cluster-wide: created only if missing, as in `roles`.

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
GRANT USAGE ON SCHEMA api TO jitsi_service;

COMMIT;
