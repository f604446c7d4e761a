-- Deploy arkagentic:function_app_map_check to pg
-- requires: table_maps function_app_agents table_rooms_world
-- What a valid map is, in one place (issue 12): app.map_check reads a Tiled JSON map and returns every
-- problem at once, each with the JSON pointer of what is wrong, and what the map says: the collision grid,
-- the buildings, the spawn points and the room's settings. api.validate_map returns its problems;
-- api.publish_map, api.restore_map and app.dba_publish_map store what it derived. With world_id NULL (the
-- dry run) it knows the installation's agents only and does not look at other rooms; with room_id it also
-- checks the room's hand-made buildings and spawn points against the map.

BEGIN;

-- One entry of map_check's problem list.
CREATE FUNCTION app.map_problem(path text, message text, severity text DEFAULT 'error') RETURNS jsonb
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  SET search_path = ''
  RETURN pg_catalog.jsonb_build_object('severity', severity, 'path', path, 'message', message);
REVOKE ALL ON FUNCTION app.map_problem(text, text, text) FROM PUBLIC;

-- A JSON number that is a whole number within integer range, else NULL.
CREATE FUNCTION app.map_int(v jsonb) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  SET search_path = ''
  RETURN CASE WHEN pg_catalog.jsonb_typeof(v) = 'number' AND (v #>> '{}')::numeric % 1 = 0
                   AND abs((v #>> '{}')::numeric) < 2147483647
              THEN (v #>> '{}')::numeric::integer END;
REVOKE ALL ON FUNCTION app.map_int(jsonb) FROM PUBLIC;

-- A JSON number as double precision (finite: JSON has no infinities), else NULL.
CREATE FUNCTION app.map_num(v jsonb) RETURNS double precision
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  SET search_path = ''
  RETURN CASE WHEN pg_catalog.jsonb_typeof(v) = 'number' AND abs((v #>> '{}')::numeric) < 1e9
              THEN (v #>> '{}')::double precision END;
REVOKE ALL ON FUNCTION app.map_num(jsonb) FROM PUBLIC;

-- The first Tiled property named prop in a properties array: its index (for the JSON pointer) and value.
CREATE FUNCTION app.map_prop(props jsonb, prop text, OUT idx integer, OUT value jsonb) RETURNS record
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE  -- PL/pgSQL: a row of NULLs, never a NULL record, when it is missing
  SET search_path = ''
  AS $$
BEGIN
  SELECT (e.o - 1)::integer, e.p -> 'value' INTO idx, value
    FROM pg_catalog.jsonb_array_elements(CASE WHEN pg_catalog.jsonb_typeof(props) = 'array' THEN props ELSE '[]' END)
         WITH ORDINALITY AS e(p, o)
   WHERE e.p ->> 'name' = prop
   ORDER BY e.o
   LIMIT 1;
END
$$;
REVOKE ALL ON FUNCTION app.map_prop(jsonb, text) FROM PUBLIC;

-- A slug made of a name: lower case, every run of other characters a dash; NULL when nothing is left.
CREATE FUNCTION app.map_slugify(name text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  SET search_path = ''
  RETURN nullif(pg_catalog.btrim(pg_catalog.left(pg_catalog.btrim(
           pg_catalog.regexp_replace(pg_catalog.lower(name), '[^a-z0-9]+', '-', 'g'), '-'), 64), '-'), '');
REVOKE ALL ON FUNCTION app.map_slugify(text) FROM PUBLIC;

CREATE FUNCTION app.map_check(map jsonb, world_id uuid, room_id uuid,
                              OUT errors jsonb, OUT summary jsonb, OUT collision bit varying,
                              OUT buildings jsonb, OUT spawns jsonb, OUT settings jsonb)
  RETURNS record
  LANGUAGE plpgsql STABLE
  SET search_path = ''
  AS $$
DECLARE
  max_bytes CONSTANT integer := 4194304;
  text_form text;
  bare text;
  gid_mask CONSTANT bigint := 268435455;  -- Tiled keeps flip and rotation flags in the top four bits
  slug_shape CONSTANT text := '^[a-z0-9]+(-[a-z0-9]+)*$';
  w integer; h integer; tw integer; th integer;
  ts record; reg app.tilesets; first integer; ts_ok boolean; tilesets_ok boolean := true;
  -- The gids the tilesets define, and the ones that collide, as multiranges: one lookup per tile.
  valid_gids int8multirange := '{}'; collide_gids int8multirange := '{}';
  layer_blocked integer[]; layer_tiles jsonb; all_firsts integer[] := '{}'; bad_firsts integer[] := '{}';
  leaves jsonb; too_deep text; bad_group text; leaf record; layer jsonb; path text; enc text; bad boolean;
  gids bigint[]; raw bytea; bad_first bigint; bad_count bigint; layer_collides boolean;
  blocked_idx integer[] := '{}'; start_layers jsonb := '[]'; objs jsonb := '[]'; n_objects integer := 0;
  obj record; o jsonb; cls text; kind text; props jsonb; p record; q record;
  ox double precision; oy double precision; ow double precision; oh double precision; is_point boolean;
  left_x integer; top_y integer; right_x integer; bottom_y integer; tx integer; ty integer;
  b_name text; b_slug text; b_agent uuid; b_target uuid; b_jitsi text; door_x integer; door_y integer;
  dir text; agent_slug text;
  n_start integer := 0;
  -- Lists grow by array appends (amortised constant time); a jsonb value would be copied whole each time.
  problems jsonb[] := '{}'; b_list jsonb[] := '{}'; s_list jsonb[] := '{}'; door_list jsonb[] := '{}';
  found_problems jsonb[]; jitsi_path text; bits text; spawn_x integer; spawn_y integer; free_at integer;
BEGIN
  errors := '[]'; buildings := '[]'; spawns := '[]'; settings := '{}';
  IF pg_catalog.jsonb_typeof(map) IS DISTINCT FROM 'object' THEN
    errors := pg_catalog.to_jsonb(problems || app.map_problem('', 'the map must be a JSON object (a Tiled JSON map)'));
    RETURN;
  END IF;
  -- 4 MB of JSON as sent. PostgreSQL writes jsonb with ", " and ": " where a client may have sent "," and
  -- ":", so only a map whose rendering is over the limit is measured again without those spaces (strings
  -- emptied first, so that their contents do not count as separators).
  IF pg_catalog.octet_length(map::text) > max_bytes THEN
    text_form := map::text;
    bare := pg_catalog.regexp_replace(text_form, '"(?:[^"\\]|\\.)*"', '""', 'g');
    IF pg_catalog.octet_length(text_form) - (pg_catalog.octet_length(bare)
         - pg_catalog.octet_length(pg_catalog.replace(pg_catalog.replace(bare, ', ', ','), ': ', ':'))) > max_bytes THEN
      errors := pg_catalog.to_jsonb(problems || app.map_problem('', 'the map is larger than 4 MB of JSON'));
      RETURN;
    END IF;
  END IF;

  -- Format
  IF map ->> 'type' IS DISTINCT FROM 'map' THEN
    problems := problems || app.map_problem('/type', 'type must be "map"');
  END IF;
  IF map ->> 'orientation' IS DISTINCT FROM 'orthogonal' THEN
    problems := problems || app.map_problem('/orientation', 'only orthogonal maps are supported');
  END IF;
  IF map ? 'infinite' AND map -> 'infinite' IS DISTINCT FROM 'false'::jsonb THEN
    problems := problems || app.map_problem('/infinite', 'infinite maps are not supported: untick Infinite in the map properties');
  END IF;
  w := app.map_int(map -> 'width'); h := app.map_int(map -> 'height');
  tw := app.map_int(map -> 'tilewidth'); th := app.map_int(map -> 'tileheight');
  IF w IS NULL OR w NOT BETWEEN 1 AND 1000 THEN
    problems := problems || app.map_problem('/width', 'width must be a whole number of tiles from 1 to 1000');
  END IF;
  IF h IS NULL OR h NOT BETWEEN 1 AND 1000 THEN
    problems := problems || app.map_problem('/height', 'height must be a whole number of tiles from 1 to 1000');
  END IF;
  IF w BETWEEN 1 AND 1000 AND h BETWEEN 1 AND 1000 AND w * h > 250000 THEN
    problems := problems || app.map_problem('/width', 'width x height must be at most 250000 tiles');
  END IF;
  IF tw IS NULL OR tw NOT BETWEEN 8 AND 256 THEN
    problems := problems || app.map_problem('/tilewidth', 'tilewidth must be a whole number of pixels from 8 to 256');
  END IF;
  IF th IS NULL OR th NOT BETWEEN 8 AND 256 THEN
    problems := problems || app.map_problem('/tileheight', 'tileheight must be a whole number of pixels from 8 to 256');
  END IF;
  errors := pg_catalog.to_jsonb(problems);
  IF errors @> '[{"path": "/width"}]' OR errors @> '[{"path": "/height"}]'
     OR errors @> '[{"path": "/tilewidth"}]' OR errors @> '[{"path": "/tileheight"}]' THEN
    RETURN;  -- nothing else can be placed without the grid
  END IF;

  -- Tilesets: embedded, and each one of GET /tilesets; the registry's tilecount bounds the gids.
  IF pg_catalog.jsonb_typeof(map -> 'tilesets') IS DISTINCT FROM 'array' THEN
    problems := problems || app.map_problem('/tilesets', 'tilesets must be an array');
    tilesets_ok := false;
  ELSIF pg_catalog.jsonb_array_length(map -> 'tilesets') > 32 THEN
    problems := problems || app.map_problem('/tilesets', 'a map may have at most 32 tilesets');
    tilesets_ok := false;
  ELSE
    FOR ts IN SELECT e.value AS t, (e.o - 1)::integer AS k
                FROM pg_catalog.jsonb_array_elements(map -> 'tilesets') WITH ORDINALITY AS e(value, o) LOOP
      path := '/tilesets/' || ts.k;
      ts_ok := true;
      IF pg_catalog.jsonb_typeof(ts.t) IS DISTINCT FROM 'object' THEN
        problems := problems || app.map_problem(path, 'a tileset must be a JSON object');
        tilesets_ok := false;
        CONTINUE;
      END IF;
      first := app.map_int(ts.t -> 'firstgid');
      IF first < 1 THEN
        first := NULL;
      END IF;
      all_firsts := all_firsts || first;
      IF ts.t ? 'source' THEN
        problems := problems || app.map_problem(path || '/source', 'external tilesets are not supported: embed the tileset (Tiled: Map > Embed Tilesets)');
        bad_firsts := bad_firsts || first;
        CONTINUE;
      END IF;
      IF first IS NULL THEN
        problems := problems || app.map_problem(path || '/firstgid', 'firstgid must be a positive whole number');
        ts_ok := false;
      END IF;
      SELECT * INTO reg FROM app.tilesets r WHERE r.image = ts.t ->> 'image';
      IF NOT FOUND THEN
        problems := problems || app.map_problem(path || '/image', 'the tileset image is none of GET /tilesets: use one of the installation''s tileset images');
        bad_firsts := bad_firsts || first;
        CONTINUE;
      END IF;
      IF app.map_int(ts.t -> 'tilewidth') IS DISTINCT FROM reg.tile_width THEN
        problems := problems || app.map_problem(path || '/tilewidth', 'tilewidth differs from the registered tileset''s (GET /tilesets)');
        ts_ok := false;
      END IF;
      IF app.map_int(ts.t -> 'tileheight') IS DISTINCT FROM reg.tile_height THEN
        problems := problems || app.map_problem(path || '/tileheight', 'tileheight differs from the registered tileset''s (GET /tilesets)');
        ts_ok := false;
      END IF;
      IF app.map_int(ts.t -> 'columns') IS DISTINCT FROM reg.columns THEN
        problems := problems || app.map_problem(path || '/columns', 'columns differs from the registered tileset''s (GET /tilesets)');
        ts_ok := false;
      END IF;
      IF NOT ts_ok THEN
        bad_firsts := bad_firsts || first;
        CONTINUE;
      END IF;
      valid_gids := valid_gids + pg_catalog.int8multirange(pg_catalog.int8range(first, first::bigint + reg.tilecount));
      collide_gids := collide_gids + (
        SELECT coalesce(pg_catalog.range_agg(pg_catalog.int8range(first::bigint + app.map_int(tile -> 'id'), first::bigint + app.map_int(tile -> 'id') + 1)), '{}')
          FROM pg_catalog.jsonb_array_elements(CASE WHEN pg_catalog.jsonb_typeof(ts.t -> 'tiles') = 'array'
                                                    THEN ts.t -> 'tiles' ELSE '[]' END) AS tile
         WHERE app.map_int(tile -> 'id') BETWEEN 0 AND reg.tilecount - 1
           AND (app.map_prop(tile -> 'properties', 'collides')).value = 'true'::jsonb);
    END LOOP;
    -- A refused tileset (already an error) still owns the gids from its firstgid to the next tileset's:
    -- they are not reported again, and the gids of the good tilesets are still checked. One without a
    -- usable firstgid could own any gid, and the gid check is off.
    IF pg_catalog.array_position(bad_firsts, NULL) IS NOT NULL THEN
      tilesets_ok := false;
    END IF;
    valid_gids := valid_gids + coalesce((
      SELECT pg_catalog.range_agg(pg_catalog.int8range(b, (SELECT min(a) FROM pg_catalog.unnest(all_firsts) AS a WHERE a > b)))
        FROM pg_catalog.unnest(bad_firsts) AS b WHERE b IS NOT NULL), '{}');
  END IF;

  -- Layers, group layers flattened in document order (sorted by their index path).
  IF pg_catalog.jsonb_typeof(map -> 'layers') IS DISTINCT FROM 'array' THEN
    problems := problems || app.map_problem('/layers', 'layers must be an array');
    leaves := '[]';
  ELSE
    WITH RECURSIVE l(path, sortkey, layer, depth) AS (
      SELECT '/layers/' || (e.o - 1), ARRAY[e.o], e.value, 1
        FROM pg_catalog.jsonb_array_elements(map -> 'layers') WITH ORDINALITY AS e(value, o)
      UNION ALL
      SELECT l.path || '/layers/' || (e.o - 1), l.sortkey || e.o, e.value, l.depth + 1
        FROM l, pg_catalog.jsonb_array_elements(
                  CASE WHEN l.layer ->> 'type' = 'group' AND pg_catalog.jsonb_typeof(l.layer -> 'layers') = 'array'
                            AND l.depth < 32 THEN l.layer -> 'layers' ELSE '[]' END) WITH ORDINALITY AS e(value, o))
    SELECT coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('path', l.path, 'layer', l.layer) ORDER BY l.sortkey)
                      FILTER (WHERE l.layer ->> 'type' IS DISTINCT FROM 'group'), '[]'),
           min(l.path) FILTER (WHERE l.layer ->> 'type' = 'group' AND l.depth >= 32
                                 AND pg_catalog.jsonb_typeof(l.layer -> 'layers') = 'array'
                                 AND pg_catalog.jsonb_array_length(l.layer -> 'layers') > 0),
           min(l.path) FILTER (WHERE l.layer ->> 'type' = 'group' AND pg_catalog.jsonb_typeof(l.layer -> 'layers') IS DISTINCT FROM 'array')
      INTO leaves, too_deep, bad_group FROM l;
    IF bad_group IS NOT NULL THEN
      problems := problems || app.map_problem(bad_group || '/layers', 'a group layer''s layers must be an array');
    END IF;
    IF too_deep IS NOT NULL THEN
      problems := problems || app.map_problem(too_deep || '/layers', 'group layers may nest at most 32 deep');
    END IF;
    IF pg_catalog.jsonb_array_length(leaves) > 64 THEN
      problems := problems || app.map_problem('/layers', 'a map may have at most 64 layers (group layers count by what they hold)');
    END IF;
  END IF;

  FOR leaf IN SELECT e.value ->> 'path' AS path, e.value -> 'layer' AS layer FROM pg_catalog.jsonb_array_elements(leaves) AS e LOOP
    path := leaf.path;
    layer := leaf.layer;
    IF pg_catalog.jsonb_typeof(layer) IS DISTINCT FROM 'object'
       OR layer ->> 'type' IS NULL OR layer ->> 'type' NOT IN ('tilelayer', 'objectgroup', 'imagelayer') THEN
      problems := problems || app.map_problem(path, 'a layer must be a tilelayer, objectgroup, imagelayer or group');
    ELSIF layer ->> 'type' = 'tilelayer' THEN
      IF coalesce(layer ->> 'compression', '') <> '' THEN
        problems := problems || app.map_problem(path || '/compression', 'compressed layer data is not supported: save with Tile Layer Format: CSV');
        CONTINUE;
      END IF;
      enc := layer ->> 'encoding';
      IF enc IS NOT NULL AND enc NOT IN ('csv', 'base64') THEN
        problems := problems || app.map_problem(path || '/encoding', 'encoding must be csv or base64: save with Tile Layer Format: CSV');
        CONTINUE;
      END IF;
      bad := false;
      IF layer ? 'width' AND app.map_int(layer -> 'width') IS DISTINCT FROM w THEN
        problems := problems || app.map_problem(path || '/width', 'a tile layer must be as wide as the map');
        bad := true;
      END IF;
      IF layer ? 'height' AND app.map_int(layer -> 'height') IS DISTINCT FROM h THEN
        problems := problems || app.map_problem(path || '/height', 'a tile layer must be as high as the map');
        bad := true;
      END IF;
      CONTINUE WHEN bad;
      gids := NULL;
      IF coalesce(enc, 'csv') = 'csv' THEN
        IF pg_catalog.jsonb_typeof(layer -> 'data') = 'array' AND pg_catalog.jsonb_array_length(layer -> 'data') = w * h THEN
          SELECT pg_catalog.array_agg(CASE WHEN pg_catalog.jsonb_typeof(e.v) = 'number' AND (e.v #>> '{}') ~ '^[0-9]{1,10}$'
                                                AND (e.v #>> '{}')::bigint < 4294967296
                                           THEN (e.v #>> '{}')::bigint END ORDER BY e.o)
            INTO gids FROM pg_catalog.jsonb_array_elements(layer -> 'data') WITH ORDINALITY AS e(v, o);
          IF pg_catalog.array_position(gids, NULL) IS NOT NULL THEN
            gids := NULL;
          END IF;
        END IF;
      ELSIF pg_catalog.jsonb_typeof(layer -> 'data') = 'string' THEN
        BEGIN
          raw := pg_catalog.decode(layer ->> 'data', 'base64');
        EXCEPTION WHEN invalid_parameter_value THEN
          raw := NULL;
        END;
        IF pg_catalog.length(raw) = 4 * w * h THEN
          SELECT pg_catalog.array_agg(pg_catalog.get_byte(raw, 4 * i)::bigint
                                      + (pg_catalog.get_byte(raw, 4 * i + 1)::bigint << 8)
                                      + (pg_catalog.get_byte(raw, 4 * i + 2)::bigint << 16)
                                      + (pg_catalog.get_byte(raw, 4 * i + 3)::bigint << 24) ORDER BY i)
            INTO gids FROM pg_catalog.generate_series(0, w * h - 1) AS i;
        END IF;
      END IF;
      IF gids IS NULL THEN
        problems := problems || app.map_problem(path || '/data', pg_catalog.format(
          'data must hold %s tiles (width x height) as whole numbers from 0: a CSV array, or uncompressed base64', w * h));
        CONTINUE;
      END IF;
      -- One pass over the layer's tiles: gids outside every tileset, walls, and start tiles.
      layer_collides := (app.map_prop(layer -> 'properties', 'collides')).value = 'true'::jsonb;
      SELECT min(g.n) FILTER (WHERE NOT valid_gids @> g.t), count(*) FILTER (WHERE NOT valid_gids @> g.t),
             coalesce(pg_catalog.array_agg((g.n - 1)::integer) FILTER (WHERE layer_collides OR collide_gids @> g.t), '{}'),
             coalesce(pg_catalog.jsonb_agg(g.n - 1 ORDER BY g.n) FILTER (WHERE layer ->> 'name' = 'start'), '[]')
        INTO bad_first, bad_count, layer_blocked, layer_tiles
        FROM (SELECT u.n, u.gid & gid_mask AS t FROM pg_catalog.unnest(gids) WITH ORDINALITY AS u(gid, n)) AS g
       WHERE g.t > 0;
      IF tilesets_ok AND bad_count > 0 THEN
        -- A base64 layer's data is one string: the pointer stops at it, and the message names the tile.
        problems := problems || CASE WHEN enc = 'base64'
          THEN app.map_problem(path || '/data', pg_catalog.format(
                 '%s tiles of this layer use a gid outside every tileset; the first is tile %s', bad_count, bad_first - 1))
          ELSE app.map_problem(path || '/data/' || (bad_first - 1), pg_catalog.format(
                 '%s tiles of this layer use a gid outside every tileset; this is the first', bad_count)) END;
      END IF;
      blocked_idx := blocked_idx || layer_blocked;
      IF layer ->> 'name' = 'start' THEN
        start_layers := start_layers || pg_catalog.jsonb_build_object('path', path, 'tiles', layer_tiles,
                                                                      'base64', enc IS NOT DISTINCT FROM 'base64');
      END IF;
    ELSIF layer ->> 'type' = 'objectgroup' AND layer ? 'objects' THEN
      IF pg_catalog.jsonb_typeof(layer -> 'objects') IS DISTINCT FROM 'array' THEN
        problems := problems || app.map_problem(path || '/objects', 'objects must be an array');
        CONTINUE;
      END IF;
      n_objects := n_objects + pg_catalog.jsonb_array_length(layer -> 'objects');
      IF n_objects <= 10000 THEN
        objs := objs || (SELECT coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                                  'path', path || '/objects/' || (e.o - 1), 'o', e.value) ORDER BY e.o), '[]')
                           FROM pg_catalog.jsonb_array_elements(layer -> 'objects') WITH ORDINALITY AS e(value, o));
      END IF;
    END IF;
  END LOOP;
  IF n_objects > 10000 THEN
    problems := problems || app.map_problem('/layers', 'a map may have at most 10000 objects');
    objs := '[]';
  END IF;

  -- The collision grid, one bit per tile.
  SELECT pg_catalog.string_agg(CASE WHEN b.i IS NULL THEN '0' ELSE '1' END, '' ORDER BY g.i)
    INTO bits
    FROM pg_catalog.generate_series(0, w * h - 1) AS g(i)
    LEFT JOIN (SELECT DISTINCT x AS i FROM pg_catalog.unnest(blocked_idx) AS x) AS b ON b.i = g.i;
  collision := bits::bit varying;

  -- Map properties: the room's settings.
  p := app.map_prop(map -> 'properties', 'name');
  IF p.idx IS NOT NULL THEN
    IF pg_catalog.jsonb_typeof(p.value) IS DISTINCT FROM 'string' OR pg_catalog.char_length(p.value #>> '{}') NOT BETWEEN 1 AND 64
       OR (p.value #>> '{}') ~ '[[:cntrl:]]' THEN
      problems := problems || app.map_problem('/properties/' || p.idx, 'the map property name must be text of 1 to 64 characters');
    ELSE
      settings := settings || pg_catalog.jsonb_build_object('name', p.value);
    END IF;
  END IF;
  p := app.map_prop(map -> 'properties', 'max_speed');
  IF p.idx IS NOT NULL THEN
    IF app.map_num(p.value) IS NULL OR NOT (app.map_num(p.value) > 0 AND app.map_num(p.value) <= 100) THEN
      problems := problems || app.map_problem('/properties/' || p.idx, 'max_speed must be a number of tiles per second above 0 and at most 100');
    ELSE
      settings := settings || pg_catalog.jsonb_build_object('max_speed', p.value);
    END IF;
  END IF;
  p := app.map_prop(map -> 'properties', 'proximity_radius');
  IF p.idx IS NOT NULL THEN
    IF app.map_int(p.value) IS NULL OR app.map_int(p.value) NOT BETWEEN 0 AND 100 THEN
      problems := problems || app.map_problem('/properties/' || p.idx, 'proximity_radius must be a whole number of tiles from 0 to 100');
    ELSE
      settings := settings || pg_catalog.jsonb_build_object('proximity_radius', p.value);
    END IF;
  END IF;

  -- Doors first: a building finds the door point inside it whatever the order of the objects.
  FOR obj IN SELECT e.value ->> 'path' AS path, e.value -> 'o' AS o FROM pg_catalog.jsonb_array_elements(objs) AS e LOOP
    o := obj.o;
    CONTINUE WHEN pg_catalog.jsonb_typeof(o) IS DISTINCT FROM 'object'
               OR coalesce(nullif(o ->> 'class', ''), nullif(o ->> 'type', ''), '') <> 'door';
    ox := app.map_num(o -> 'x'); oy := app.map_num(o -> 'y');
    IF ox IS NULL OR oy IS NULL THEN
      problems := problems || app.map_problem(obj.path, 'a door needs x and y');
      CONTINUE;
    END IF;
    door_list := door_list || pg_catalog.jsonb_build_object('path', obj.path, 'x', floor(ox / tw)::integer, 'y', floor(oy / th)::integer);
  END LOOP;

  FOR obj IN SELECT e.value ->> 'path' AS path, e.value -> 'o' AS o FROM pg_catalog.jsonb_array_elements(objs) AS e LOOP
    o := obj.o;
    path := obj.path;
    IF pg_catalog.jsonb_typeof(o) IS DISTINCT FROM 'object' THEN
      problems := problems || app.map_problem(path, 'an object must be a JSON object');
      CONTINUE;
    END IF;
    -- Tiled 1.9 writes class, 1.8 and 1.10+ write type.
    cls := coalesce(nullif(o ->> 'class', ''), nullif(o ->> 'type', ''), '');
    props := o -> 'properties';
    IF props IS NOT NULL AND pg_catalog.jsonb_typeof(props) IS DISTINCT FROM 'array' THEN
      -- Tiled before 1.2 wrote an object here; read silently, a building's agent or door would be lost.
      problems := problems || app.map_problem(path || '/properties', 'properties must be an array of {name, type, value} (Tiled 1.2 and later)');
      CONTINUE;
    END IF;
    kind := CASE WHEN cls IN ('agent_room', 'portal', 'meeting', 'spawn', 'agent_spawn') THEN cls
                 WHEN cls IN ('', 'area') AND (app.map_prop(props, 'jitsiRoom')).idx IS NOT NULL THEN 'meeting' END;
    CONTINUE WHEN kind IS NULL;
    ox := app.map_num(o -> 'x'); oy := app.map_num(o -> 'y');
    ow := coalesce(app.map_num(o -> 'width'), 0); oh := coalesce(app.map_num(o -> 'height'), 0);
    IF ox IS NULL OR oy IS NULL OR ow < 0 OR oh < 0 THEN
      problems := problems || app.map_problem(path, 'the object needs numbers x and y, and a width and height that are not negative');
      CONTINUE;
    END IF;
    is_point := o -> 'point' = 'true'::jsonb OR (ow = 0 AND oh = 0);

    -- The slug: the property slug, else the name made a slug.
    p := app.map_prop(props, 'slug');
    IF p.idx IS NOT NULL AND (pg_catalog.jsonb_typeof(p.value) IS DISTINCT FROM 'string' OR (p.value #>> '{}') !~ slug_shape
                              OR pg_catalog.char_length(p.value #>> '{}') > 64) THEN
      problems := problems || app.map_problem(path || '/properties/' || p.idx, 'slug must be lowercase letters, digits and single dashes, at most 64 characters');
      CONTINUE;
    END IF;
    b_slug := coalesce(p.value #>> '{}', app.map_slugify(o ->> 'name'));

    IF kind IN ('spawn', 'agent_spawn') THEN
      tx := floor(CASE WHEN is_point THEN ox ELSE ox + ow / 2 END / tw)::integer;
      ty := floor(CASE WHEN is_point THEN oy ELSE oy + oh / 2 END / th)::integer;
      agent_slug := NULL; b_agent := NULL;
      IF kind = 'agent_spawn' THEN
        p := app.map_prop(props, 'agent');
        IF p.idx IS NULL THEN
          problems := problems || app.map_problem(path, 'an agent_spawn needs the property agent (an agent''s slug)');
          CONTINUE;
        END IF;
        agent_slug := p.value #>> '{}';
        b_agent := CASE WHEN pg_catalog.jsonb_typeof(p.value) = 'string' THEN app.agent_id_in_world(world_id, agent_slug) END;
        IF b_agent IS NULL THEN
          problems := problems || app.map_problem(path || '/properties/' || p.idx, 'no agent of this world or of the installation has this slug');
          CONTINUE;
        END IF;
      END IF;
      IF tx NOT BETWEEN 0 AND w - 1 OR ty NOT BETWEEN 0 AND h - 1 THEN
        problems := problems || app.map_problem(path, 'the spawn point lies outside the map');
        CONTINUE;
      ELSIF pg_catalog.get_bit(collision, ty * w + tx) = 1 THEN
        problems := problems || app.map_problem(path, 'the spawn point is on a wall');
        CONTINUE;
      END IF;
      p := app.map_prop(props, 'direction');
      dir := coalesce(p.value #>> '{}', 'down');
      IF dir NOT IN ('up', 'down', 'left', 'right') OR pg_catalog.jsonb_typeof(p.value) IS DISTINCT FROM 'string' AND p.idx IS NOT NULL THEN
        problems := problems || app.map_problem(path || '/properties/' || p.idx, 'direction must be up, down, left or right');
        CONTINUE;
      END IF;
      b_slug := coalesce(b_slug, CASE WHEN kind = 'spawn' THEN 'spawn-' || coalesce(app.map_int(o -> 'id'), 0)
                                      ELSE app.map_slugify('agent-' || agent_slug) END);
      s_list := s_list || pg_catalog.jsonb_build_object('path', path, 'slug', b_slug, 'x', tx, 'y', ty, 'direction', dir,
        'type', CASE WHEN kind = 'spawn' THEN 'player' ELSE 'agent' END, 'agent_id', b_agent);
      CONTINUE;
    END IF;

    -- A building: a rectangle of whole tiles.
    IF is_point OR ow <= 0 OR oh <= 0 OR o -> 'ellipse' = 'true'::jsonb OR o ? 'polygon' OR o ? 'polyline' THEN
      problems := problems || app.map_problem(path, 'a building must be a rectangle object');
      CONTINUE;
    END IF;
    left_x := floor(ox / tw)::integer; top_y := floor(oy / th)::integer;
    right_x := ceil((ox + ow) / tw)::integer - 1; bottom_y := ceil((oy + oh) / th)::integer - 1;
    IF left_x < 0 OR top_y < 0 OR right_x > w - 1 OR bottom_y > h - 1 THEN
      problems := problems || app.map_problem(path, 'the building lies outside the map');
      CONTINUE;
    END IF;
    b_name := nullif(o ->> 'name', '');
    IF pg_catalog.char_length(b_name) > 64 OR b_name ~ '[[:cntrl:]]' THEN
      problems := problems || app.map_problem(path || '/name', 'a building''s name must be at most 64 characters, without control characters');
      CONTINUE;
    END IF;
    b_slug := coalesce(b_slug, pg_catalog.replace(kind, '_', '-') || '-' || coalesce(app.map_int(o -> 'id'), 0));
    b_agent := NULL; b_target := NULL; b_jitsi := NULL; jitsi_path := NULL;
    IF kind = 'agent_room' THEN
      p := app.map_prop(props, 'agent');
      IF p.idx IS NULL THEN
        problems := problems || app.map_problem(path, 'an agent_room needs the property agent (an agent''s slug)');
        CONTINUE;
      END IF;
      b_agent := CASE WHEN pg_catalog.jsonb_typeof(p.value) = 'string' THEN app.agent_id_in_world(world_id, p.value #>> '{}') END;
      IF b_agent IS NULL THEN
        problems := problems || app.map_problem(path || '/properties/' || p.idx, 'no agent of this world or of the installation has this slug');
        CONTINUE;
      END IF;
    END IF;
    IF kind IN ('agent_room', 'portal') THEN
      p := app.map_prop(props, 'target_room');
      IF p.idx IS NULL AND kind = 'portal' THEN
        problems := problems || app.map_problem(path, 'a portal needs the property target_room (a room slug of the same world)');
        CONTINUE;
      END IF;
      IF p.idx IS NOT NULL AND world_id IS NOT NULL THEN
        SELECT r.id INTO b_target FROM app.rooms r
         WHERE r.world_id = map_check.world_id AND r.slug = p.value #>> '{}' AND pg_catalog.jsonb_typeof(p.value) = 'string';
        IF b_target IS NULL OR b_target = room_id THEN
          problems := problems || app.map_problem(path || '/properties/' || p.idx,
            CASE WHEN b_target IS NULL THEN 'target_room is no room of this world' ELSE 'a portal cannot lead to its own room' END);
          CONTINUE;
        END IF;
      ELSIF p.idx IS NOT NULL AND (pg_catalog.jsonb_typeof(p.value) IS DISTINCT FROM 'string' OR (p.value #>> '{}') !~ slug_shape) THEN
        problems := problems || app.map_problem(path || '/properties/' || p.idx, 'target_room must be a room slug');
        CONTINUE;
      END IF;
    END IF;
    p := app.map_prop(props, 'jitsiRoom');
    IF kind = 'meeting' THEN
      IF p.idx IS NULL THEN
        problems := problems || app.map_problem(path, 'a meeting needs the property jitsiRoom');
        CONTINUE;
      END IF;
      b_jitsi := p.value #>> '{}';
      IF pg_catalog.jsonb_typeof(p.value) IS DISTINCT FROM 'string' OR b_jitsi !~ '^[A-Za-z0-9_-]{1,64}$' THEN
        problems := problems || app.map_problem(path || '/properties/' || p.idx, 'jitsiRoom must be 1 to 64 letters, digits, dashes or underscores');
        CONTINUE;
      END IF;
      jitsi_path := path || '/properties/' || p.idx;
      IF world_id IS NOT NULL AND EXISTS (
           SELECT FROM app.buildings x
            WHERE x.world_id = map_check.world_id AND pg_catalog.lower(x.jitsi_room) = pg_catalog.lower(b_jitsi)
              AND (x.room_id IS DISTINCT FROM map_check.room_id OR NOT x.derived)) THEN
        problems := problems || app.map_problem(path || '/properties/' || p.idx, 'another meeting of this world has the same jitsiRoom');
        CONTINUE;
      END IF;
    END IF;

    -- The door: door_x/door_y, else a door point inside; a meeting without one gets its centre tile.
    p := app.map_prop(props, 'door_x');
    q := app.map_prop(props, 'door_y');
    door_x := NULL; door_y := NULL;
    IF p.idx IS NOT NULL OR q.idx IS NOT NULL THEN
      door_x := app.map_int(p.value); door_y := app.map_int(q.value);
      IF door_x IS NULL OR door_y IS NULL THEN
        problems := problems || app.map_problem(path || '/properties/' || coalesce(CASE WHEN door_x IS NULL THEN p.idx END, q.idx, p.idx),
                                            'door_x and door_y must both be whole numbers of tiles');
        CONTINUE;
      END IF;
      IF door_x NOT BETWEEN left_x AND right_x OR door_y NOT BETWEEN top_y AND bottom_y THEN
        problems := problems || app.map_problem(path || '/properties/' || coalesce(p.idx, q.idx), 'the door must lie inside its building');
        CONTINUE;
      ELSIF pg_catalog.get_bit(collision, door_y * w + door_x) = 1 THEN
        problems := problems || app.map_problem(path || '/properties/' || coalesce(p.idx, q.idx), 'the door is on a wall');
        CONTINUE;
      END IF;
    END IF;
    -- No door_x/door_y: the door point inside it, found for all buildings at once after this loop.
    b_list := b_list || pg_catalog.jsonb_build_object(
      'path', path, 'slug', b_slug, 'name', coalesce(b_name, b_slug), 'type', kind, 'x', left_x, 'y', top_y,
      'width', right_x - left_x + 1, 'height', bottom_y - top_y + 1, 'door_x', door_x, 'door_y', door_y,
      'agent_id', b_agent, 'target_room_id', b_target, 'jitsi_room', b_jitsi, 'jitsi_path', jitsi_path,
      'door_object', door_x IS NULL);
  END LOOP;

  -- Door points: a building without door_x/door_y takes the first door point inside it (a meeting without
  -- one, its centre tile). One join for all buildings, in document order.
  WITH b AS (SELECT u.e, u.ord FROM pg_catalog.unnest(b_list) WITH ORDINALITY AS u(e, ord)),
       d AS (SELECT (u.e ->> 'x')::integer AS x, (u.e ->> 'y')::integer AS y, u.e ->> 'path' AS path, u.ord
               FROM pg_catalog.unnest(door_list) WITH ORDINALITY AS u(e, ord)),
       f AS (SELECT b.e, b.ord, k.x, k.y, k.path AS door_path
               FROM b LEFT JOIN LATERAL (
                      SELECT d.x, d.y, d.path FROM d
                       WHERE (b.e ->> 'door_object')::boolean
                         AND d.x BETWEEN (b.e ->> 'x')::integer AND (b.e ->> 'x')::integer + (b.e ->> 'width')::integer - 1
                         AND d.y BETWEEN (b.e ->> 'y')::integer AND (b.e ->> 'y')::integer + (b.e ->> 'height')::integer - 1
                       ORDER BY d.ord LIMIT 1) AS k ON true)
  SELECT pg_catalog.array_agg(CASE WHEN NOT (f.e ->> 'door_object')::boolean THEN f.e
                                   WHEN f.door_path IS NOT NULL THEN f.e || pg_catalog.jsonb_build_object('door_x', f.x, 'door_y', f.y)
                                   ELSE f.e || pg_catalog.jsonb_build_object(
                                          'door_x', (2 * (f.e ->> 'x')::integer + (f.e ->> 'width')::integer - 1) / 2,
                                          'door_y', (2 * (f.e ->> 'y')::integer + (f.e ->> 'height')::integer - 1) / 2) END
                              ORDER BY f.ord)
           FILTER (WHERE NOT (f.e ->> 'door_object')::boolean
                      OR f.door_path IS NOT NULL AND pg_catalog.get_bit(collision, f.y * w + f.x) = 0
                      OR f.door_path IS NULL AND f.e ->> 'type' = 'meeting'),
         pg_catalog.array_agg(CASE WHEN f.door_path IS NOT NULL THEN app.map_problem(f.door_path, 'the door is on a wall')
                                   ELSE app.map_problem(f.e ->> 'path', 'the building needs a door: the properties door_x and door_y, or a door point inside it') END
                              ORDER BY f.ord)
           FILTER (WHERE (f.e ->> 'door_object')::boolean
                     AND (f.door_path IS NOT NULL AND pg_catalog.get_bit(collision, f.y * w + f.x) = 1
                          OR f.door_path IS NULL AND f.e ->> 'type' <> 'meeting'))
    INTO b_list, found_problems FROM f;
  problems := problems || coalesce(found_problems, '{}');

  -- A jitsiRoom once per map (case-insensitively, as Jitsi lowercases names), then a slug once per map:
  -- the later one is the error.
  SELECT pg_catalog.array_agg(x.e ORDER BY x.ord) FILTER (WHERE x.rn = 1 OR x.e ->> 'jitsi_room' IS NULL),
         pg_catalog.array_agg(app.map_problem(x.e ->> 'jitsi_path', 'another meeting of this world has the same jitsiRoom') ORDER BY x.ord)
           FILTER (WHERE x.rn > 1 AND x.e ->> 'jitsi_room' IS NOT NULL)
    INTO b_list, found_problems
    FROM (SELECT u.e, u.ord, pg_catalog.row_number() OVER (PARTITION BY pg_catalog.lower(u.e ->> 'jitsi_room') ORDER BY u.ord) AS rn
            FROM pg_catalog.unnest(b_list) WITH ORDINALITY AS u(e, ord)) AS x;
  problems := problems || coalesce(found_problems, '{}');
  SELECT pg_catalog.array_agg(x.e - 'door_object' - 'jitsi_path' ORDER BY x.ord) FILTER (WHERE x.rn = 1),
         pg_catalog.array_agg(app.map_problem(x.e ->> 'path', 'another building of this map has the same slug') ORDER BY x.ord)
           FILTER (WHERE x.rn > 1)
    INTO b_list, found_problems
    FROM (SELECT u.e, u.ord, pg_catalog.row_number() OVER (PARTITION BY u.e ->> 'slug' ORDER BY u.ord) AS rn
            FROM pg_catalog.unnest(b_list) WITH ORDINALITY AS u(e, ord)) AS x;
  problems := problems || coalesce(found_problems, '{}');
  buildings := coalesce(pg_catalog.to_jsonb(b_list), '[]');

  -- WorkAdventure's start layer: each of its tiles is a player spawn, start-1, start-2, ... in reading order.
  -- Start tiles on walls are one problem per layer (the first, and how many), as bad gids are; at most
  -- 10000 spawn points come from start layers, so that a publish writes a bounded number of rows.
  FOR leaf IN SELECT e.value ->> 'path' AS path, e.value -> 'tiles' AS tiles, (e.value ->> 'base64')::boolean AS base64
                FROM pg_catalog.jsonb_array_elements(start_layers) AS e LOOP
    SELECT min(t.n::integer) FILTER (WHERE pg_catalog.get_bit(collision, t.n::integer) = 1),
           count(*) FILTER (WHERE pg_catalog.get_bit(collision, t.n::integer) = 1),
           count(*) FILTER (WHERE pg_catalog.get_bit(collision, t.n::integer) = 0)
      INTO bad_first, bad_count, free_at
      FROM pg_catalog.jsonb_array_elements_text(leaf.tiles) AS t(n);
    IF bad_count > 0 THEN
      problems := problems || app.map_problem(
        leaf.path || '/data' || CASE WHEN leaf.base64 THEN '' ELSE '/' || bad_first END,
        pg_catalog.format('%s start tiles are on a wall; the first is tile %s', bad_count, bad_first));
    END IF;
    IF n_start + free_at > 10000 THEN
      problems := problems || app.map_problem(leaf.path, 'start layers may give at most 10000 spawn points');
      CONTINUE;
    END IF;
    s_list := s_list || ARRAY(
      SELECT pg_catalog.jsonb_build_object(
               'path', leaf.path || '/data' || CASE WHEN leaf.base64 THEN '' ELSE '/' || t.n END,
               'slug', 'start-' || (n_start + pg_catalog.row_number() OVER (ORDER BY t.n::integer)),
               'x', t.n::integer % w, 'y', t.n::integer / w, 'direction', 'down', 'type', 'player', 'agent_id', NULL)
        FROM pg_catalog.jsonb_array_elements_text(leaf.tiles) AS t(n)
       WHERE pg_catalog.get_bit(collision, t.n::integer) = 0
       ORDER BY t.n::integer);
    n_start := n_start + free_at;
  END LOOP;
  SELECT pg_catalog.array_agg(x.e ORDER BY x.ord) FILTER (WHERE x.rn = 1),
         pg_catalog.array_agg(app.map_problem(x.e ->> 'path', 'another spawn point of this map has the same slug') ORDER BY x.ord)
           FILTER (WHERE x.rn > 1)
    INTO s_list, found_problems
    FROM (SELECT u.e, u.ord, pg_catalog.row_number() OVER (PARTITION BY u.e ->> 'slug' ORDER BY u.ord) AS rn
            FROM pg_catalog.unnest(s_list) WITH ORDINALITY AS u(e, ord)) AS x;
  problems := problems || coalesce(found_problems, '{}');
  spawns := coalesce(pg_catalog.to_jsonb(s_list), '[]');

  -- The default spawn: the first player spawn by slug; with none, the centre, else the first free tile.
  SELECT (e ->> 'x')::integer, (e ->> 'y')::integer INTO spawn_x, spawn_y
    FROM pg_catalog.jsonb_array_elements(spawns) AS e WHERE e ->> 'type' = 'player' ORDER BY e ->> 'slug' COLLATE "C" LIMIT 1;
  IF spawn_x IS NULL THEN
    IF n_objects <= 10000 THEN  -- over the limit the objects were not read: the map may well have spawns
      problems := problems || app.map_problem('/layers', 'the map has no player spawn point: players start at its centre, or the first free tile', 'warning');
    END IF;
    IF pg_catalog.get_bit(collision, (h / 2) * w + w / 2) = 0 THEN
      spawn_x := w / 2; spawn_y := h / 2;
    ELSE
      free_at := pg_catalog.strpos(bits, '0') - 1;
      IF free_at >= 0 THEN
        spawn_x := free_at % w; spawn_y := free_at / w;
      END IF;
    END IF;
  END IF;
  IF pg_catalog.strpos(bits, '0') = 0 THEN
    problems := problems || app.map_problem('/layers', 'the map has no walkable tile');
  END IF;
  settings := settings || pg_catalog.jsonb_build_object('default_spawn_x', spawn_x, 'default_spawn_y', spawn_y);

  -- What editors made by hand in the room stays, so it must fit the new map.
  IF room_id IS NOT NULL THEN
    problems := problems || ARRAY(
      SELECT app.map_problem(e ->> 'path', 'a hand-made building or spawn point of the room already has this slug')
        FROM pg_catalog.jsonb_array_elements(buildings || spawns) AS e
       WHERE e ? 'width' AND EXISTS (SELECT FROM app.buildings b
                                      WHERE b.room_id = map_check.room_id AND NOT b.derived AND b.slug = e ->> 'slug')
          OR NOT e ? 'width' AND EXISTS (SELECT FROM app.spawn_points s
                                          WHERE s.room_id = map_check.room_id AND NOT s.derived AND s.slug = e ->> 'slug'));
    IF EXISTS (SELECT FROM app.buildings b WHERE b.room_id = map_check.room_id AND NOT b.derived
                  AND (b.x + b.width > w OR b.y + b.height > h OR b.door_x >= w OR b.door_y >= h)
               UNION ALL
               SELECT FROM app.spawn_points s WHERE s.room_id = map_check.room_id AND NOT s.derived AND (s.x >= w OR s.y >= h)) THEN
      problems := problems || app.map_problem('/width',
        'a hand-made building or spawn point of the room lies outside this map: move or delete it first (GET /buildings, GET /spawn_points)');
    END IF;
    IF EXISTS (SELECT FROM app.spawn_points s WHERE s.room_id = map_check.room_id AND NOT s.derived
                  AND s.x < w AND s.y < h AND pg_catalog.get_bit(collision, s.y * w + s.x) = 1
               UNION ALL
               SELECT FROM app.buildings b WHERE b.room_id = map_check.room_id AND NOT b.derived
                  AND b.door_x < w AND b.door_y < h AND pg_catalog.get_bit(collision, b.door_y * w + b.door_x) = 1) THEN
      problems := problems || app.map_problem('/layers',
        'a hand-made spawn point or door of the room is on a wall of this map: move it first (GET /buildings, GET /spawn_points)');
    END IF;
  END IF;

  summary := pg_catalog.jsonb_build_object(
    'width', w, 'height', h, 'tile_width', tw, 'tile_height', th,
    'layers', pg_catalog.jsonb_array_length(leaves),
    'blocked_tiles', pg_catalog.length(pg_catalog.replace(bits, '0', '')),
    'spawn_points', (SELECT count(*) FROM pg_catalog.jsonb_array_elements(spawns) AS e WHERE e ->> 'type' = 'player'),
    'buildings', pg_catalog.jsonb_array_length(buildings));
  errors := pg_catalog.to_jsonb(problems);
END
$$;
COMMENT ON FUNCTION app.map_check(jsonb, uuid, uuid) IS
  'Checks a Tiled JSON map for the room room_id of world world_id (both NULL for a dry run): every problem {severity, path, message} with its JSON pointer, the summary, and what the map makes of the room: collision bits, buildings, spawn points and settings.';
REVOKE ALL ON FUNCTION app.map_check(jsonb, uuid, uuid) FROM PUBLIC;

COMMIT;
