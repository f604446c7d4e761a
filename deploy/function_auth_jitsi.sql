-- Deploy arkagentic:function_auth_jitsi to pg
-- requires: table_jitsi_config function_auth_jwt roles_jitsi_service extension_pgcrypto
-- HS256 in one place: auth.hs256(claims, key) signs; auth.sign (the API's tokens, with the JWT secret)
-- and auth.jitsi_sign (Jitsi tokens, with JITSI_APP_SECRET) both call it. auth.set_jitsi_config stores
-- the deploy's Jitsi settings (db/configure.sql). Service tokens may now be issued for jitsi_service.
-- None of these is granted to an API role.

BEGIN;

CREATE FUNCTION auth.hs256(claims jsonb, key text) RETURNS text
  LANGUAGE plpgsql IMMUTABLE STRICT
  SET search_path = ''
  AS $$
DECLARE
  signing_input text := auth.base64url(pg_catalog.convert_to('{"alg":"HS256","typ":"JWT"}', 'UTF8'))
                        || '.' || auth.base64url(pg_catalog.convert_to(claims::text, 'UTF8'));
BEGIN
  RETURN signing_input || '.' || auth.base64url(
    public.hmac(pg_catalog.convert_to(signing_input, 'UTF8'), pg_catalog.convert_to(key, 'UTF8'), 'sha256'));
END
$$;
COMMENT ON FUNCTION auth.hs256(jsonb, text) IS 'Signs claims with key as an HS256 JWT: the one signing routine.';
REVOKE ALL ON FUNCTION auth.hs256(jsonb, text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION auth.sign(claims jsonb) RETURNS text
  LANGUAGE plpgsql STABLE
  SET search_path = ''
  AS $$
DECLARE
  key text;
BEGIN
  SELECT s.secret INTO key FROM auth.jwt_secret s;
  IF key IS NULL THEN
    RAISE EXCEPTION 'no JWT secret is configured'
      USING ERRCODE = 'object_not_in_prerequisite_state', HINT = 'Run db/configure.sql (make up does) to set it.';
  END IF;
  RETURN auth.hs256(claims, key);
END
$$;

CREATE FUNCTION auth.set_jitsi_config(domain text, app_id text, app_secret text, audience text DEFAULT NULL)
  RETURNS boolean
  LANGUAGE plpgsql VOLATILE
  SET search_path = ''
  AS $$
BEGIN
  -- All empty: this installation has no Jitsi (jitsi_token answers 503).
  IF coalesce(domain, '') = '' AND coalesce(app_id, '') = '' AND coalesce(app_secret, '') = '' THEN
    DELETE FROM auth.jitsi_config;
    RETURN false;
  END IF;
  IF coalesce(domain, '') = '' OR coalesce(app_id, '') = '' OR coalesce(app_secret, '') = '' THEN
    RAISE EXCEPTION 'JITSI_DOMAIN, JITSI_APP_ID and JITSI_APP_SECRET go together'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Set all three, or none for an installation without Jitsi.';
  END IF;
  INSERT INTO auth.jitsi_config AS c (singleton, domain, app_id, app_secret, audience, updated_at)
  VALUES (true, set_jitsi_config.domain, set_jitsi_config.app_id, set_jitsi_config.app_secret,
          coalesce(nullif(set_jitsi_config.audience, ''), 'jitsi'), pg_catalog.now())
  ON CONFLICT (singleton) DO UPDATE
     SET domain = EXCLUDED.domain, app_id = EXCLUDED.app_id, app_secret = EXCLUDED.app_secret,
         audience = EXCLUDED.audience, updated_at = EXCLUDED.updated_at;
  RETURN true;
END
$$;
COMMENT ON FUNCTION auth.set_jitsi_config(text, text, text, text) IS
  'Stores the Jitsi domain, app id, app secret (32 bytes at least) and audience (default jitsi); all empty removes them. The owner calls it at deploy (db/configure.sql).';
REVOKE ALL ON FUNCTION auth.set_jitsi_config(text, text, text, text) FROM PUBLIC;

CREATE FUNCTION auth.jitsi_sign(claims jsonb) RETURNS text
  LANGUAGE sql STABLE
  SET search_path = ''
  AS $$ SELECT auth.hs256(claims, c.app_secret) FROM auth.jitsi_config c $$;
COMMENT ON FUNCTION auth.jitsi_sign(jsonb) IS 'Signs claims with JITSI_APP_SECRET (HS256); NULL when the installation has no Jitsi.';
REVOKE ALL ON FUNCTION auth.jitsi_sign(jsonb) FROM PUBLIC;

CREATE OR REPLACE FUNCTION auth.issue_service_token(role text, ttl interval DEFAULT interval '30 days') RETURNS text
  LANGUAGE plpgsql VOLATILE
  SET search_path = ''
  AS $$
BEGIN
  IF role IS NULL OR role NOT IN ('agent_service', 'content_admin', 'jitsi_service') THEN
    RAISE EXCEPTION 'cannot issue a service token for role %', coalesce(role, 'NULL')
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Service tokens are for agent_service, content_admin or jitsi_service.';
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
COMMENT ON FUNCTION auth.issue_service_token(text, interval) IS 'A revocable token for the agent worker, a content admin or the Jitsi event_sync module. Owner only: SELECT auth.issue_service_token(''jitsi_service'', interval ''30 days'').';

COMMIT;
