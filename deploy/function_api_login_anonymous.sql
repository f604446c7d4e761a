-- Deploy arkagentic:function_api_login_anonymous to pg (reworked after v0.4.1)
-- requires: function_app_identity_limits
-- The first call of every new player: no password, just a name and a sprite.
--
-- Accounts were free: 862 a second with wrk, and per-player limits mean little then (issue 9, section
-- 3). Each new account now counts against two token buckets whose rules are rows of
-- app.rate_limit_rules: 'login_anonymous_per_address', only when a reverse proxy's header is trusted
-- (app.identity_settings), and 'login_anonymous' for everyone together. The address is checked first,
-- so one address over its limit is refused without queueing on the global bucket's row.
-- A caller that already holds a player token may call it too (switching accounts); it answered 403.

BEGIN;

CREATE OR REPLACE FUNCTION api.login_anonymous(display_name text, avatar_sprite text) RETURNS json
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER  -- web_anon cannot insert users, and the token needs the signing key
  SET search_path = ''
  AS $$
DECLARE
  -- Bad input answers 400 before any bucket is counted.
  checked_name text := app.check_display_name(login_anonymous.display_name);
  checked_sprite text := app.check_avatar_sprite(login_anonymous.avatar_sprite);
  address_bucket text := app.client_address_bucket();
  new_id uuid;
BEGIN
  IF address_bucket IS NOT NULL THEN
    PERFORM app.rate_limit_hit_bucket('login_anonymous_per_address', address_bucket);
  END IF;
  PERFORM app.rate_limit_hit_bucket('login_anonymous', '*');
  -- After the limits: a refused sign-up rolls back, and would take the housekeeping run with it.
  PERFORM app.identity_housekeeping();
  INSERT INTO app.users (display_name, avatar_sprite)
  VALUES (checked_name, checked_sprite)
  RETURNING id INTO new_id;
  INSERT INTO app.user_settings (user_id) VALUES (new_id);
  RETURN auth.issue_token(new_id);
END
$$;
COMMENT ON FUNCTION api.login_anonymous(text, text) IS
$$Create an anonymous player.

Creates the user and default settings and returns {user_id, token, expires_at}. Send the token as
"Authorization: Bearer <token>"; a caller who sends a player token gets a new account and token. 400 when
display_name is empty, longer than 32 characters or has control characters, or when avatar_sprite is not
one of GET /avatar_sprites. 429 with a Retry-After header when too many accounts were created recently, from
everyone or (behind a trusted proxy) from the caller's address.$$;
GRANT EXECUTE ON FUNCTION api.login_anonymous(text, text) TO web_anon, player;

COMMIT;
