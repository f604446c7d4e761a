-- Revert arkagentic:function_app_validators from pg

BEGIN;

DROP TRIGGER agents_touch ON app.agents;
DROP TRIGGER user_settings_touch ON app.user_settings;
DROP FUNCTION app.touch_updated_at();
DROP TRIGGER users_validate ON app.users;
DROP FUNCTION app.users_validate();
DROP FUNCTION app.check_password(text);
DROP FUNCTION app.check_email(text);
DROP FUNCTION app.check_avatar_sprite(text);
DROP FUNCTION app.check_display_name(text);

COMMIT;
