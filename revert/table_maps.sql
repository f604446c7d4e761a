-- Revert arkagentic:table_maps from pg

BEGIN;

ALTER TABLE app.spawn_points DROP COLUMN derived;
-- app.meeting_zone_holds takes a buildings row in a SQL-standard body, which pins the row type: it is
-- dropped for the new column and made again as function_app_meetings wrote it (its callers are PL/pgSQL,
-- which look it up when they run).
DROP FUNCTION app.meeting_zone_holds(app.buildings, uuid, integer, integer, text);
ALTER TABLE app.buildings DROP COLUMN derived;
CREATE FUNCTION app.meeting_zone_holds(b app.buildings, room_id uuid, x integer, y integer, status text) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN b.type = 'meeting' AND b.room_id = meeting_zone_holds.room_id AND meeting_zone_holds.status <> 'offline'
     AND meeting_zone_holds.x >= b.x AND meeting_zone_holds.x < b.x + b.width
     AND meeting_zone_holds.y >= b.y AND meeting_zone_holds.y < b.y + b.height;
COMMENT ON FUNCTION app.meeting_zone_holds(app.buildings, uuid, integer, integer, text) IS
  'Whether a player at (room_id, x, y) with this status stands in meeting building b''s zone: the zone rule.';
REVOKE ALL ON FUNCTION app.meeting_zone_holds(app.buildings, uuid, integer, integer, text) FROM PUBLIC;
DROP TRIGGER rooms_map_size ON app.rooms;
DROP FUNCTION app.rooms_map_size();
ALTER TABLE app.rooms DROP COLUMN map_version;
DROP TABLE app.map_versions;
DROP FUNCTION app.map_versions_immutable();
DROP TABLE app.tilesets;

COMMIT;
