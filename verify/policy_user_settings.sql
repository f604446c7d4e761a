-- Verify arkagentic:policy_user_settings on pg

BEGIN;

DO $$
BEGIN
  ASSERT EXISTS (SELECT FROM pg_policies WHERE schemaname || '.' || tablename = 'app.user_settings' AND policyname = 'user_settings_own_read'),
    'policy user_settings_own_read on app.user_settings is missing';
  ASSERT EXISTS (SELECT FROM pg_policies WHERE schemaname || '.' || tablename = 'app.user_settings' AND policyname = 'user_settings_own_update'),
    'policy user_settings_own_update on app.user_settings is missing';
END
$$;

ROLLBACK;
