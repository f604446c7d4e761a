-- Revert arkagentic:trigger_rows_off_walls from pg

BEGIN;

DROP TRIGGER rooms_off_walls ON app.rooms;
DROP TRIGGER buildings_off_walls ON app.buildings;
DROP TRIGGER spawn_points_off_walls ON app.spawn_points;
DROP FUNCTION app.rows_off_walls();
DROP FUNCTION app.tile_blocked(uuid, integer, integer, integer);

COMMIT;
