-- Deploy arkagentic:function_api_login to pg (reworked after v0.4.1)
-- requires: function_app_identity_limits
-- Email and password sign-in, throttled per email.
--
-- A failed attempt must be counted even though the request fails, and a RAISE would roll the
-- count back. So a failure sets PostgREST's response.status to 401 and returns the error body:
-- the transaction commits and the count survives.
-- 4xx errors go through app.raise_api_error (function_app_raise).
--
-- 40 concurrent wrong passwords for one email got 13 bcrypt checks instead of 5: each request read the
-- throttle row without a lock, and all of them saw fewer than 5 failures. Now one INSERT ... ON CONFLICT
-- DO UPDATE counts the attempt before bcrypt runs, and refuses to count it once the window holds
-- max_events: concurrent attempts queue on the email's row, each sees the count of those before it, and
-- at most max_events bcrypt checks run per window. A success deletes the row (its count included).
-- The rule is the row 'login_failures_per_email' of app.rate_limit_rules (default 5 per 15 minutes).
-- A caller that already holds a player token may sign in too (switching accounts); it answered 403.

BEGIN;

CREATE OR REPLACE FUNCTION api.login(email text, password text)
 RETURNS json
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
DECLARE
  -- A bcrypt hash of a throwaway password, checked when the email is unknown so that a wrong
  -- email costs the same time as a wrong password.
  decoy_hash    CONSTANT text := '$2a$10$E5yzs2RGFWEObiuAtPpOtOjJvq46JuMqSXNH5Zl.qx/nQZbn0.x8m';
  normalized text := pg_catalog.lower(pg_catalog.btrim(login.email));
  rule app.rate_limit_rules;
  counted integer;
  locked_until timestamptz;
  account_id uuid;
  account_hash text;
  retry_after integer;
BEGIN
  IF normalized IS NULL OR normalized = '' OR login.password IS NULL OR login.password = '' THEN
    RAISE EXCEPTION 'email and password are required'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send {"email": "...", "password": "..."}.';
  END IF;
  -- Before the email's row is locked, so that a run never holds it: random-email failures add a
  -- throttle row each, and the run deletes the expired ones.
  PERFORM app.identity_housekeeping();
  SELECT * INTO rule FROM app.rate_limit_rules r WHERE r.action = 'login_failures_per_email';

  -- No address is longer than 254 characters: such an email fails below like a wrong password, at
  -- the same bcrypt cost, and is not recorded (the throttle table's key must stay indexable).
  IF pg_catalog.char_length(normalized) <= 254 AND rule.action IS NOT NULL THEN
    INSERT INTO auth.login_throttle AS t (email, failures, window_start, last_failure_at)
    VALUES (normalized, 1, pg_catalog.now(), pg_catalog.now())
    ON CONFLICT ON CONSTRAINT login_throttle_pkey DO UPDATE
       SET failures = CASE WHEN t.window_start + rule.per > pg_catalog.now() THEN t.failures + 1 ELSE 1 END,
           window_start = CASE WHEN t.window_start + rule.per > pg_catalog.now() THEN t.window_start ELSE pg_catalog.now() END,
           last_failure_at = pg_catalog.now()
     WHERE t.window_start + rule.per <= pg_catalog.now() OR t.failures < rule.max_events
    RETURNING t.failures INTO counted;
    IF counted IS NULL THEN
      -- The row is locked by the statement above even though it was not updated: this reads the
      -- window that refused the attempt.
      SELECT t.window_start + rule.per INTO locked_until FROM auth.login_throttle t WHERE t.email = normalized;
      retry_after := greatest(pg_catalog.ceil(extract(epoch FROM locked_until - pg_catalog.now())), 1);
      PERFORM app.raise_api_error(429, 'PT429', 'too many failed logins for this email',
                pg_catalog.format('Try again in %s seconds (retry_after=%s).', retry_after, retry_after),
                pg_catalog.jsonb_build_object('retry_after', retry_after),
                pg_catalog.jsonb_build_object('Retry-After', retry_after::text));
    END IF;
  END IF;

  SELECT u.id, c.password_hash INTO account_id, account_hash
    FROM app.users u JOIN auth.credentials c ON c.user_id = u.id
   WHERE u.email = normalized;

  IF public.crypt(login.password, coalesce(account_hash, decoy_hash)) = account_hash THEN
    DELETE FROM auth.login_throttle t WHERE t.email = normalized;
    UPDATE app.users SET last_seen_at = pg_catalog.now() WHERE id = account_id;
    RETURN auth.issue_token(account_id);
  END IF;

  PERFORM pg_catalog.set_config('response.status', '401', true);
  RETURN pg_catalog.json_build_object(
    'code', '28P01',
    'message', 'invalid email or password',
    'details', NULL,
    'hint', CASE WHEN rule.action IS NULL THEN 'Check both.'
                 ELSE pg_catalog.format('Check both. After %s failures in %s this email is locked for the rest of the window.',
                                        rule.max_events, app.duration_words(rule.per)) END);
END
$function$;

COMMENT ON FUNCTION api.login(text,text) IS
  'Sign in with email and password.

Returns {user_id, token, expires_at}; a caller who sends a player token signs in as this account instead.
A wrong email and a wrong password both answer 401 with the same body. After 5 failures for one email
within 15 minutes (the rule login_failures_per_email), further attempts answer 429 with a Retry-After
header until the window ends; details carries {"retry_after": seconds}. A successful login resets the count.';
GRANT EXECUTE ON FUNCTION api.login(text, text) TO player;

COMMIT;
