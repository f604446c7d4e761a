-- Revert arkagentic:table_login_throttle from pg

BEGIN;

DROP TABLE auth.login_throttle;

COMMIT;
