-- Revert arkagentic:function_auth_jitsi from pg: auth.sign signs by itself again, no Jitsi functions, no jitsi_service tokens.

BEGIN;

CREATE OR REPLACE FUNCTION auth.sign(claims jsonb) RETURNS text
  LANGUAGE plpgsql STABLE
  SET search_path = ''
  AS $$
DECLARE
  key text;
  signing_input text;
BEGIN
  SELECT s.secret INTO key FROM auth.jwt_secret s;
  IF key IS NULL THEN
    RAISE EXCEPTION 'no JWT secret is configured'
      USING ERRCODE = 'object_not_in_prerequisite_state', HINT = 'Run db/configure.sql (make up does) to set it.';
  END IF;
  signing_input := auth.base64url(pg_catalog.convert_to('{"alg":"HS256","typ":"JWT"}', 'UTF8'))
                   || '.' || auth.base64url(pg_catalog.convert_to(claims::text, 'UTF8'));
  RETURN signing_input || '.' || auth.base64url(
    public.hmac(pg_catalog.convert_to(signing_input, 'UTF8'), pg_catalog.convert_to(key, 'UTF8'), 'sha256'));
END
$$;
COMMENT ON FUNCTION auth.sign(jsonb) IS 'Signs claims as an HS256 JWT.';

DROP FUNCTION auth.jitsi_sign(jsonb);
DROP FUNCTION auth.set_jitsi_config(text, text, text, text);
DROP FUNCTION auth.hs256(jsonb, text);

CREATE OR REPLACE FUNCTION auth.issue_service_token(role text, ttl interval DEFAULT interval '30 days') RETURNS text
  LANGUAGE plpgsql VOLATILE
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
    'sid', pg_catalog.gen_random_uuid(),
    'gen', auth.token_generation('role:' || role),
    'iat', pg_catalog.floor(extract(epoch FROM pg_catalog.now()))::bigint,
    'exp', pg_catalog.floor(extract(epoch FROM pg_catalog.now() + ttl))::bigint));
END
$$;
COMMENT ON FUNCTION auth.issue_service_token(text, interval) IS 'A revocable token for the agent worker or a content admin. Owner only: SELECT auth.issue_service_token(''agent_service'', interval ''30 days'').';

COMMIT;
