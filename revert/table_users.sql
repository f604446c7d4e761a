-- Revert arkagentic:table_users from pg

BEGIN;

DROP TABLE app.users;

COMMIT;
