-- Deploy arkagentic:function_app_presence to pg
-- requires: table_player_presence_movement trigger_room_bounds table_users table_spawn_points
-- The presence rules, written once. api (REST) and realtime (WebSocket bridge) both call these,
-- so both paths accept and reject exactly the same moves. None is granted to an API role.
--
-- Every change is announced on the NOTIFY channel `presence` as a ready-to-send client frame
-- (player_joined, moves, player_left, player_status), so each bridge forwards the text as is.
-- Payloads stay far below NOTIFY's 8000-byte limit: a player is ~250 bytes, and moves are sent
-- in chunks of 50.

BEGIN;

CREATE FUNCTION app.presence_notify(frame jsonb) RETURNS void
  LANGUAGE sql VOLATILE
  SET search_path = ''
  AS $$ SELECT pg_catalog.pg_notify('presence', frame::text) $$;
COMMENT ON FUNCTION app.presence_notify(jsonb) IS 'Announces a presence frame to every bridge.';

CREATE FUNCTION app.presence_player(user_id uuid) RETURNS jsonb
  LANGUAGE sql STABLE
  SET search_path = ''
  AS $$
  SELECT pg_catalog.jsonb_build_object(
           'user_id', u.id, 'display_name', u.display_name, 'avatar_sprite', u.avatar_sprite,
           'x', p.x, 'y', p.y, 'direction', p.direction, 'status', p.status)
    FROM app.player_presence p
    JOIN app.users u ON u.id = p.user_id
   WHERE p.user_id = presence_player.user_id
$$;
COMMENT ON FUNCTION app.presence_player(uuid) IS 'One player as presence frames show them.';

CREATE FUNCTION app.presence_state(room_id uuid) RETURNS jsonb
  LANGUAGE sql STABLE
  SET search_path = ''
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
COMMENT ON FUNCTION app.presence_state(uuid) IS 'The presence_state frame of a room: everyone in it who is not offline.';

CREATE FUNCTION app.presence_enter(user_id uuid, room_slug text, connection text) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SET search_path = ''
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
    RAISE EXCEPTION 'unknown room %', pg_catalog.quote_literal(room_slug)
      USING ERRCODE = 'PT404', HINT = 'GET /rooms lists the rooms.';
  END IF;
  PERFORM FROM app.users u WHERE u.id = presence_enter.user_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'this account no longer exists'
      USING ERRCODE = 'PT401', HINT = 'Sign in again.';
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
COMMENT ON FUNCTION app.presence_enter(uuid, text, text) IS
  'Puts a player in a room (at the saved position if they were last there, else at its player spawn) and returns presence_state. Rejoining the room one is already in announces nothing.';

CREATE FUNCTION app.presence_move(user_id uuid, x integer, y integer, direction text, at timestamptz,
                                  OUT reason text, OUT message text, OUT room_slug text)
  LANGUAGE plpgsql VOLATILE
  SET search_path = ''
  AS $$
DECLARE
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
    -- Token bucket: refill for the time since the last accepted move, capped at one second's walk
    -- plus one tile of tolerance; a move spends its straight-line length.
    budget := least(here.move_budget + greatest(extract(epoch FROM at - here.moved_at), 0) * room.max_speed,
                    room.max_speed + 1);
    distance := sqrt(((x - here.x) ^ 2 + (y - here.y) ^ 2)::double precision);
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
COMMENT ON FUNCTION app.presence_move(uuid, integer, integer, text, timestamptz) IS
  'Validates and applies one move. reason is NULL when accepted, else not_in_room, bad_position, bad_direction, outside_room or too_fast, with a readable message.';

CREATE FUNCTION app.presence_leave(user_id uuid, connection text DEFAULT NULL) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SET search_path = ''
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
COMMENT ON FUNCTION app.presence_leave(uuid, text) IS
  'Marks a player offline (keeping their position) and announces player_left. Returns the saved position, or NULL if nothing changed.';

CREATE FUNCTION app.presence_set_status(user_id uuid, status text) RETURNS void
  LANGUAGE plpgsql VOLATILE
  SET search_path = ''
  AS $$
DECLARE
  room_slug text;
BEGIN
  IF status IS NULL OR status NOT IN ('online', 'away', 'busy') THEN
    RAISE EXCEPTION 'status must be online, away or busy'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Leave the room to go offline.';
  END IF;
  UPDATE app.player_presence p SET status = presence_set_status.status, last_update = pg_catalog.now()
   WHERE p.user_id = presence_set_status.user_id AND p.status <> 'offline'
  RETURNING (SELECT r.slug FROM app.rooms r WHERE r.id = p.room_id) INTO room_slug;
  IF room_slug IS NULL THEN
    RAISE EXCEPTION 'join a room before changing status'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send a join frame first.';
  END IF;
  PERFORM app.presence_notify(pg_catalog.jsonb_build_object(
    'type', 'player_status', 'room', room_slug, 'user_id', presence_set_status.user_id, 'status', status));
END
$$;
COMMENT ON FUNCTION app.presence_set_status(uuid, text) IS 'Changes a present player''s status and announces player_status.';

COMMIT;
