-- Revert arkagentic:function_app_move_verdict from pg
-- app.presence_move as presence_worlds made it, with the rule inline and no walls.

BEGIN;

CREATE OR REPLACE FUNCTION app.presence_move(user_id uuid, x integer, y integer, direction text, at timestamptz,
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

DROP FUNCTION app.move_verdict(app.player_presence, app.rooms, integer, integer, text, timestamptz);
DROP FUNCTION app.move_blocked(uuid, integer, integer, integer, integer);

COMMIT;
