-- Deploy arkagentic:schema_app to pg
-- Private: holds the tables. PostgREST never serves it; API roles reach it only through api views and functions.

BEGIN;

CREATE SCHEMA app;
COMMENT ON SCHEMA app IS 'Private: holds the tables. PostgREST never serves it; API roles reach it only through api views and functions.';

-- security_invoker views run with the caller's rights, so the caller needs USAGE here; the tables
-- themselves are guarded by grants and row-level security.
GRANT USAGE ON SCHEMA app TO web_anon, player, agent_service, content_admin;

COMMIT;
