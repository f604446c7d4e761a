-- Revert arkagentic:view_api_content_derived from pg
-- A view loses no column by CREATE OR REPLACE: the three are made again as view_api_content_world left
-- them, with the comments and grants they had (read from the catalog first).

BEGIN;

CREATE TEMPORARY TABLE kept_comments ON COMMIT DROP AS
  SELECT c.relname, a.attname, d.description
    FROM pg_catalog.pg_description d
    JOIN pg_catalog.pg_class c ON c.oid = d.objoid AND d.classoid = 'pg_catalog.pg_class'::regclass
    LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid
   WHERE c.oid IN ('api.rooms'::regclass, 'api.buildings'::regclass, 'api.spawn_points'::regclass)
     AND (d.objsubid = 0 OR a.attname NOT IN ('map_version', 'derived'));
CREATE TEMPORARY TABLE kept_grants ON COMMIT DROP AS
  SELECT c.relname, g.grantee::regrole::text AS grantee, g.privilege_type
    FROM pg_catalog.pg_class c, pg_catalog.aclexplode(c.relacl) g
   WHERE c.oid IN ('api.rooms'::regclass, 'api.buildings'::regclass, 'api.spawn_points'::regclass)
     AND g.grantee <> c.relowner AND g.grantee <> 0;

DROP VIEW api.rooms, api.buildings, api.spawn_points;
CREATE VIEW api.rooms WITH (security_invoker = true) AS
  SELECT id, slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y, is_main,
         max_speed, proximity_radius, world_id
    FROM app.rooms;
CREATE VIEW api.buildings WITH (security_invoker = true) AS
  SELECT id, room_id, slug, name, type, x, y, width, height, door_x, door_y, agent_id, target_room_id, jitsi_room,
         world_id
    FROM app.buildings;
CREATE VIEW api.spawn_points WITH (security_invoker = true) AS
  SELECT id, room_id, slug, x, y, type, agent_id, direction, world_id
    FROM app.spawn_points;

DO $$
DECLARE
  k record;
BEGIN
  FOR k IN SELECT * FROM kept_comments LOOP
    IF k.attname IS NULL THEN
      EXECUTE pg_catalog.format('COMMENT ON VIEW api.%I IS %L', k.relname, k.description);
    ELSE
      EXECUTE pg_catalog.format('COMMENT ON COLUMN api.%I.%I IS %L', k.relname, k.attname, k.description);
    END IF;
  END LOOP;
  -- Column grants of the deploy became table grants again, as they were before it.
  FOR k IN SELECT DISTINCT relname, grantee, privilege_type FROM kept_grants LOOP
    EXECUTE pg_catalog.format('GRANT %s ON api.%I TO %I', k.privilege_type, k.relname, k.grantee);
  END LOOP;
  GRANT INSERT, UPDATE ON api.rooms, api.buildings, api.spawn_points TO player, content_admin;
END
$$;

COMMIT;
