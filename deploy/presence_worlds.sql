-- Deploy arkagentic:presence_worlds to pg
-- requires: function_app_presence function_api_presence function_realtime_presence function_realtime_rejoin
-- requires: function_app_world_access table_rooms_world
-- Presence in a world of worlds (issue 11). Room slugs are unique only within a world, so a room is
-- found by (world, slug), and every presence frame names both: {"world": ..., "room": ...}. A join or
-- enter_room without a world goes to app.world_settings.default_world_slug, so today's clients keep
-- working. Entering asks app.world_by_slug (which records a visitor of an unlisted world) and
-- app.world_may_enter (not archived, not banned, private -> members only); a refused world, an unknown
-- world and an unknown room all answer the very same 404 unknown room, so existence never leaks.
-- The world goes last, with a default, so every existing caller keeps its meaning; a changed signature
-- is a new function, hence the drops.

BEGIN;

-- {"world": <world slug>, "room": <room slug>} of a room: the address every presence frame carries.
CREATE FUNCTION app.room_where(room_id uuid) RETURNS jsonb
  LANGUAGE sql STABLE PARALLEL SAFE
  SET search_path = ''
  AS $$
  SELECT pg_catalog.jsonb_build_object('world', w.slug, 'room', r.slug)
    FROM app.rooms r JOIN app.worlds w ON w.id = r.world_id
   WHERE r.id = room_where.room_id
$$;
COMMENT ON FUNCTION app.room_where(uuid) IS 'The address of a room in presence frames: {"world": world slug, "room": room slug}.';
REVOKE ALL ON FUNCTION app.room_where(uuid) FROM PUBLIC;

DROP FUNCTION realtime.join(uuid, text, text);
DROP FUNCTION api.enter_room(text);
DROP FUNCTION realtime.rejoin_room(text, jsonb);
DROP FUNCTION realtime.room_state(text);
DROP FUNCTION app.presence_enter(uuid, text, text);

CREATE FUNCTION app.presence_enter(user_id uuid, room_slug text, connection text, world_slug text DEFAULT NULL)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
DECLARE
  world app.worlds;
  room app.rooms;
  previous app.player_presence;
  had_presence boolean;
  was_here boolean;
  start_x integer;
  start_y integer;
  start_direction text;
  new_status text;
BEGIN
  IF room_slug IS NULL OR pg_catalog.btrim(room_slug) = '' THEN
    RAISE EXCEPTION 'room_slug is required'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send the slug of a room, e.g. town (GET /rooms).';
  END IF;
  -- The account first: app.world_by_slug records a visit, which needs an existing user.
  PERFORM FROM app.users u WHERE u.id = presence_enter.user_id;
  IF NOT FOUND THEN
    PERFORM app.raise_api_error(401, 'PT401', 'this account no longer exists', 'Sign in again.');
  END IF;
  world := app.world_by_slug(coalesce(presence_enter.world_slug,
                                      (SELECT s.default_world_slug FROM app.world_settings s)),
                             presence_enter.user_id);
  IF world.id IS NOT NULL THEN
    -- The rules are checked under the world row's share lock, which every change that takes players
    -- out (app.world_evict, at its commit) takes FOR UPDATE first: either that change sees this
    -- presence and takes it out, or this join waits for it and sees the change.
    SELECT * INTO world FROM app.worlds x WHERE x.id = world.id FOR SHARE;
  END IF;
  IF world.id IS NOT NULL AND app.world_may_enter(world, presence_enter.user_id) THEN
    SELECT * INTO room FROM app.rooms r WHERE r.world_id = world.id AND r.slug = presence_enter.room_slug;
  END IF;
  IF room.id IS NULL THEN
    -- An unknown world, a world this player may not enter and an unknown room: one answer.
    PERFORM app.raise_api_error(404, 'PT404', 'unknown room', 'GET /rooms lists the rooms.',
                                pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object('room_slug', room_slug, 'world_slug', world_slug)));
  END IF;

  SELECT * INTO previous FROM app.player_presence p WHERE p.user_id = presence_enter.user_id FOR UPDATE;
  had_presence := FOUND;
  was_here := had_presence AND previous.room_id = room.id AND previous.status <> 'offline';

  IF had_presence AND previous.room_id = room.id THEN
    -- Back in the room of the last visit: continue where the player stood.
    start_x := previous.x; start_y := previous.y; start_direction := previous.direction;
  ELSE
    SELECT s.x, s.y, s.direction INTO start_x, start_y, start_direction
      FROM app.spawn_points s WHERE s.room_id = room.id AND s.type = 'player' ORDER BY s.slug LIMIT 1;
    IF NOT FOUND THEN
      start_x := room.default_spawn_x; start_y := room.default_spawn_y; start_direction := 'down';
    END IF;
  END IF;
  new_status := CASE WHEN was_here AND previous.status = 'busy' THEN 'busy' ELSE 'online' END;

  INSERT INTO app.player_presence AS p
         (user_id, room_id, x, y, direction, status, session_token, last_update, moved_at, move_budget)
  VALUES (presence_enter.user_id, room.id, start_x, start_y, start_direction, new_status, connection,
          pg_catalog.now(), pg_catalog.clock_timestamp(), room.max_speed + 1)
  ON CONFLICT ON CONSTRAINT player_presence_pkey DO UPDATE
     SET room_id = EXCLUDED.room_id, x = EXCLUDED.x, y = EXCLUDED.y, direction = EXCLUDED.direction,
         status = EXCLUDED.status, session_token = EXCLUDED.session_token, last_update = EXCLUDED.last_update,
         -- Rejoining the same room must not refill the move allowance, or join-move-join outruns max_speed.
         moved_at = CASE WHEN p.room_id = EXCLUDED.room_id THEN p.moved_at ELSE EXCLUDED.moved_at END,
         move_budget = CASE WHEN p.room_id = EXCLUDED.room_id THEN p.move_budget ELSE EXCLUDED.move_budget END;

  IF had_presence AND previous.status <> 'offline' AND previous.room_id <> room.id THEN
    PERFORM app.presence_notify(pg_catalog.jsonb_build_object('type', 'player_left', 'user_id', presence_enter.user_id)
                                || app.room_where(previous.room_id));
  END IF;
  IF NOT was_here THEN
    PERFORM app.presence_notify(pg_catalog.jsonb_build_object(
      'type', 'player_joined', 'world', world.slug, 'room', room.slug,
      'player', app.presence_player(presence_enter.user_id)));
  ELSIF previous.status <> new_status THEN
    PERFORM app.presence_notify(pg_catalog.jsonb_build_object(
      'type', 'player_status', 'world', world.slug, 'room', room.slug, 'user_id', presence_enter.user_id,
      'status', new_status));
  END IF;

  RETURN app.presence_state(room.id);
END
$function$;
COMMENT ON FUNCTION app.presence_enter(uuid, text, text, text) IS
  'Puts a player in a room of a world (the default world when world_slug is NULL; at the saved position if they were last there, else at its player spawn) and returns presence_state. A world they may not enter answers 404 unknown room, like a room that does not exist. Rejoining the room one is already in announces nothing.';
REVOKE ALL ON FUNCTION app.presence_enter(uuid, text, text, text) FROM PUBLIC;

-- room_id joins the OUT columns: realtime.apply_moves groups accepted moves by room, not by slug.
DROP FUNCTION app.presence_move(uuid, integer, integer, text, timestamptz);
CREATE FUNCTION app.presence_move(user_id uuid, x integer, y integer, direction text, at timestamptz,
                                  OUT reason text, OUT message text, OUT room_slug text, OUT room_id uuid)
 RETURNS record
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
DECLARE
  min_cost CONSTANT double precision := 0.25;
  here app.player_presence;
  room app.rooms;
  budget double precision;
  distance double precision;
BEGIN
  SELECT * INTO here FROM app.player_presence p WHERE p.user_id = presence_move.user_id FOR UPDATE;
  IF NOT FOUND OR here.status = 'offline' THEN
    reason := 'not_in_room'; message := 'join a room before moving';
    RETURN;
  END IF;
  SELECT * INTO room FROM app.rooms r WHERE r.id = here.room_id;
  room_slug := room.slug;
  room_id := room.id;

  IF x IS NULL OR y IS NULL THEN
    reason := 'bad_position'; message := 'x and y must be whole numbers of tiles';
  ELSIF direction IS NULL OR direction NOT IN ('up', 'down', 'left', 'right') THEN
    reason := 'bad_direction'; message := 'direction must be up, down, left or right';
  ELSIF x NOT BETWEEN 0 AND room.width_tiles - 1 OR y NOT BETWEEN 0 AND room.height_tiles - 1 THEN
    reason := 'outside_room';
    message := pg_catalog.format('(%s, %s) lies outside %s, which is %s x %s tiles', x, y, room.slug,
                                 room.width_tiles, room.height_tiles);
  ELSE
    -- Token bucket: refill for the time since the budget was last spent, capped at one second's walk
    -- plus one tile of tolerance; a move spends its straight-line length, and at least min_cost.
    budget := least(here.move_budget + greatest(extract(epoch FROM at - here.moved_at), 0) * room.max_speed,
                    room.max_speed + 1);
    distance := greatest(sqrt(((x - here.x) ^ 2 + (y - here.y) ^ 2)::double precision), min_cost);
    IF distance > budget + 1e-9 THEN
      reason := 'too_fast';
      message := pg_catalog.format('a move of %s tiles exceeds the %s tiles allowed now (max_speed %s tiles/s)',
                                   round(distance::numeric, 2), round(budget::numeric, 2), room.max_speed);
    ELSE
      UPDATE app.player_presence p
         SET x = presence_move.x, y = presence_move.y, direction = presence_move.direction,
             move_budget = greatest(budget - distance, 0), moved_at = at, last_update = at
       WHERE p.user_id = presence_move.user_id;
    END IF;
  END IF;
END
$function$;
COMMENT ON FUNCTION app.presence_move(uuid, integer, integer, text, timestamptz) IS
  'Validates and applies one move; every move costs at least 0.25 tiles of the budget, a turn on the spot too. reason is NULL when accepted, else not_in_room, bad_position, bad_direction, outside_room or too_fast, with a readable message; room_slug and room_id name the mover''s room.';
REVOKE ALL ON FUNCTION app.presence_move(uuid, integer, integer, text, timestamptz) FROM PUBLIC;

CREATE OR REPLACE FUNCTION app.presence_state(room_id uuid) RETURNS jsonb
  LANGUAGE sql STABLE
  SET search_path TO ''
  AS $$
  SELECT pg_catalog.jsonb_build_object(
           'type', 'presence_state',
           'world', w.slug,
           'room', r.slug,
           'players', coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                         'user_id', u.id, 'display_name', u.display_name, 'avatar_sprite', u.avatar_sprite,
                         'x', p.x, 'y', p.y, 'direction', p.direction, 'status', p.status)
                       ORDER BY u.display_name, u.id) FILTER (WHERE u.id IS NOT NULL), '[]'::jsonb))
    FROM app.rooms r
    JOIN app.worlds w ON w.id = r.world_id
    LEFT JOIN app.player_presence p ON p.room_id = r.id AND p.status <> 'offline'
    LEFT JOIN app.users u ON u.id = p.user_id
   WHERE r.id = presence_state.room_id
   GROUP BY w.slug, r.slug
$$;
COMMENT ON FUNCTION app.presence_state(uuid) IS
  'The presence_state frame of a room ({type, world, room, players}): everyone in it who is not offline.';

CREATE OR REPLACE FUNCTION app.presence_leave(user_id uuid, connection text DEFAULT NULL) RETURNS jsonb
  LANGUAGE plpgsql
  SET search_path TO ''
  AS $$
DECLARE
  left_room uuid;
  saved jsonb;
  place jsonb;
BEGIN
  -- With a connection, only that connection may end the presence: a player who reconnected
  -- elsewhere within the grace period keeps playing.
  UPDATE app.player_presence p
     SET status = 'offline', session_token = NULL, last_update = pg_catalog.now()
   WHERE p.user_id = presence_leave.user_id AND p.status <> 'offline'
     AND (connection IS NULL OR p.session_token = connection)
  RETURNING p.room_id, pg_catalog.jsonb_build_object('x', p.x, 'y', p.y, 'direction', p.direction)
       INTO left_room, saved;
  IF left_room IS NOT NULL THEN
    place := app.room_where(left_room);
    PERFORM app.presence_notify(pg_catalog.jsonb_build_object('type', 'player_left', 'user_id', presence_leave.user_id)
                                || place);
    RETURN saved || place;
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION app.presence_leave(uuid, text) IS
  'Marks a player offline (keeping their position) and announces player_left. Returns the saved position with its world and room, or NULL if nothing changed.';

CREATE OR REPLACE FUNCTION app.presence_set_status(user_id uuid, status text) RETURNS void
  LANGUAGE plpgsql
  SET search_path TO ''
  AS $$
DECLARE
  cost CONSTANT double precision := 1;
  here app.player_presence;
  room app.rooms;
  at timestamptz := pg_catalog.clock_timestamp();
  budget double precision;
  retry_after integer;
BEGIN
  IF status IS NULL OR status NOT IN ('online', 'away', 'busy') THEN
    RAISE EXCEPTION 'status must be online, away or busy'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Leave the room to go offline.';
  END IF;
  SELECT * INTO here FROM app.player_presence p
   WHERE p.user_id = presence_set_status.user_id AND p.status <> 'offline' FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'join a room before changing status'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send a join frame first.';
  END IF;
  IF here.status = presence_set_status.status THEN
    -- Nothing changes: a heartbeat of sorts, announced to nobody.
    UPDATE app.player_presence p SET last_update = pg_catalog.now() WHERE p.user_id = presence_set_status.user_id;
    RETURN;
  END IF;
  SELECT * INTO room FROM app.rooms r WHERE r.id = here.room_id;
  budget := least(here.move_budget + greatest(extract(epoch FROM at - here.moved_at), 0) * room.max_speed,
                  room.max_speed + 1);
  IF budget < cost - 1e-9 THEN
    retry_after := greatest(pg_catalog.ceil((cost - budget) / room.max_speed)::integer, 1);
    PERFORM app.raise_api_error(429, 'PT429', 'too many status changes; slow down',
              'A status change costs one tile of the move allowance, which refills at the room''s max_speed.',
              pg_catalog.jsonb_build_object('retry_after', retry_after),
              pg_catalog.jsonb_build_object('Retry-After', retry_after::text));
  END IF;
  UPDATE app.player_presence p
     SET status = presence_set_status.status, last_update = pg_catalog.now(),
         move_budget = greatest(budget - cost, 0), moved_at = at
   WHERE p.user_id = presence_set_status.user_id;
  PERFORM app.presence_notify(pg_catalog.jsonb_build_object(
    'type', 'player_status', 'user_id', presence_set_status.user_id, 'status', status) || app.room_where(room.id));
END
$$;

CREATE FUNCTION realtime.default_world() RETURNS text
  LANGUAGE sql STABLE
  SECURITY DEFINER
  SET search_path = ''
  AS $$ SELECT s.default_world_slug::text FROM app.world_settings s $$;
COMMENT ON FUNCTION realtime.default_world() IS
  'The slug of the installation''s default world, where a join frame without a world goes.';
REVOKE ALL ON FUNCTION realtime.default_world() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION realtime.default_world() TO bridge;

CREATE FUNCTION realtime.join(user_id uuid, room_slug text, connection text, world_slug text DEFAULT NULL)
  RETURNS jsonb
  LANGUAGE sql
  SECURITY DEFINER
  SET search_path = ''
  AS $$ SELECT app.presence_enter(user_id, room_slug, connection, world_slug) $$;
COMMENT ON FUNCTION realtime.join(uuid, text, text, text) IS
  'A join frame: enter the room of the world (the default world when NULL) and get its presence_state. connection identifies the socket. A world the player may not enter is an unknown room.';
REVOKE ALL ON FUNCTION realtime.join(uuid, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION realtime.join(uuid, text, text, text) TO bridge;

CREATE FUNCTION realtime.room_state(room_slug text, world_slug text DEFAULT NULL) RETURNS jsonb
  LANGUAGE sql STABLE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
  SELECT app.presence_state(r.id)
    FROM app.rooms r JOIN app.worlds w ON w.id = r.world_id
   WHERE r.slug = room_state.room_slug
     AND w.slug = coalesce(room_state.world_slug, (SELECT s.default_world_slug FROM app.world_settings s))
$$;
COMMENT ON FUNCTION realtime.room_state(text, text) IS
  'The presence_state frame of a room of a world (the default world when NULL), for resynchronizing clients after a listener reconnect; NULL for an unknown room.';
REVOKE ALL ON FUNCTION realtime.room_state(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION realtime.room_state(text, text) TO bridge;

CREATE FUNCTION realtime.rejoin_room(room_slug text, members jsonb, world_slug text DEFAULT NULL) RETURNS jsonb
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path TO ''
AS $function$
DECLARE
  room uuid;
  member record;
  failure text;
  code text;
  refused jsonb := '[]';
BEGIN
  IF members IS NULL OR pg_catalog.jsonb_typeof(members) <> 'array' THEN
    RAISE EXCEPTION 'members must be a JSON array'
      USING ERRCODE = 'invalid_parameter_value', HINT = '[{"user_id": ..., "connection": ...}]';
  END IF;
  SELECT r.id INTO room
    FROM app.rooms r JOIN app.worlds w ON w.id = r.world_id
   WHERE r.slug = rejoin_room.room_slug
     AND w.slug = coalesce(rejoin_room.world_slug, (SELECT s.default_world_slug FROM app.world_settings s));
  IF NOT FOUND THEN
    RETURN NULL;  -- the room was deleted meanwhile
  END IF;
  -- In user_id order, the one lock order of presence rows.
  FOR member IN
    SELECT (m ->> 'user_id')::uuid AS user_id, m ->> 'connection' AS connection
      FROM pg_catalog.jsonb_array_elements(members) AS m
     ORDER BY 1
  LOOP
    -- Only a player who is offline now is entered again: one who is present is either here already
    -- or joined another room meanwhile (their socket here is then taken out by the bridge).
    PERFORM FROM app.player_presence p WHERE p.user_id = member.user_id AND p.status <> 'offline';
    CONTINUE WHEN FOUND;
    BEGIN
      PERFORM app.presence_enter(member.user_id, rejoin_room.room_slug, member.connection, rejoin_room.world_slug);
    EXCEPTION WHEN SQLSTATE 'PGRST' THEN
      -- app.raise_api_error: the code is inside the JSON message. A deleted account (its socket closes at
      -- its token's expiry anyway), or a player the world no longer lets in (banned, removed, made
      -- private or archived while the bridge was not listening): the bridge takes those sockets out.
      GET STACKED DIAGNOSTICS failure = MESSAGE_TEXT;
      code := failure::jsonb ->> 'code';
      IF code IS DISTINCT FROM 'PT401' AND code IS DISTINCT FROM 'PT404' THEN
        RAISE;
      END IF;
      IF code = 'PT404' THEN
        refused := refused || pg_catalog.to_jsonb(member.user_id);
      END IF;
    END;
  END LOOP;
  RETURN app.presence_state(room) || CASE WHEN refused = '[]' THEN '{}'::jsonb
                                          ELSE pg_catalog.jsonb_build_object('refused', refused) END;
END
$function$;
COMMENT ON FUNCTION realtime.rejoin_room(text, jsonb, text) IS
  'After an outage: enters the given sockets'' players ([{user_id, connection}]) into the room of the world (the default world when NULL) again if they went offline meanwhile, and returns the room''s presence_state (NULL if the room no longer exists), with "refused": [user_id, ...] for players the world no longer lets in.';
REVOKE ALL ON FUNCTION realtime.rejoin_room(text, jsonb, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION realtime.rejoin_room(text, jsonb, text) TO bridge;

CREATE OR REPLACE FUNCTION realtime.apply_moves(moves jsonb) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  chunk_size CONSTANT integer := 50;
  move jsonb;
  arrival bigint;
  result record;
  mover uuid;
  x integer;
  y integer;
  accepted jsonb := '{}';
  rejected jsonb := '[]';
  room text;
  place jsonb;
  list jsonb;
  i integer;
BEGIN
  IF moves IS NULL OR pg_catalog.jsonb_typeof(moves) <> 'array' THEN
    RAISE EXCEPTION 'moves must be a JSON array'
      USING ERRCODE = 'invalid_parameter_value', HINT = '[{"user_id": ..., "x": ..., "y": ..., "direction": ...}]';
  END IF;
  -- Positions are cheap to lose and expensive to flush: a crash may forget the last few
  -- milliseconds of moves, never a committed leave (which runs with the default setting).
  PERFORM pg_catalog.set_config('synchronous_commit', 'off', true);

  -- Rows are locked in user_id order (each player's moves in arrival order), as touch and sweep lock
  -- them: two transactions that lock rows in different orders can deadlock (40P01), and a deadlock
  -- here cost a whole tick of moves. Malformed user_ids (rejected below) come first.
  -- World rules need no check per move: whoever a world no longer lets in was taken offline by
  -- app.world_evict in the transaction that changed the rules, so their move is not_in_room.
  FOR move, arrival IN
    SELECT value, ordinality FROM pg_catalog.jsonb_array_elements(moves) WITH ORDINALITY
     ORDER BY CASE WHEN value ->> 'user_id' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                   THEN (value ->> 'user_id')::uuid END NULLS FIRST,
              ordinality
  LOOP
    mover := CASE WHEN move ->> 'user_id' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                  THEN (move ->> 'user_id')::uuid END;
    IF mover IS NULL THEN
      rejected := rejected || pg_catalog.jsonb_build_object(
        'user_id', move -> 'user_id', 'reason', 'bad_frame', 'message', 'user_id must be a uuid', 'arrival', arrival);
      CONTINUE;
    END IF;
    -- Whole numbers within integer range, else NULL (rejected as bad_position).
    x := CASE WHEN pg_catalog.jsonb_typeof(move -> 'x') = 'number' AND (move ->> 'x')::numeric % 1 = 0
                   AND abs((move ->> 'x')::numeric) < 2147483647 THEN (move ->> 'x')::numeric::integer END;
    y := CASE WHEN pg_catalog.jsonb_typeof(move -> 'y') = 'number' AND (move ->> 'y')::numeric % 1 = 0
                   AND abs((move ->> 'y')::numeric) < 2147483647 THEN (move ->> 'y')::numeric::integer END;
    SELECT * INTO result FROM app.presence_move(mover, x, y, move ->> 'direction', pg_catalog.clock_timestamp());
    IF result.reason IS NULL THEN
      -- By room id: two worlds may each have a room of the same slug.
      accepted := pg_catalog.jsonb_set(accepted, ARRAY[result.room_id::text],
        coalesce(accepted -> (result.room_id::text), '[]') || pg_catalog.jsonb_build_object(
          'user_id', mover, 'x', x, 'y', y, 'direction', move ->> 'direction'));
    ELSE
      rejected := rejected || pg_catalog.jsonb_build_object(
        'user_id', mover, 'reason', result.reason, 'message', result.message, 'arrival', arrival);
    END IF;
  END LOOP;

  -- One NOTIFY per room per chunk of 50 moves, whatever the number of players.
  FOR room, list IN SELECT key, value FROM pg_catalog.jsonb_each(accepted) LOOP
    place := app.room_where(room::uuid);
    i := 0;
    WHILE i < pg_catalog.jsonb_array_length(list) LOOP
      PERFORM app.presence_notify(pg_catalog.jsonb_build_object(
        'type', 'moves',
        'moves', (SELECT pg_catalog.jsonb_agg(value ORDER BY ordinality)
                    FROM pg_catalog.jsonb_array_elements(list) WITH ORDINALITY
                   WHERE ordinality > i AND ordinality <= i + chunk_size)) || place);
      i := i + chunk_size;
    END LOOP;
  END LOOP;

  -- Rejections in arrival order, whatever order the moves were processed in.
  RETURN (SELECT coalesce(pg_catalog.jsonb_agg(value - 'arrival' ORDER BY (value ->> 'arrival')::bigint), '[]')
            FROM pg_catalog.jsonb_array_elements(rejected));
END
$$;

CREATE OR REPLACE FUNCTION realtime.sweep(away_after interval DEFAULT interval '60 seconds',
                                          offline_after interval DEFAULT interval '120 seconds') RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  gone record;
  idle record;
  went_offline integer := 0;
  went_away integer := 0;
BEGIN
  -- Any bridge may run this. Rows are locked in user_id order, and a row locked by anyone else (a
  -- move, a join, another sweep) is skipped: someone is busy with that player, so the player is not
  -- stale, and the next sweep looks again. Nobody is announced twice, and the sweep never waits.
  FOR gone IN
    WITH stale AS (
      SELECT p.user_id FROM app.player_presence p
       WHERE p.status <> 'offline' AND p.last_update < pg_catalog.now() - offline_after
       ORDER BY p.user_id
         FOR UPDATE SKIP LOCKED)
    UPDATE app.player_presence p SET status = 'offline', session_token = NULL
      FROM stale WHERE p.user_id = stale.user_id
    RETURNING p.user_id, p.room_id
  LOOP
    PERFORM app.presence_notify(pg_catalog.jsonb_build_object('type', 'player_left', 'user_id', gone.user_id)
                                || app.room_where(gone.room_id));
    went_offline := went_offline + 1;
  END LOOP;
  FOR idle IN
    WITH stale AS (
      SELECT p.user_id FROM app.player_presence p
       WHERE p.status IN ('online', 'busy') AND p.last_update < pg_catalog.now() - away_after
       ORDER BY p.user_id
         FOR UPDATE SKIP LOCKED)
    UPDATE app.player_presence p SET status = 'away'
      FROM stale WHERE p.user_id = stale.user_id
    RETURNING p.user_id, p.room_id
  LOOP
    PERFORM app.presence_notify(pg_catalog.jsonb_build_object(
      'type', 'player_status', 'user_id', idle.user_id, 'status', 'away') || app.room_where(idle.room_id));
    went_away := went_away + 1;
  END LOOP;
  RETURN pg_catalog.jsonb_build_object('away', went_away, 'offline', went_offline);
END
$$;

CREATE FUNCTION api.enter_room(room_slug text, world_slug text DEFAULT NULL) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER  -- players cannot write presence rows directly
  SET search_path = ''
  AS $$
BEGIN
  RETURN app.presence_enter(auth.user_id(), room_slug, 'rest', world_slug);
END
$$;
COMMENT ON FUNCTION api.enter_room(text, text) IS
$$Enter a room of a world.

world_slug defaults to the installation's default world (ark). You appear where you stood on your last
visit to this room, or at its player spawn point. Returns the room's presence_state: {type, world, room,
players: [{user_id, display_name, avatar_sprite, x, y, direction, status}]}. 404 for an unknown room, and
the very same 404 for a world you may not enter (private, archived, or one you are banned from).$$;
REVOKE ALL ON FUNCTION api.enter_room(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.enter_room(text, text) TO player;

CREATE OR REPLACE FUNCTION api.move(x integer, y integer, direction text) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  me uuid := auth.user_id();
  result record;
  accepted jsonb;
  place jsonb;
BEGIN
  SELECT * INTO result FROM app.presence_move(me, x, y, direction, pg_catalog.clock_timestamp());
  IF result.reason IS NOT NULL THEN
    RAISE EXCEPTION 'invalid move: %', result.message
      USING ERRCODE = 'invalid_parameter_value', DETAIL = result.reason,
            HINT = CASE result.reason
                     WHEN 'not_in_room' THEN 'Call /rpc/enter_room first.'
                     WHEN 'too_fast' THEN 'Move in smaller steps; the allowance refills at the room''s max_speed.'
                     ELSE 'Stay inside the room and face up, down, left or right.'
                   END;
  END IF;
  accepted := pg_catalog.jsonb_build_object('user_id', me, 'x', x, 'y', y, 'direction', direction);
  place := app.room_where(result.room_id);
  PERFORM app.presence_notify(pg_catalog.jsonb_build_object(
    'type', 'moves', 'moves', pg_catalog.jsonb_build_array(accepted)) || place);
  RETURN accepted || place;
END
$$;

COMMIT;
