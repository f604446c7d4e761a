-- Revert arkagentic:trigger_room_bounds from pg

BEGIN;

DROP TRIGGER rooms_keep_contents_inside ON app.rooms;
DROP FUNCTION app.rooms_keep_contents_inside();
DROP TRIGGER player_presence_inside_room ON app.player_presence;
DROP TRIGGER spawn_points_inside_room ON app.spawn_points;
DROP FUNCTION app.point_inside_room();
DROP TRIGGER buildings_inside_room ON app.buildings;
DROP FUNCTION app.buildings_inside_room();
DROP FUNCTION app.assert_inside_room(uuid, integer, integer, text);

COMMIT;
