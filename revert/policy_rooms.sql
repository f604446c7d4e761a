-- Revert arkagentic:policy_rooms from pg

BEGIN;

DROP POLICY rooms_admin_write ON app.rooms;
DROP POLICY rooms_read ON app.rooms;

COMMIT;
