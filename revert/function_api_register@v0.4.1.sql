-- Revert arkagentic:function_api_register from pg: the bodies of v0.4.0.

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
    RAISE EXCEPTION 'this account no longer exists'
      USING ERRCODE = 'PT401', HINT = 'Sign in again with /rpc/login_anonymous.';
  ELSIF NOT anonymous THEN
    RAISE EXCEPTION 'this account is already registered'
      USING ERRCODE = 'PT409', HINT = 'Sign in with /rpc/login instead.';
  END IF;
  BEGIN
    UPDATE app.users SET email = normalized, is_anonymous = false WHERE id = me;
  EXCEPTION WHEN unique_violation THEN
    RAISE EXCEPTION 'this email is already registered'
      USING ERRCODE = 'unique_violation', HINT = 'Sign in with /rpc/login, or use another email.';
  END;
  INSERT INTO auth.credentials (user_id, password_hash)
  VALUES (me, public.crypt(register.password, public.gen_salt('bf', 10)));
  RETURN auth.issue_token(me);
END
$function$;

COMMENT ON FUNCTION api.register(text,text) IS
  'Turn your anonymous account into a registered one.

Stores the email and a bcrypt hash of the password; is_anonymous becomes false and your id stays.
Returns a fresh {user_id, token, expires_at}. 400 for a malformed email or a password shorter than 8
characters (or over 72 bytes), 409 when the email is taken or you are already registered.';

COMMIT;
