-- Revert arkagentic:function_app_presence from pg: back to the v0.3.0 rules, where a turn on the spot
-- and a status change cost no move budget.

BEGIN;

CREATE OR REPLACE FUNCTION app.presence_move(user_id uuid, x integer, y integer, direction text, at timestamptz,
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

CREATE OR REPLACE FUNCTION app.presence_set_status(user_id uuid, status text) RETURNS void
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
