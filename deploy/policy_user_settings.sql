-- Deploy arkagentic:policy_user_settings to pg
-- requires: table_user_settings function_auth_claims
-- Who sees and changes which rows of app.user_settings.

BEGIN;

CREATE POLICY user_settings_own_read ON app.user_settings FOR SELECT
  TO player USING (user_id = (SELECT auth.user_id()));
CREATE POLICY user_settings_own_update ON app.user_settings FOR UPDATE
  TO player USING (user_id = (SELECT auth.user_id())) WITH CHECK (user_id = (SELECT auth.user_id()));

COMMIT;
