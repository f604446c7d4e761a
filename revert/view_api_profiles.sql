-- Revert arkagentic:view_api_profiles from pg

BEGIN;

DROP VIEW api.user_settings;
DROP VIEW api.users;
DROP VIEW api.me;

COMMIT;
