-- Revert arkagentic:policy_user_settings from pg

BEGIN;

DROP POLICY user_settings_own_update ON app.user_settings;
DROP POLICY user_settings_own_read ON app.user_settings;

COMMIT;
