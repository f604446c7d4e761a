-- Deploy arkagentic:table_user_settings to pg
-- requires: table_users
-- Per-user preferences, created with the user.

BEGIN;

CREATE TABLE app.user_settings (
  user_id           uuid PRIMARY KEY REFERENCES app.users (id) ON DELETE CASCADE,
  audio_enabled     boolean NOT NULL DEFAULT true,
  video_enabled     boolean NOT NULL DEFAULT false,
  volume            integer NOT NULL DEFAULT 80 CONSTRAINT user_settings_volume_range CHECK (volume BETWEEN 0 AND 100),
  theme             text NOT NULL DEFAULT 'dark' CONSTRAINT user_settings_theme_known CHECK (theme IN ('dark', 'light')),
  show_player_names boolean NOT NULL DEFAULT true,
  updated_at        timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE app.user_settings IS 'Audio, video and display preferences, one row per user.';

ALTER TABLE app.user_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.user_settings FORCE ROW LEVEL SECURITY;

GRANT SELECT ON app.user_settings TO player;
GRANT UPDATE (audio_enabled, video_enabled, volume, theme, show_player_names) ON app.user_settings TO player;

COMMIT;
