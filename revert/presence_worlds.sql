-- Revert arkagentic:presence_worlds from pg: the functions as they were at v0.5.1 (bodies from db/schema.sql).

BEGIN;

DROP FUNCTION api.enter_room(text, text);
DROP FUNCTION realtime.join(uuid, text, text, text);
DROP FUNCTION realtime.rejoin_room(text, jsonb, text);
DROP FUNCTION realtime.room_state(text, text);
DROP FUNCTION realtime.default_world();
DROP FUNCTION app.presence_enter(uuid, text, text, text);
DROP FUNCTION app.presence_move(uuid, integer, integer, text, timestamptz);

CREATE FUNCTION app.presence_enter(user_id uuid, room_slug text, connection text) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
DECLARE
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
  SELECT * INTO room FROM app.rooms r WHERE r.slug = presence_enter.room_slug;
  IF NOT FOUND THEN
    PERFORM app.raise_api_error(404, 'PT404', 'unknown room', 'GET /rooms lists the rooms.',
                                pg_catalog.jsonb_build_object('room_slug', room_slug));
  END IF;
  PERFORM FROM app.users u WHERE u.id = presence_enter.user_id;
  IF NOT FOUND THEN
    PERFORM app.raise_api_error(401, 'PT401', 'this account no longer exists', 'Sign in again.');
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
    PERFORM app.presence_notify(pg_catalog.jsonb_build_object(
      'type', 'player_left', 'room', (SELECT r.slug FROM app.rooms r WHERE r.id = previous.room_id),
      'user_id', presence_enter.user_id));
  END IF;
  IF NOT was_here THEN
    PERFORM app.presence_notify(pg_catalog.jsonb_build_object(
      'type', 'player_joined', 'room', room.slug, 'player', app.presence_player(presence_enter.user_id)));
  ELSIF previous.status <> new_status THEN
    PERFORM app.presence_notify(pg_catalog.jsonb_build_object(
      'type', 'player_status', 'room', room.slug, 'user_id', presence_enter.user_id, 'status', new_status));
  END IF;

  RETURN app.presence_state(room.id);
END
$$;

COMMENT ON FUNCTION app.presence_enter(user_id uuid, room_slug text, connection text) IS 'Puts a player in a room (at the saved position if they were last there, else at its player spawn) and returns presence_state. Rejoining the room one is already in announces nothing.';

REVOKE ALL ON FUNCTION app.presence_enter(user_id uuid, room_slug text, connection text) FROM PUBLIC;

CREATE FUNCTION app.presence_move(user_id uuid, x integer, y integer, direction text, at timestamp with time zone, OUT reason text, OUT message text, OUT room_slug text) RETURNS record
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
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
$$;

COMMENT ON FUNCTION app.presence_move(user_id uuid, x integer, y integer, direction text, at timestamp with time zone, OUT reason text, OUT message text, OUT room_slug text) IS 'Validates and applies one move; every move costs at least 0.25 tiles of the budget, a turn on the spot too. reason is NULL when accepted, else not_in_room, bad_position, bad_direction, outside_room or too_fast, with a readable message.';

REVOKE ALL ON FUNCTION app.presence_move(user_id uuid, x integer, y integer, direction text, at timestamp with time zone, OUT reason text, OUT message text, OUT room_slug text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION app.presence_state(room_id uuid) RETURNS jsonb
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  SELECT pg_catalog.jsonb_build_object(
           'type', 'presence_state',
           'room', r.slug,
           'players', coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                         'user_id', u.id, 'display_name', u.display_name, 'avatar_sprite', u.avatar_sprite,
                         'x', p.x, 'y', p.y, 'direction', p.direction, 'status', p.status)
                       ORDER BY u.display_name, u.id) FILTER (WHERE u.id IS NOT NULL), '[]'::jsonb))
    FROM app.rooms r
    LEFT JOIN app.player_presence p ON p.room_id = r.id AND p.status <> 'offline'
    LEFT JOIN app.users u ON u.id = p.user_id
   WHERE r.id = presence_state.room_id
   GROUP BY r.slug
$$;

COMMENT ON FUNCTION app.presence_state(room_id uuid) IS 'The presence_state frame of a room: everyone in it who is not offline.';

CREATE OR REPLACE FUNCTION app.presence_leave(user_id uuid, connection text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
DECLARE
  left_room uuid;
  saved jsonb;
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
    PERFORM app.presence_notify(pg_catalog.jsonb_build_object(
      'type', 'player_left', 'room', (SELECT r.slug FROM app.rooms r WHERE r.id = left_room),
      'user_id', presence_leave.user_id));
    RETURN saved || pg_catalog.jsonb_build_object('room', (SELECT r.slug FROM app.rooms r WHERE r.id = left_room));
  END IF;
  RETURN NULL;
END
$$;

COMMENT ON FUNCTION app.presence_leave(user_id uuid, connection text) IS 'Marks a player offline (keeping their position) and announces player_left. Returns the saved position, or NULL if nothing changed.';

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
    'type', 'player_status', 'room', room.slug, 'user_id', presence_set_status.user_id, 'status', status));
END
$$;

COMMENT ON FUNCTION app.presence_set_status(user_id uuid, status text) IS 'Changes a present player''s status and announces player_status; a change costs one tile of the move budget (HTTP 429, code PT429, when it is spent), the status one already has costs nothing and announces nothing.';

CREATE FUNCTION realtime."join"(user_id uuid, room_slug text, connection text) RETURNS jsonb
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO ''
    AS $$ SELECT app.presence_enter(user_id, room_slug, connection) $$;

COMMENT ON FUNCTION realtime."join"(user_id uuid, room_slug text, connection text) IS 'A join frame: enter the room and get its presence_state. connection identifies the socket.';

REVOKE ALL ON FUNCTION realtime."join"(user_id uuid, room_slug text, connection text) FROM PUBLIC;
GRANT ALL ON FUNCTION realtime."join"(user_id uuid, room_slug text, connection text) TO bridge;

CREATE FUNCTION realtime.rejoin_room(room_slug text, members jsonb) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  member record;
  failure text;
BEGIN
  IF members IS NULL OR pg_catalog.jsonb_typeof(members) <> 'array' THEN
    RAISE EXCEPTION 'members must be a JSON array'
      USING ERRCODE = 'invalid_parameter_value', HINT = '[{"user_id": ..., "connection": ...}]';
  END IF;
  PERFORM FROM app.rooms r WHERE r.slug = rejoin_room.room_slug;
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
      PERFORM app.presence_enter(member.user_id, room_slug, member.connection);
    EXCEPTION WHEN SQLSTATE 'PGRST' THEN
      -- app.raise_api_error: the code is inside the JSON message. Only a deleted account is expected.
      GET STACKED DIAGNOSTICS failure = MESSAGE_TEXT;
      IF failure::jsonb ->> 'code' IS DISTINCT FROM 'PT401' THEN
        RAISE;
      END IF;
      NULL;  -- the account was deleted: its socket closes at its token's expiry anyway
    END;
  END LOOP;
  RETURN (SELECT app.presence_state(r.id) FROM app.rooms r WHERE r.slug = rejoin_room.room_slug);
END
$$;

COMMENT ON FUNCTION realtime.rejoin_room(room_slug text, members jsonb) IS 'After an outage: enters the given sockets'' players ([{user_id, connection}]) into the room again if they went offline meanwhile, and returns the room''s presence_state (NULL if the room no longer exists).';

REVOKE ALL ON FUNCTION realtime.rejoin_room(room_slug text, members jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION realtime.rejoin_room(room_slug text, members jsonb) TO bridge;

CREATE FUNCTION realtime.room_state(room_slug text) RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$ SELECT app.presence_state(r.id) FROM app.rooms r WHERE r.slug = room_slug $$;

COMMENT ON FUNCTION realtime.room_state(room_slug text) IS 'The presence_state frame of a room, for resynchronizing clients after a listener reconnect.';

REVOKE ALL ON FUNCTION realtime.room_state(room_slug text) FROM PUBLIC;
GRANT ALL ON FUNCTION realtime.room_state(room_slug text) TO bridge;

CREATE OR REPLACE FUNCTION realtime.apply_moves(moves jsonb) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $_$
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
      accepted := pg_catalog.jsonb_set(accepted, ARRAY[result.room_slug],
        coalesce(accepted -> result.room_slug, '[]') || pg_catalog.jsonb_build_object(
          'user_id', mover, 'x', x, 'y', y, 'direction', move ->> 'direction'));
    ELSE
      rejected := rejected || pg_catalog.jsonb_build_object(
        'user_id', mover, 'reason', result.reason, 'message', result.message, 'arrival', arrival);
    END IF;
  END LOOP;

  -- One NOTIFY per room per chunk of 50 moves, whatever the number of players.
  FOR room, list IN SELECT key, value FROM pg_catalog.jsonb_each(accepted) LOOP
    i := 0;
    WHILE i < pg_catalog.jsonb_array_length(list) LOOP
      PERFORM app.presence_notify(pg_catalog.jsonb_build_object(
        'type', 'moves', 'room', room,
        'moves', (SELECT pg_catalog.jsonb_agg(value ORDER BY ordinality)
                    FROM pg_catalog.jsonb_array_elements(list) WITH ORDINALITY
                   WHERE ordinality > i AND ordinality <= i + chunk_size)));
      i := i + chunk_size;
    END LOOP;
  END LOOP;

  -- Rejections in arrival order, whatever order the moves were processed in.
  RETURN (SELECT coalesce(pg_catalog.jsonb_agg(value - 'arrival' ORDER BY (value ->> 'arrival')::bigint), '[]')
            FROM pg_catalog.jsonb_array_elements(rejected));
END
$_$;

COMMENT ON FUNCTION realtime.apply_moves(moves jsonb) IS 'Applies a tick of moves in one transaction, in user_id order (each player''s in arrival order): validates each, sends one moves frame per room (in chunks of 50) and returns the rejected ones as [{user_id, reason, message}].';

CREATE OR REPLACE FUNCTION realtime.sweep(away_after interval DEFAULT '00:01:00'::interval, offline_after interval DEFAULT '00:02:00'::interval) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
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
    RETURNING p.user_id, (SELECT r.slug FROM app.rooms r WHERE r.id = p.room_id) AS room
  LOOP
    PERFORM app.presence_notify(pg_catalog.jsonb_build_object('type', 'player_left', 'room', gone.room, 'user_id', gone.user_id));
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
    RETURNING p.user_id, (SELECT r.slug FROM app.rooms r WHERE r.id = p.room_id) AS room
  LOOP
    PERFORM app.presence_notify(pg_catalog.jsonb_build_object(
      'type', 'player_status', 'room', idle.room, 'user_id', idle.user_id, 'status', 'away'));
    went_away := went_away + 1;
  END LOOP;
  RETURN pg_catalog.jsonb_build_object('away', went_away, 'offline', went_offline);
END
$$;

COMMENT ON FUNCTION realtime.sweep(away_after interval, offline_after interval) IS 'Marks players with no sign of life for away_after as away, and for offline_after as offline, announcing each change. Works whoever owned them; locks in user_id order and skips rows locked right now.';

CREATE FUNCTION api.enter_room(room_slug text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
BEGIN
  RETURN app.presence_enter(auth.user_id(), room_slug, 'rest');
END
$$;

COMMENT ON FUNCTION api.enter_room(room_slug text) IS 'Enter a room.

You appear where you stood on your last visit to this room, or at its player spawn point. Returns the
room''s presence_state: {type, room, players: [{user_id, display_name, avatar_sprite, x, y, direction, status}]}.
404 for an unknown room.';

REVOKE ALL ON FUNCTION api.enter_room(room_slug text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.enter_room(room_slug text) TO player;

CREATE OR REPLACE FUNCTION api.move(x integer, y integer, direction text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  me uuid := auth.user_id();
  result record;
  accepted jsonb;
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
  PERFORM app.presence_notify(pg_catalog.jsonb_build_object(
    'type', 'moves', 'room', result.room_slug, 'moves', pg_catalog.jsonb_build_array(accepted)));
  RETURN accepted || pg_catalog.jsonb_build_object('room', result.room_slug);
END
$$;

COMMENT ON FUNCTION api.move(x integer, y integer, direction text) IS 'Move within your room.

The same rules as a WebSocket move frame: inside the room, a direction of up/down/left/right, and no
faster than the room''s max_speed (tiles per second, with a one-tile tolerance). A rejected move answers
400 with the reason in details (not_in_room, bad_position, bad_direction, outside_room, too_fast).';

DROP FUNCTION app.room_where(uuid);

COMMIT;
