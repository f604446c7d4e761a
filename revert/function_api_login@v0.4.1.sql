-- Revert arkagentic:function_api_login from pg: the bodies of v0.4.0.

BEGIN;

CREATE OR REPLACE FUNCTION api.login(email text, password text)
 RETURNS json
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
DECLARE
  max_failures  CONSTANT integer  := 5;
  window_length CONSTANT interval := interval '15 minutes';
  -- A bcrypt hash of a throwaway password, checked when the email is unknown so that a wrong
  -- email costs the same time as a wrong password.
  decoy_hash    CONSTANT text := '$2a$10$E5yzs2RGFWEObiuAtPpOtOjJvq46JuMqSXNH5Zl.qx/nQZbn0.x8m';
  normalized text := pg_catalog.lower(pg_catalog.btrim(login.email));
  throttle auth.login_throttle;
  account_id uuid;
  account_hash text;
  retry_after integer;
BEGIN
  IF normalized IS NULL OR normalized = '' OR login.password IS NULL OR login.password = '' THEN
    RAISE EXCEPTION 'email and password are required'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send {"email": "...", "password": "..."}.';
  END IF;

  -- No address is longer than 254 characters: such an email fails below like a wrong password, at
  -- the same bcrypt cost, and is not recorded (the throttle table's key must stay indexable).
  IF pg_catalog.char_length(normalized) <= 254 THEN
    SELECT * INTO throttle FROM auth.login_throttle t WHERE t.email = normalized;
    IF FOUND AND throttle.failures >= max_failures AND throttle.window_start + window_length > pg_catalog.now() THEN
      retry_after := pg_catalog.ceil(extract(epoch FROM throttle.window_start + window_length - pg_catalog.now()));
      RAISE EXCEPTION 'too many failed logins for this email'
        USING ERRCODE = 'PT429',
              DETAIL = pg_catalog.json_build_object('retry_after', retry_after)::text,
              HINT = pg_catalog.format('Try again in %s seconds (retry_after=%s).', retry_after, retry_after);
    END IF;

    SELECT u.id, c.password_hash INTO account_id, account_hash
      FROM app.users u JOIN auth.credentials c ON c.user_id = u.id
     WHERE u.email = normalized;

    IF public.crypt(login.password, coalesce(account_hash, decoy_hash)) = account_hash THEN
      DELETE FROM auth.login_throttle t WHERE t.email = normalized;
      UPDATE app.users SET last_seen_at = pg_catalog.now() WHERE id = account_id;
      RETURN auth.issue_token(account_id);
    END IF;

    INSERT INTO auth.login_throttle AS t (email, failures, window_start, last_failure_at)
    VALUES (normalized, 1, pg_catalog.now(), pg_catalog.now())
    ON CONFLICT ON CONSTRAINT login_throttle_pkey DO UPDATE
       SET failures = CASE WHEN t.window_start + window_length > pg_catalog.now() THEN t.failures + 1 ELSE 1 END,
           window_start = CASE WHEN t.window_start + window_length > pg_catalog.now() THEN t.window_start ELSE pg_catalog.now() END,
           last_failure_at = pg_catalog.now();
  ELSE
    PERFORM public.crypt(login.password, decoy_hash);
  END IF;

  PERFORM pg_catalog.set_config('response.status', '401', true);
  RETURN pg_catalog.json_build_object(
    'code', '28P01',
    'message', 'invalid email or password',
    'details', NULL,
    'hint', 'Check both. After 5 failures in 15 minutes this email is locked for the rest of the window.');
END
$function$;

COMMENT ON FUNCTION api.login(text,text) IS
  'Sign in with email and password.

Returns {user_id, token, expires_at}. A wrong email and a wrong password both answer 401 with the same
body. After 5 failures for one email within 15 minutes, further attempts answer 429 until the window ends;
details carries {"retry_after": seconds}.';

COMMIT;
