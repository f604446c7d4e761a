-- Deploy arkagentic:function_auth_jwt to pg
-- requires: function_auth_jwt@v0.4.0 table_token_revocations
-- Every token the database signs now carries two more claims, so it can be revoked:
--   sid  the session it belongs to (refresh_token keeps it): api.logout revokes it.
--   gen  its subject's revocation generation when it was issued: api.logout_everywhere raises it.
-- Tokens signed before this change have neither; they are still accepted (see auth.token_revoked).
-- None of these functions is granted to an API role.

BEGIN;

CREATE FUNCTION auth.token_generation(subject text) RETURNS integer
  LANGUAGE sql STABLE
  SET search_path = ''
  AS $$ SELECT coalesce((SELECT r.generation FROM auth.token_revocations r WHERE r.key = subject), 0) $$;
COMMENT ON FUNCTION auth.token_generation(text) IS
  'The current token generation of ''user:<uuid>'' or ''role:<name>'' (0 until its first logout_everywhere).';

CREATE FUNCTION auth.issue_session_token(user_id uuid, sid uuid, generation integer, ttl interval DEFAULT interval '24 hours')
  RETURNS json
  LANGUAGE plpgsql VOLATILE
  SET search_path = ''
  AS $$
BEGIN
  -- api.logout keeps a session's revocation for 24 hours beyond the revoking moment: no token of a
  -- player session may live longer than that.
  IF ttl IS NULL OR ttl <= interval '0' OR ttl > interval '24 hours' THEN
    RAISE EXCEPTION 'a player token must live between a second and 24 hours'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Use the default of 24 hours.';
  END IF;
  RETURN pg_catalog.json_build_object(
           'user_id', user_id,
           'token', auth.sign(pg_catalog.jsonb_build_object(
                      'role', 'player',
                      'sub', user_id,
                      'sid', sid,
                      'gen', generation,
                      'iat', pg_catalog.floor(extract(epoch FROM pg_catalog.now()))::bigint,
                      'exp', pg_catalog.floor(extract(epoch FROM pg_catalog.now() + ttl))::bigint)),
           'expires_at', pg_catalog.date_trunc('second', pg_catalog.now() + ttl));
END
$$;
COMMENT ON FUNCTION auth.issue_session_token(uuid, uuid, integer, interval) IS
  'A player token of an existing session (sid) and generation: {user_id, token, expires_at}. refresh_token uses it.';

-- Was STABLE: a new session id is random, so it is VOLATILE now.
CREATE OR REPLACE FUNCTION auth.issue_token(user_id uuid, ttl interval DEFAULT interval '24 hours') RETURNS json
  LANGUAGE sql VOLATILE
  SET search_path = ''
  AS $$
  SELECT auth.issue_session_token(user_id, pg_catalog.gen_random_uuid(), auth.token_generation('user:' || user_id), ttl)
$$;
COMMENT ON FUNCTION auth.issue_token(uuid, interval) IS 'A player token for a user, in a new session: {user_id, token, expires_at}.';

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
