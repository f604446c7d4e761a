-- Revert arkagentic:presence_enter_after_publish from pg
-- app.presence_enter as presence_worlds made it.

BEGIN;

CREATE OR REPLACE FUNCTION app.presence_enter(user_id uuid, room_slug text, connection text, world_slug text DEFAULT NULL)
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


COMMIT;
