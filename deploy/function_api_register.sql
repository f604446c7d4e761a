-- Deploy arkagentic:function_api_register to pg (reworked after v0.4.1)
-- requires: function_app_identity_limits
-- An anonymous player keeps their id, name and history when they register.
-- 4xx errors go through app.raise_api_error (function_app_raise).
--
-- A taken email answered 409 and rolled back, so one token could probe emails without limit (issue 9,
-- section 3). It is throttled now the way login is: each attempt is counted before the email is tried,
-- per caller ('caller:<id>', rule register_failures_per_caller) and per email ('email:<address>', rule
-- register_failures_per_email), in auth.register_throttle, one atomic statement each, so concurrent
-- attempts cannot all slip under the limit. A taken email answers 409 by setting response.status and
-- returning the error body instead of raising: the count commits. A success deletes both counts.

BEGIN;

CREATE OR REPLACE FUNCTION api.register(email text, password text)
 RETURNS json
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
DECLARE
  me uuid := auth.user_id();
  normalized text := app.check_email(register.email);
  anonymous boolean;
BEGIN
  PERFORM app.check_password(register.password);
  SELECT u.is_anonymous INTO anonymous FROM app.users u WHERE u.id = me FOR UPDATE;
  IF NOT FOUND THEN
    PERFORM app.raise_api_error(401, 'PT401', 'this account no longer exists', 'Sign in again with /rpc/login_anonymous.');
  ELSIF NOT anonymous THEN
    PERFORM app.raise_api_error(409, 'PT409', 'this account is already registered', 'Sign in with /rpc/login instead.');
  END IF;
  -- Always the caller's key first, then the email's: two registrations never wait for each other in
  -- opposite orders.
  PERFORM auth.register_attempt('caller:' || me::text, 'register_failures_per_caller');
  PERFORM auth.register_attempt('email:' || normalized, 'register_failures_per_email');
  BEGIN
    UPDATE app.users SET email = normalized, is_anonymous = false WHERE id = me;
  EXCEPTION WHEN unique_violation THEN
    -- The same body the unique_violation used to produce, without rolling the counts back.
    PERFORM pg_catalog.set_config('response.status', '409', true);
    RETURN pg_catalog.json_build_object(
      'code', '23505',
      'message', 'this email is already registered',
      'details', NULL,
      'hint', 'Sign in with /rpc/login, or use another email.');
  END;
  INSERT INTO auth.credentials (user_id, password_hash)
  VALUES (me, public.crypt(register.password, public.gen_salt('bf', 10)));
  DELETE FROM auth.register_throttle t WHERE t.key IN ('caller:' || me::text, 'email:' || normalized);
  RETURN auth.issue_token(me);
END
$function$;

COMMENT ON FUNCTION api.register(text,text) IS
  'Turn your anonymous account into a registered one.

Stores the email and a bcrypt hash of the password; is_anonymous becomes false and your id stays.
Returns a fresh {user_id, token, expires_at}. 400 for a malformed email or a password shorter than 8
characters (or over 72 bytes), 409 when the email is taken or you are already registered. After 5 taken
emails within 15 minutes from one caller, or for one email from anyone, further attempts answer 429 with a
Retry-After header until the window ends (rules register_failures_per_caller and register_failures_per_email).';

COMMIT;
