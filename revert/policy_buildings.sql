-- Revert arkagentic:policy_buildings from pg

BEGIN;

DROP POLICY buildings_admin_write ON app.buildings;
DROP POLICY buildings_read ON app.buildings;

COMMIT;
