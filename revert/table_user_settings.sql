-- Revert arkagentic:table_user_settings from pg

BEGIN;

DROP TABLE app.user_settings;

COMMIT;
