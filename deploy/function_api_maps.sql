-- Deploy arkagentic:function_api_maps to pg
-- requires: function_app_map_check policy_maps function_app_agents function_app_raise presence_worlds trigger_room_bounds
-- Publishing a map (issue 12), in one transaction: check it (app.map_check), create the room if it is new,
-- append an immutable version and make it current, replace the buildings and spawn points the previous map
-- made (hand-made ones stay), and move the players whose tile became a wall or left the map to the room's
-- spawn, announced as ordinary moves. A map with any error changes nothing: 400 with every problem.

BEGIN;

-- 400 the map is not valid, with every problem in details.
CREATE FUNCTION app.map_refuse(problems jsonb) RETURNS void
  LANGUAGE plpgsql STABLE
  SET search_path = ''
  AS $$
BEGIN
  PERFORM app.raise_api_error(400, 'PT400', 'the map is not valid',
    'Every problem is in details.errors, each with the JSON pointer of what is wrong; POST /rpc/validate_map lists them without publishing.',
    pg_catalog.jsonb_build_object('errors', problems));
END
$$;
REVOKE ALL ON FUNCTION app.map_refuse(jsonb) FROM PUBLIC;

-- Makes the room what version v of its map says: size, settings, the derived buildings and spawn points
-- (hand-made ones stay), and the players on a new wall or outside the map moved to the spawn and announced.
-- publish_map calls it for a new version; app.dba_rederive_map for the current one, after a DBA edited
-- derived rows by hand or the seed is applied again.
CREATE FUNCTION app.map_derive(room_id uuid, version integer, name text, map_summary jsonb, map_collision bit varying,
                               map_buildings jsonb, map_spawns jsonb, map_settings jsonb) RETURNS void
  LANGUAGE plpgsql VOLATILE
  SET search_path = ''
  AS $$
DECLARE
  chunk_size CONSTANT integer := 50;  -- moves per NOTIFY, as realtime.apply_moves sends them
  mw integer;
  mh integer;
  spawn record;
  moved jsonb;
  i integer := 0;
BEGIN
  mw := (map_summary ->> 'width')::integer;
  mh := (map_summary ->> 'height')::integer;

  -- Large enough for the old map and the new while rows move; the new size is set last.
  -- map_version is NULL meanwhile: a room with a map has the map's size (app.rooms_map_size).
  UPDATE app.rooms r SET width_tiles = greatest(r.width_tiles, mw), height_tiles = greatest(r.height_tiles, mh),
                         map_version = NULL
   WHERE r.id = map_derive.room_id;

  DELETE FROM app.buildings b
   WHERE b.room_id = map_derive.room_id AND b.derived
     AND b.slug NOT IN (SELECT e ->> 'slug' FROM pg_catalog.jsonb_array_elements(map_buildings) AS e);
  INSERT INTO app.buildings AS b (room_id, slug, name, type, x, y, width, height, door_x, door_y, agent_id,
                                  target_room_id, jitsi_room, derived)
  SELECT map_derive.room_id, n.slug, n.name, n.type, n.x, n.y, n.width, n.height, n.door_x, n.door_y, n.agent_id,
         n.target_room_id, n.jitsi_room, true
    FROM pg_catalog.jsonb_to_recordset(map_buildings)
         AS n(slug text, name text, type text, x integer, y integer, width integer, height integer, door_x integer,
              door_y integer, agent_id uuid, target_room_id uuid, jitsi_room text)
  ON CONFLICT ON CONSTRAINT buildings_slug_key DO UPDATE SET
    name = EXCLUDED.name, type = EXCLUDED.type, x = EXCLUDED.x, y = EXCLUDED.y, width = EXCLUDED.width,
    height = EXCLUDED.height, door_x = EXCLUDED.door_x, door_y = EXCLUDED.door_y, agent_id = EXCLUDED.agent_id,
    target_room_id = EXCLUDED.target_room_id, jitsi_room = EXCLUDED.jitsi_room
  WHERE b.derived;

  DELETE FROM app.spawn_points s
   WHERE s.room_id = map_derive.room_id AND s.derived
     AND s.slug NOT IN (SELECT e ->> 'slug' FROM pg_catalog.jsonb_array_elements(map_spawns) AS e);
  INSERT INTO app.spawn_points AS s (room_id, slug, x, y, type, agent_id, direction, derived)
  SELECT map_derive.room_id, n.slug, n.x, n.y, n.type, n.agent_id, n.direction::app.direction, true
    FROM pg_catalog.jsonb_to_recordset(map_spawns)
         AS n(slug text, x integer, y integer, type text, agent_id uuid, direction text)
  ON CONFLICT ON CONSTRAINT spawn_points_slug_key DO UPDATE SET
    x = EXCLUDED.x, y = EXCLUDED.y, type = EXCLUDED.type, agent_id = EXCLUDED.agent_id, direction = EXCLUDED.direction
  WHERE s.derived;

  -- Players on a tile that is now a wall, or outside the map, go to the first free player spawn (by slug),
  -- else to the default spawn, which map_check chose free. Their rows are locked first, in user_id order as
  -- the move path locks them: a move in flight commits before this looks at where its player stands, and
  -- a move that comes later waits for this transaction and is judged by the new map's walls.
  PERFORM FROM app.player_presence p WHERE p.room_id = map_derive.room_id ORDER BY p.user_id FOR UPDATE;
  SELECT s.x, s.y INTO spawn FROM app.spawn_points s
   WHERE s.room_id = map_derive.room_id AND s.type = 'player' AND s.x < mw AND s.y < mh
     AND pg_catalog.get_bit(map_collision, s.y * mw + s.x) = 0
   ORDER BY s.slug COLLATE "C" LIMIT 1;
  IF spawn.x IS NULL THEN
    SELECT (map_settings ->> 'default_spawn_x')::integer AS x, (map_settings ->> 'default_spawn_y')::integer AS y INTO spawn;
  END IF;
  WITH relocated AS (
    UPDATE app.player_presence p SET x = spawn.x, y = spawn.y, last_update = pg_catalog.clock_timestamp()
     WHERE p.room_id = map_derive.room_id
       AND (p.x >= mw OR p.y >= mh OR pg_catalog.get_bit(map_collision, p.y * mw + p.x) = 1)
    RETURNING p.user_id, p.x, p.y, p.direction, p.status)
  SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('user_id', r.user_id, 'x', r.x, 'y', r.y, 'direction', r.direction)
                              ORDER BY r.user_id)
    INTO moved FROM relocated r WHERE r.status <> 'offline';

  UPDATE app.rooms r SET
    width_tiles = mw, height_tiles = mh,
    default_spawn_x = (map_settings ->> 'default_spawn_x')::integer,
    default_spawn_y = (map_settings ->> 'default_spawn_y')::integer,
    name = coalesce(map_derive.name, map_settings ->> 'name', r.name),
    max_speed = coalesce((map_settings ->> 'max_speed')::numeric, r.max_speed),
    proximity_radius = coalesce((map_settings ->> 'proximity_radius')::integer, r.proximity_radius),
    map_version = map_derive.version
   WHERE r.id = map_derive.room_id;

  WHILE i < coalesce(pg_catalog.jsonb_array_length(moved), 0) LOOP
    PERFORM app.presence_notify(pg_catalog.jsonb_build_object(
      'type', 'moves',
      'moves', (SELECT pg_catalog.jsonb_agg(e.value ORDER BY e.o) FROM pg_catalog.jsonb_array_elements(moved) WITH ORDINALITY AS e(value, o)
                 WHERE e.o > i AND e.o <= i + chunk_size)) || app.room_where(map_derive.room_id));
    i := i + chunk_size;
  END LOOP;

END
$$;
COMMENT ON FUNCTION app.map_derive(uuid, integer, text, jsonb, bit varying, jsonb, jsonb, jsonb) IS
  'Derives the room from version `version` of its map, given what app.map_check made of it (it found no error): size, settings, derived buildings and spawn points, players moved off new walls.';
REVOKE ALL ON FUNCTION app.map_derive(uuid, integer, text, jsonb, bit varying, jsonb, jsonb, jsonb) FROM PUBLIC;

CREATE FUNCTION app.map_publish(w app.worlds, room_slug text, map jsonb, name text, publisher_role text,
                                publisher uuid, restored_from integer DEFAULT NULL) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SET search_path = ''
  AS $$
DECLARE
  room app.rooms;
  checked record;
  problems jsonb;
  v integer;
  mw integer;
  mh integer;
BEGIN
  IF room_slug IS NULL OR room_slug !~ '^[a-z0-9]+(-[a-z0-9]+)*$' OR pg_catalog.char_length(room_slug) > 64 THEN
    PERFORM app.raise_api_error(400, 'PT400', 'room_slug must be a slug', 'Lowercase letters, digits and single dashes, at most 64 characters.',
                                pg_catalog.jsonb_build_object('room_slug', pg_catalog.left(room_slug, 64)));
  END IF;
  IF name IS NOT NULL AND (pg_catalog.char_length(name) NOT BETWEEN 1 AND 64 OR name ~ '[[:cntrl:]]') THEN
    PERFORM app.raise_api_error(400, 'PT400', 'name must be 1 to 64 characters', 'Leave name out to take the map''s property name.',
                                pg_catalog.jsonb_build_object('name', pg_catalog.left(name, 64)));
  END IF;
  -- Publishers of one room queue on its row, so versions are numbered without gaps or twins.
  SELECT * INTO room FROM app.rooms r WHERE r.world_id = w.id AND r.slug = room_slug FOR UPDATE;
  checked := app.map_check(map, w.id, room.id);
  problems := checked.errors;
  IF problems @> '[{"severity": "error"}]' THEN
    PERFORM app.map_refuse(problems);
  END IF;
  mw := (checked.summary ->> 'width')::integer;
  mh := (checked.summary ->> 'height')::integer;

  IF room.id IS NULL THEN
    INSERT INTO app.rooms (world_id, slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y)
    VALUES (w.id, room_slug, coalesce(name, checked.settings ->> 'name', room_slug), room_slug, mw, mh,
            (checked.settings ->> 'default_spawn_x')::integer, (checked.settings ->> 'default_spawn_y')::integer)
    ON CONFLICT (world_id, slug) DO NOTHING;
    -- A concurrent publisher may have created it first: either way, queue on it now.
    SELECT * INTO room FROM app.rooms r WHERE r.world_id = w.id AND r.slug = room_slug FOR UPDATE;
  END IF;

  v := coalesce((SELECT max(x.version) FROM app.map_versions x WHERE x.room_id = room.id), 0) + 1;
  INSERT INTO app.map_versions (room_id, world_id, version, name, map, summary, width, height, collision,
                                published_by, publisher_role, restored_from)
  VALUES (room.id, w.id, v, coalesce(name, checked.settings ->> 'name', room.name), map, checked.summary, mw, mh,
          checked.collision, publisher, publisher_role, restored_from);

  PERFORM app.map_derive(room.id, v, name, checked.summary, checked.collision, checked.buildings, checked.spawns,
                         checked.settings);
  RETURN pg_catalog.jsonb_build_object('room_id', room.id, 'version', v, 'summary', checked.summary);
END
$$;
COMMENT ON FUNCTION app.map_publish(app.worlds, text, jsonb, text, text, uuid, integer) IS
  'Publishes a map as the next version of room room_slug of world w (created if missing) and derives the room from it; 400 with every problem when it is not valid. The callers check who may.';
REVOKE ALL ON FUNCTION app.map_publish(app.worlds, text, jsonb, text, text, uuid, integer) FROM PUBLIC;

-- The world whose maps the caller publishes: 404 when they cannot see it, 403 when they do not edit it.
CREATE FUNCTION app.map_world(world_slug text) RETURNS app.worlds
  LANGUAGE plpgsql VOLATILE
  SET search_path = ''
  AS $$
DECLARE
  w app.worlds;
BEGIN
  IF world_slug IS NULL THEN
    PERFORM app.raise_api_error(400, 'PT400', 'world_slug is required', 'The installation''s own world is ark; GET /worlds lists yours.');
  END IF;
  w := app.agent_world(world_slug);
  IF w.archived_at IS NOT NULL OR NOT w.id = ANY (app.map_editor_world_ids()) THEN
    PERFORM app.raise_api_error(403, 'PT403', 'only the world''s owner and editors publish its maps',
                                'content_admin publishes the installation''s maps; an archived world takes none.',
                                pg_catalog.jsonb_build_object('world', w.slug));
  END IF;
  RETURN w;
END
$$;
REVOKE ALL ON FUNCTION app.map_world(text) FROM PUBLIC;

CREATE FUNCTION api.validate_map(map jsonb, world_slug text DEFAULT NULL, room_slug text DEFAULT NULL) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE  -- app.agent_world records a visit to an unlisted world
  SECURITY DEFINER  -- reads the tileset registry, agents and rooms whatever the caller's rights
  SET search_path = ''
  AS $$
DECLARE
  w app.worlds;
  room_id uuid;
  checked record;
BEGIN
  IF world_slug IS NOT NULL THEN
    w := app.agent_world(world_slug);  -- 404 for a world the caller may not see
    SELECT r.id INTO room_id FROM app.rooms r WHERE r.world_id = w.id AND r.slug = validate_map.room_slug;
  END IF;
  checked := app.map_check(map, w.id, room_id);
  RETURN pg_catalog.jsonb_build_object('ok', NOT checked.errors @> '[{"severity": "error"}]',
                                       'errors', checked.errors, 'summary', checked.summary);
END
$$;
COMMENT ON FUNCTION api.validate_map(jsonb, text, text) IS
  'A dry run of publish_map: {ok, errors: [{severity, path, message}], summary}. Every problem at once, each with the JSON pointer of what is wrong. Without world_slug, agents are looked up among the installation''s and other rooms are not consulted; with world_slug (and room_slug), exactly what publish_map would check. 404 for a world you may not see.';
REVOKE ALL ON FUNCTION api.validate_map(jsonb, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.validate_map(jsonb, text, text) TO player, content_admin;

CREATE FUNCTION api.publish_map(world_slug text, room_slug text, map jsonb, name text DEFAULT NULL) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
BEGIN
  RETURN app.map_publish(app.map_world(world_slug), room_slug, map, name, app.request_role(),
                         auth.user_id());
END
$$;
COMMENT ON FUNCTION api.publish_map(text, text, jsonb, text) IS
  'Publish a Tiled JSON map as the next version of a room of your world (created if missing): {room_id, version, summary}. Its buildings and spawn points replace the ones the previous map made; players on a new wall move to the spawn. 400 with details.errors when the map is not valid, 403 unless you own or edit the world, 404 for a world you may not see.';
REVOKE ALL ON FUNCTION api.publish_map(text, text, jsonb, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.publish_map(text, text, jsonb, text) TO player, content_admin;

CREATE FUNCTION api.restore_map(world_slug text, room_slug text, version integer) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  w app.worlds := app.map_world(world_slug);
  old app.map_versions;
BEGIN
  SELECT x.* INTO old FROM app.map_versions x JOIN app.rooms r ON r.id = x.room_id
   WHERE r.world_id = w.id AND r.slug = restore_map.room_slug AND x.version = restore_map.version;
  IF NOT FOUND THEN
    PERFORM app.raise_api_error(404, 'PT404', 'unknown map version', 'GET /map_versions?room_id=eq.<room id> lists the versions.',
                                pg_catalog.jsonb_build_object('room_slug', pg_catalog.left(room_slug, 64), 'version', version));
  END IF;
  RETURN app.map_publish(w, room_slug, old.map, old.name, app.request_role(), auth.user_id(), old.version);
END
$$;
COMMENT ON FUNCTION api.restore_map(text, text, integer) IS
  'Publish an earlier version of a room''s map again, as a new version: {room_id, version, summary}. 404 for an unknown version; otherwise as publish_map.';
REVOKE ALL ON FUNCTION api.restore_map(text, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.restore_map(text, text, integer) TO player, content_admin;

-- For DBAs in psql, as the database owner: publish into any world.
CREATE FUNCTION app.dba_publish_map(world_slug text, room_slug text, map jsonb, name text DEFAULT NULL) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SET search_path = ''
  AS $$
DECLARE
  w app.worlds;
BEGIN
  SELECT * INTO w FROM app.worlds x WHERE x.slug = world_slug;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown world' USING ERRCODE = 'no_data_found', HINT = 'SELECT slug FROM app.worlds lists them.';
  END IF;
  RETURN app.map_publish(w, room_slug, map, name, 'dba', NULL);
END
$$;
COMMENT ON FUNCTION app.dba_publish_map(text, text, jsonb, text) IS
  'psql for DBAs: SELECT app.dba_publish_map(''ark'', ''town'', :''map''); publishes like api.publish_map, in any world.';
REVOKE ALL ON FUNCTION app.dba_publish_map(text, text, jsonb, text) FROM PUBLIC;

-- For DBAs in psql: the room again as its current map says, after derived rows were edited by hand; the
-- seed calls it for maps that did not change.
CREATE FUNCTION app.dba_rederive_map(world_slug text, room_slug text) RETURNS integer
  LANGUAGE plpgsql VOLATILE
  SET search_path = ''
  AS $$
DECLARE
  room app.rooms;
  current app.map_versions;
  checked record;
BEGIN
  SELECT r.* INTO room FROM app.rooms r JOIN app.worlds w ON w.id = r.world_id
   WHERE w.slug = world_slug AND r.slug = room_slug FOR UPDATE OF r;
  SELECT m.* INTO current FROM app.map_versions m WHERE m.room_id = room.id AND m.version = room.map_version;
  IF current.room_id IS NULL THEN
    RAISE EXCEPTION 'no such room with a map' USING ERRCODE = 'no_data_found',
      HINT = 'SELECT w.slug, r.slug FROM app.rooms r JOIN app.worlds w ON w.id = r.world_id WHERE r.map_version IS NOT NULL';
  END IF;
  checked := app.map_check(current.map, room.world_id, room.id);
  IF checked.errors @> '[{"severity": "error"}]' THEN
    PERFORM app.map_refuse(checked.errors);
  END IF;
  PERFORM app.map_derive(room.id, current.version, NULL, checked.summary, checked.collision, checked.buildings,
                         checked.spawns, checked.settings);
  RETURN current.version;
END
$$;
COMMENT ON FUNCTION app.dba_rederive_map(text, text) IS
  'psql for DBAs: SELECT app.dba_rederive_map(''ark'', ''town''); makes the room again what its current map says (derived rows, size, settings), without a new version; returns that version.';
REVOKE ALL ON FUNCTION app.dba_rederive_map(text, text) FROM PUBLIC;

COMMIT;
