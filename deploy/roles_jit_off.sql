-- Deploy arkagentic:roles_jit_off to pg
-- requires: roles
-- GET /chat_sessions took 2.5 s at ~528k messages: the planner's cost estimate crossed jit_above_cost
-- and JIT compiled a plan that runs in under a millisecond. Every query the API roles run is short, so
-- JIT is off for them in this database. authenticator's setting applies to PostgREST's connections
-- when they open, the impersonated roles' settings to each request (PostgREST 12 applies them), and
-- bridge's to the bridge's connections. Roles are cluster-wide, so the setting is per database.

BEGIN;

DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['authenticator', 'web_anon', 'player', 'agent_service', 'content_admin', 'bridge'] LOOP
    EXECUTE format('ALTER ROLE %I IN DATABASE %I SET jit = off', r, current_database());
  END LOOP;
END
$$;

COMMIT;
