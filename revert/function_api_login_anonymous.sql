-- Revert arkagentic:function_api_login_anonymous to its v0.4.1 body
-- requires: function_auth_jwt function_app_validators view_api_profiles
-- The first call of every new player: no password, just a name and a sprite.

BEGIN;

CREATE OR REPLACE FUNCTION api.login_anonymous(display_name text, avatar_sprite text) RETURNS json
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER  -- web_anon cannot insert users, and the token needs the signing key
  SET search_path = ''
  AS $$
DECLARE
  new_id uuid;
BEGIN
  INSERT INTO app.users (display_name, avatar_sprite)
  VALUES (app.check_display_name(login_anonymous.display_name), app.check_avatar_sprite(login_anonymous.avatar_sprite))
  RETURNING id INTO new_id;
  INSERT INTO app.user_settings (user_id) VALUES (new_id);
  RETURN auth.issue_token(new_id);
END
$$;
COMMENT ON FUNCTION api.login_anonymous(text, text) IS
$$Create an anonymous player.

Creates the user and default settings and returns {user_id, token, expires_at}. Send the token as
"Authorization: Bearer <token>". 400 when display_name is empty, longer than 32 characters or has
control characters, or when avatar_sprite is not one of GET /avatar_sprites.$$;
GRANT EXECUTE ON FUNCTION api.login_anonymous(text, text) TO web_anon;
REVOKE EXECUTE ON FUNCTION api.login_anonymous(text, text) FROM player;

COMMIT;
