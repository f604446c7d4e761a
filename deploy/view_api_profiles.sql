-- Deploy arkagentic:view_api_profiles to pg
-- requires: schema_api policy_users policy_user_settings function_app_validators
-- A player's own profile and settings, and everyone's public profile.

BEGIN;

CREATE VIEW api.me WITH (security_invoker = true) AS
  SELECT id, display_name, avatar_sprite, email, is_anonymous, created_at, last_seen_at
    FROM app.users
   WHERE id = auth.user_id();
COMMENT ON VIEW api.me IS 'The signed-in player''s own profile. PATCH changes display_name and avatar_sprite.';
COMMENT ON COLUMN api.me.id IS 'Your user id.';
COMMENT ON COLUMN api.me.display_name IS 'Name shown above your avatar: 1 to 32 characters.';
COMMENT ON COLUMN api.me.avatar_sprite IS 'Your sprite; one of GET /avatar_sprites.';
COMMENT ON COLUMN api.me.email IS 'Your email, once registered.';
COMMENT ON COLUMN api.me.is_anonymous IS 'True until you register.';
COMMENT ON COLUMN api.me.created_at IS 'When you first joined.';
COMMENT ON COLUMN api.me.last_seen_at IS 'When you last signed in or refreshed your token.';
GRANT SELECT, UPDATE (display_name, avatar_sprite) ON api.me TO player;

-- Deliberately not security_invoker: app.users lets a player read only their own row, and this
-- view is the column filter that shows four public columns of everyone's. It never shows an email.
CREATE VIEW api.users WITH (security_barrier = true) AS
  SELECT id, display_name, avatar_sprite, last_seen_at
    FROM app.users;
COMMENT ON VIEW api.users IS 'Public profiles of all players. Never includes an email.';
COMMENT ON COLUMN api.users.id IS 'User id.';
COMMENT ON COLUMN api.users.display_name IS 'Name shown above the avatar.';
COMMENT ON COLUMN api.users.avatar_sprite IS 'Sprite key.';
COMMENT ON COLUMN api.users.last_seen_at IS 'For "online X ago".';
GRANT SELECT ON api.users TO player;

CREATE VIEW api.user_settings WITH (security_invoker = true) AS
  SELECT user_id, audio_enabled, video_enabled, volume, theme, show_player_names, updated_at
    FROM app.user_settings;
COMMENT ON VIEW api.user_settings IS 'Your own preferences (one row). PATCH to change them.';
COMMENT ON COLUMN api.user_settings.user_id IS 'Your user id.';
COMMENT ON COLUMN api.user_settings.audio_enabled IS 'Microphone on by default.';
COMMENT ON COLUMN api.user_settings.video_enabled IS 'Camera on by default.';
COMMENT ON COLUMN api.user_settings.volume IS 'Speaker volume, 0 to 100.';
COMMENT ON COLUMN api.user_settings.theme IS 'dark or light.';
COMMENT ON COLUMN api.user_settings.show_player_names IS 'Show names above other players.';
COMMENT ON COLUMN api.user_settings.updated_at IS 'Last change.';
GRANT SELECT, UPDATE (audio_enabled, video_enabled, volume, theme, show_player_names) ON api.user_settings TO player;

COMMIT;
