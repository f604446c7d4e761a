-- Verify arkagentic:table_user_settings on pg

BEGIN;

SELECT user_id, audio_enabled, video_enabled, volume, theme, show_player_names, updated_at FROM app.user_settings WHERE false;
DO $$
BEGIN
  ASSERT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'app.user_settings'::regclass),
    'row-level security must be enabled and forced on app.user_settings';
END
$$;

ROLLBACK;
