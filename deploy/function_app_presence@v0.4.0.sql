-- Deploy arkagentic:function_app_presence to pg
-- requires: table_player_presence_movement trigger_room_bounds table_users table_spawn_points
-- Every presence change is a frame to everyone in the room, so none may be free: one client sending
-- direction-only moves or status changes as fast as it can used to give every watcher as many frames.
--
-- * A move spends its straight-line length, but at least a quarter tile: a turn on the spot (or a
--   repeat of the same move) costs 0.25 tiles. At a max_speed of 10 tiles/s that is 40 turns a second,
--   far more than any player turns, while walking costs exactly what it did.
-- * A status change spends one tile: 10 changes a second at max_speed 10 after a burst of 11, where a
--   real client changes its status a few times an hour. Setting the status a player already has
--   changes nothing, costs nothing and announces nothing. A refused change raises PT429.
-- Both draw on the same token bucket (move_budget, refilled at max_speed since moved_at), so the REST
-- path and every bridge share the limit.

BEGIN;

CREATE OR REPLACE FUNCTION app.presence_move(user_id uuid, x integer, y integer, direction text, at timestamptz,
                                             OUT reason text, OUT message text, OUT room_slug text)
  LANGUAGE plpgsql VOLATILE
  SET search_path = ''
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
COMMENT ON FUNCTION app.presence_move(uuid, integer, integer, text, timestamptz) IS
  'Validates and applies one move; every move costs at least 0.25 tiles of the budget, a turn on the spot too. reason is NULL when accepted, else not_in_room, bad_position, bad_direction, outside_room or too_fast, with a readable message.';

CREATE OR REPLACE FUNCTION app.presence_set_status(user_id uuid, status text) RETURNS void
  LANGUAGE plpgsql VOLATILE
  SET search_path = ''
  AS $$
DECLARE
  cost CONSTANT double precision := 1;
  here app.player_presence;
  room app.rooms;
  at timestamptz := pg_catalog.clock_timestamp();
  budget double precision;
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
    RAISE EXCEPTION 'too many status changes; slow down'
      USING ERRCODE = 'PT429',
            DETAIL = pg_catalog.json_build_object('retry_after',
                       pg_catalog.ceil((cost - budget) / room.max_speed))::text,
            HINT = 'A status change costs one tile of the move allowance, which refills at the room''s max_speed.';
  END IF;
  UPDATE app.player_presence p
     SET status = presence_set_status.status, last_update = pg_catalog.now(),
         move_budget = greatest(budget - cost, 0), moved_at = at
   WHERE p.user_id = presence_set_status.user_id;
  PERFORM app.presence_notify(pg_catalog.jsonb_build_object(
    'type', 'player_status', 'room', room.slug, 'user_id', presence_set_status.user_id, 'status', status));
END
$$;
COMMENT ON FUNCTION app.presence_set_status(uuid, text) IS
  'Changes a present player''s status and announces player_status; a change costs one tile of the move budget (PT429 when it is spent), the status one already has costs nothing and announces nothing.';

COMMIT;
