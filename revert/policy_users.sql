-- Revert arkagentic:policy_users from pg

BEGIN;

DROP POLICY users_own_update ON app.users;
DROP POLICY users_own_read ON app.users;

COMMIT;
