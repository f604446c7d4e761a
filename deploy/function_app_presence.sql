-- Deploy arkagentic:function_app_presence to pg (reworked after v0.4.0)
-- requires: function_app_raise
-- presence_enter (last defined by function_app_presence@v0.3.0) and presence_set_status. The bridge
-- reads the same errors: SQLSTATE PGRST with the code (PT404, PT401, PT429) inside the JSON message.
-- 4xx errors go through app.raise_api_error (function_app_raise): a PTxyz RAISE put its message, and
-- with it any client value the message repeated, into PostgREST's HTTP status line. The status line is
-- now the standard reason phrase and the client's value is in details, as JSON.

BEGIN;

CREATE OR REPLACE FUNCTION app.presence_enter(user_id uuid, room_slug text, connection text)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
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
$function$;

COMMENT ON FUNCTION app.presence_enter(uuid,text,text) IS
  'Puts a player in a room (at the saved position if they were last there, else at its player spawn) and returns presence_state. Rejoining the room one is already in announces nothing.';

CREATE OR REPLACE FUNCTION app.presence_set_status(user_id uuid, status text)
 RETURNS void
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
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
$function$;

COMMENT ON FUNCTION app.presence_set_status(uuid,text) IS
  'Changes a present player''s status and announces player_status; a change costs one tile of the move budget (HTTP 429, code PT429, when it is spent), the status one already has costs nothing and announces nothing.';

COMMIT;
