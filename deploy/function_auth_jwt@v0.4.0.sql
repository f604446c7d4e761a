-- Deploy arkagentic:function_auth_jwt to pg
-- requires: table_jwt_secret extension_pgcrypto roles
-- HS256 tokens signed in SQL with the key PostgREST verifies them with. None of these functions is
-- granted to an API role: only the owner and the SECURITY DEFINER api functions call them.

BEGIN;

CREATE FUNCTION auth.base64url(data bytea) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = ''
  AS $$ SELECT pg_catalog.translate(pg_catalog.encode(data, 'base64'), E'+/=\n', '-_') $$;
COMMENT ON FUNCTION auth.base64url(bytea) IS 'Base64url without padding, as JWTs use it.';

CREATE FUNCTION auth.set_jwt_secret(secret text) RETURNS void
  LANGUAGE plpgsql
  SET search_path = ''
  AS $$
BEGIN
  IF secret IS NULL OR pg_catalog.octet_length(secret) < 32 THEN
    RAISE EXCEPTION 'the JWT secret must be at least 32 bytes long'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Generate one with: openssl rand -hex 32';
  END IF;
  INSERT INTO auth.jwt_secret (singleton, secret, updated_at) VALUES (true, secret, pg_catalog.now())
  ON CONFLICT (singleton) DO UPDATE SET secret = EXCLUDED.secret, updated_at = EXCLUDED.updated_at;
END
$$;
COMMENT ON FUNCTION auth.set_jwt_secret(text) IS 'Stores the JWT signing key; the owner calls it at deploy with the key PostgREST uses.';

CREATE FUNCTION auth.sign(claims jsonb) RETURNS text
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

CREATE FUNCTION auth.issue_token(user_id uuid, ttl interval DEFAULT interval '24 hours') RETURNS json
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

CREATE FUNCTION auth.issue_service_token(role text, ttl interval DEFAULT interval '30 days') RETURNS text
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

COMMIT;
