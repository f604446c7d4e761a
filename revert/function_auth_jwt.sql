-- Revert arkagentic:function_auth_jwt from pg: tokens without sid and gen again.

BEGIN;

CREATE OR REPLACE FUNCTION auth.issue_token(user_id uuid, ttl interval DEFAULT interval '24 hours') RETURNS json
  LANGUAGE sql STABLE
  SET search_path = ''
  AS $$
  SELECT pg_catalog.json_build_object(
           'user_id', user_id,
           'token', auth.sign(pg_catalog.jsonb_build_object(
                      'role', 'player',
                      'sub', user_id,
                      'iat', pg_catalog.floor(extract(epoch FROM pg_catalog.now()))::bigint,
                      'exp', pg_catalog.floor(extract(epoch FROM pg_catalog.now() + ttl))::bigint)),
           'expires_at', pg_catalog.date_trunc('second', pg_catalog.now() + ttl))
$$;
COMMENT ON FUNCTION auth.issue_token(uuid, interval) IS 'A player token for a user: {user_id, token, expires_at}.';

CREATE OR REPLACE FUNCTION auth.issue_service_token(role text, ttl interval DEFAULT interval '30 days') RETURNS text
  LANGUAGE plpgsql STABLE
  SET search_path = ''
  AS $$
BEGIN
  IF role IS NULL OR role NOT IN ('agent_service', 'content_admin') THEN
    RAISE EXCEPTION 'cannot issue a service token for role %', coalesce(role, 'NULL')
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Service tokens are for agent_service or content_admin.';
  END IF;
  IF ttl IS NULL OR ttl <= interval '0' OR ttl > interval '366 days' THEN
    RAISE EXCEPTION 'a service token must live between a second and a year'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'For example: interval ''30 days''.';
  END IF;
  RETURN auth.sign(pg_catalog.jsonb_build_object(
    'role', role,
    'iat', pg_catalog.floor(extract(epoch FROM pg_catalog.now()))::bigint,
    'exp', pg_catalog.floor(extract(epoch FROM pg_catalog.now() + ttl))::bigint));
END
$$;
COMMENT ON FUNCTION auth.issue_service_token(text, interval) IS 'A token for the agent worker or a content admin. Owner only: SELECT auth.issue_service_token(''agent_service'', interval ''30 days'').';

DROP FUNCTION auth.issue_session_token(uuid, uuid, integer, interval);
DROP FUNCTION auth.token_generation(text);

COMMIT;
