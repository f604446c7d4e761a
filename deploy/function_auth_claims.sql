-- Deploy arkagentic:function_auth_claims to pg
-- requires: schema_auth
-- The one place that reads PostgREST's JWT claims. Policies call it as (SELECT auth.user_id())
-- so it runs once per query, not once per row.

BEGIN;

CREATE FUNCTION auth.claims() RETURNS jsonb
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT coalesce(nullif(current_setting('request.jwt.claims', true), '')::jsonb, '{}'::jsonb) $$;
COMMENT ON FUNCTION auth.claims() IS 'The verified JWT claims of the current request, or {} when there is none.';
GRANT EXECUTE ON FUNCTION auth.claims() TO web_anon, player, agent_service, content_admin, bridge;

CREATE FUNCTION auth.user_id() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT (auth.claims() ->> 'sub')::uuid $$;
COMMENT ON FUNCTION auth.user_id() IS 'The signed-in user''s id (the sub claim), or NULL for anonymous and service requests.';
GRANT EXECUTE ON FUNCTION auth.user_id() TO web_anon, player, agent_service, content_admin, bridge;

COMMIT;
