-- Revert arkagentic:policy_spawn_points from pg

BEGIN;

DROP POLICY spawn_points_admin_write ON app.spawn_points;
DROP POLICY spawn_points_read ON app.spawn_points;

COMMIT;
