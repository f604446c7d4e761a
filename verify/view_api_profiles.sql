-- Verify arkagentic:view_api_profiles on pg

BEGIN;

SELECT id, display_name, avatar_sprite, email, is_anonymous, created_at, last_seen_at FROM api.me WHERE false;
SELECT id, display_name, avatar_sprite, last_seen_at FROM api.users WHERE false;
SELECT user_id, audio_enabled, video_enabled, volume, theme, show_player_names, updated_at FROM api.user_settings WHERE false;
DO $$
BEGIN
  ASSERT NOT EXISTS (SELECT FROM information_schema.columns
                      WHERE table_schema = 'api' AND table_name = 'users' AND column_name = 'email'),
    'api.users must never expose an email';
  ASSERT NOT has_table_privilege('web_anon', 'api.users', 'SELECT'), 'web_anon must not list users';
  ASSERT has_column_privilege('player', 'api.me', 'display_name', 'UPDATE'), 'player must rename themselves';
  ASSERT NOT has_column_privilege('player', 'api.me', 'email', 'UPDATE'), 'email changes only through register';
END
$$;

ROLLBACK;
