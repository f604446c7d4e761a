-- Deploy arkagentic:schema_api to pg
-- The only schema PostgREST serves: security_invoker views and functions.

BEGIN;

CREATE SCHEMA api;
COMMENT ON SCHEMA api IS 'The only schema PostgREST serves: security_invoker views and functions.';

GRANT USAGE ON SCHEMA api TO web_anon, player, agent_service, content_admin;

COMMIT;
