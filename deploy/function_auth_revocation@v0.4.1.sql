-- Deploy arkagentic:function_auth_revocation to pg
-- requires: function_auth_jwt schema_api schema_realtime
-- Revoking tokens, and checking every request against the revocations:
--   api.logout              revokes the caller's session (this token and the tokens refreshed from it)
--   api.logout_everywhere   revokes every token of the caller: a player's, or all of a service role's
--   auth.check_request      PostgREST's db-pre-request: a revoked token gets 401 before anything runs
--   realtime.revoked_tokens the bridge's check of its sockets' tokens
-- Both logouts NOTIFY token_revoked, on which the bridge closes the sockets of revoked tokens at once.
-- A token signed before sid and gen existed is revoked by its subject's generation only, so logging one
-- out logs out every token of its subject.

BEGIN;

CREATE FUNCTION auth.token_revoked(claims jsonb) RETURNS boolean
  LANGUAGE plpgsql STABLE
  -- PL/pgSQL, so the probe's plan is prepared once per connection, not once per request. Not granted
  -- to any API role: the table is readable by the owner only.
  SET search_path = ''
  AS $$
DECLARE
  role text := claims ->> 'role';
BEGIN
  IF role IS NULL OR role = 'web_anon' THEN
    RETURN false;
  END IF;
  RETURN EXISTS (
    SELECT FROM auth.token_revocations r
     WHERE r.key = ANY (ARRAY[
             'sid:' || (claims ->> 'sid'),
             CASE role WHEN 'player' THEN 'user:' || (claims ->> 'sub') ELSE 'role:' || role END])
       AND (r.generation IS NULL
            OR r.generation > CASE WHEN pg_catalog.jsonb_typeof(claims -> 'gen') = 'number'
                                   THEN (claims ->> 'gen')::numeric ELSE 0 END));
END
$$;
COMMENT ON FUNCTION auth.token_revoked(jsonb) IS
  'Whether a verified token (its claims) has been revoked: its session by api.logout, or its generation by api.logout_everywhere.';

CREATE FUNCTION auth.raise_token_revoked() RETURNS void
  LANGUAGE plpgsql VOLATILE
  SET search_path = ''
  AS $$
BEGIN
  -- PostgREST 12's own-response form: the status line is the standard one and nothing in it comes
  -- from the client. (Written inline until app.raise_api_error lands.)
  RAISE SQLSTATE 'PGRST' USING
    MESSAGE = '{"code":"PT401","message":"the token has been revoked","details":"{\"reason\":\"revoked\"}","hint":"Sign in again with /rpc/login_anonymous or /rpc/login."}',
    DETAIL = '{"status":401,"status_text":"Unauthorized","headers":{"WWW-Authenticate":"Bearer error=\"invalid_token\", error_description=\"the token has been revoked\""}}';
END
$$;
COMMENT ON FUNCTION auth.raise_token_revoked() IS 'Raises the 401 that a revoked token gets (owner only).';

CREATE FUNCTION auth.check_request() RETURNS void
  LANGUAGE plpgsql STABLE
  SECURITY DEFINER  -- reads auth.token_revocations
  SET search_path = ''
  AS $$
BEGIN
  IF auth.token_revoked(auth.claims()) THEN
    PERFORM auth.raise_token_revoked();
  END IF;
END
$$;
COMMENT ON FUNCTION auth.check_request() IS
  'PostgREST''s db-pre-request (PGRST_DB_PRE_REQUEST=auth.check_request): answers 401 for a revoked token. One primary-key probe.';
GRANT EXECUTE ON FUNCTION auth.check_request() TO web_anon, player, agent_service, content_admin;

-- The subject whose generation api.logout_everywhere raises: 'user:<uuid>' or 'role:<name>'.
CREATE FUNCTION auth.token_subject(claims jsonb) RETURNS text
  LANGUAGE sql IMMUTABLE
  SET search_path = ''
  AS $$
  SELECT CASE claims ->> 'role'
           WHEN 'player' THEN 'user:' || (claims ->> 'sub')
           WHEN 'agent_service' THEN 'role:agent_service'
           WHEN 'content_admin' THEN 'role:content_admin'
         END
$$;

CREATE FUNCTION auth.revoke_subject(subject text) RETURNS integer
  LANGUAGE plpgsql VOLATILE
  SET search_path = ''
  AS $$
DECLARE
  new_generation integer;
BEGIN
  INSERT INTO auth.token_revocations AS r (key, generation) VALUES (subject, 1)
  ON CONFLICT (key) DO UPDATE SET generation = r.generation + 1, revoked_at = pg_catalog.now()
  RETURNING r.generation INTO new_generation;
  PERFORM pg_catalog.pg_notify('token_revoked',
    pg_catalog.json_build_object('subject', subject, 'generation', new_generation)::text);
  RETURN new_generation;
END
$$;
COMMENT ON FUNCTION auth.revoke_subject(text) IS 'Revokes every token of a subject issued so far; returns the new generation (owner only).';

CREATE FUNCTION auth.prune_token_revocations() RETURNS void
  LANGUAGE sql VOLATILE
  SET search_path = ''
  AS $$
  -- A bounded batch on every logout: rows are only ever created by a logout, so this keeps up.
  DELETE FROM auth.token_revocations r
   WHERE r.key IN (SELECT o.key FROM auth.token_revocations o
                    WHERE o.expires_at < pg_catalog.now()
                    ORDER BY o.expires_at LIMIT 100 FOR UPDATE SKIP LOCKED)
$$;

CREATE FUNCTION api.logout() RETURNS json
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER  -- writes auth.token_revocations
  SET search_path = ''
  AS $$
DECLARE
  claims  jsonb := auth.claims();
  subject text := auth.token_subject(claims);
  sid     text := claims ->> 'sid';
  expires timestamptz;
BEGIN
  IF subject IS NULL OR (claims ->> 'role' = 'player' AND auth.user_id() IS NULL) THEN
    RAISE EXCEPTION 'sign in first'
      USING ERRCODE = 'PT401', HINT = 'Send the token to revoke as Authorization: Bearer <token>.';
  END IF;
  PERFORM auth.prune_token_revocations();
  IF sid IS NULL OR sid !~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
    -- A token from before sessions existed: only its subject's generation can revoke it.
    PERFORM auth.revoke_subject(subject);
    RETURN pg_catalog.json_build_object('revoked', 'all');
  END IF;
  -- Kept until every token of the session has expired: refresh_token can have made one up to 24 hours
  -- ago (now, at the latest), and PostgREST and the bridge tolerate some clock skew.
  IF pg_catalog.jsonb_typeof(claims -> 'exp') = 'number' AND (claims ->> 'exp')::numeric < 1e11 THEN
    expires := GREATEST(pg_catalog.to_timestamp((claims ->> 'exp')::double precision),
                        pg_catalog.now() + interval '24 hours') + interval '5 minutes';
  END IF;
  INSERT INTO auth.token_revocations (key, expires_at) VALUES ('sid:' || sid, expires)
  ON CONFLICT (key) DO NOTHING;
  PERFORM pg_catalog.pg_notify('token_revoked', pg_catalog.json_build_object('sid', sid)::text);
  RETURN pg_catalog.json_build_object('revoked', 'session');
END
$$;
COMMENT ON FUNCTION api.logout() IS
$$Sign out: revoke the token you send.

The token, and every token refresh_token made from it, gets 401 from now on, and sockets opened with
them are closed with 4401. Other sign-ins of the same account stay valid (see logout_everywhere).
Returns {"revoked": "session"}.$$;
GRANT EXECUTE ON FUNCTION api.logout() TO player, agent_service, content_admin;

CREATE FUNCTION api.logout_everywhere() RETURNS json
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER  -- writes auth.token_revocations
  SET search_path = ''
  AS $$
DECLARE
  claims  jsonb := auth.claims();
  subject text := auth.token_subject(claims);
BEGIN
  IF subject IS NULL OR (claims ->> 'role' = 'player' AND auth.user_id() IS NULL) THEN
    RAISE EXCEPTION 'sign in first'
      USING ERRCODE = 'PT401', HINT = 'Send one of the tokens to revoke as Authorization: Bearer <token>.';
  END IF;
  PERFORM auth.prune_token_revocations();
  PERFORM auth.revoke_subject(subject);
  RETURN pg_catalog.json_build_object('revoked', 'all');
END
$$;
COMMENT ON FUNCTION api.logout_everywhere() IS
$$Sign out everywhere: revoke every token of your account issued until now.

For a player, all of their sessions; for agent_service or content_admin, every token of that role.
Tokens issued afterwards are valid. Returns {"revoked": "all"}.$$;
GRANT EXECUTE ON FUNCTION api.logout_everywhere() TO player, agent_service, content_admin;

CREATE FUNCTION realtime.revoked_tokens(tokens jsonb) RETURNS integer[]
  LANGUAGE sql STABLE
  SECURITY DEFINER  -- reads auth.token_revocations
  SET search_path = ''
  AS $$
  SELECT coalesce(pg_catalog.array_agg((t.n - 1)::integer ORDER BY t.n), '{}')
    FROM pg_catalog.jsonb_array_elements(CASE WHEN pg_catalog.jsonb_typeof(tokens) = 'array' THEN tokens ELSE '[]' END)
         WITH ORDINALITY AS t(claims, n)
   WHERE auth.token_revoked(t.claims)
$$;
COMMENT ON FUNCTION realtime.revoked_tokens(jsonb) IS
  'The positions (from 0) of the revoked ones in a JSON array of verified token claims: the bridge checks its sockets with it.';
GRANT EXECUTE ON FUNCTION realtime.revoked_tokens(jsonb) TO bridge;

COMMIT;
