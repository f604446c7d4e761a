-- Deploy arkagentic:function_app_move_verdict to pg
-- requires: presence_worlds
-- The move rule in one place, apart from the row it changes: app.move_verdict judges a move from a
-- presence row and its room, and both app.presence_move (REST, one move) and realtime.apply_moves (the
-- socket's tick, many moves of one statement) apply what it decides. Walls are asked of
-- app.move_blocked, which the maps change fills in; until then no tile blocks.

BEGIN;

CREATE FUNCTION app.move_blocked(room_id uuid, from_x integer, from_y integer, to_x integer, to_y integer)
  RETURNS boolean
  LANGUAGE sql STABLE
  SET search_path TO ''
  AS $$ SELECT false $$;
COMMENT ON FUNCTION app.move_blocked(uuid, integer, integer, integer, integer) IS
  'Whether a move from (from_x, from_y) to (to_x, to_y) in the room ends on or crosses a wall of the room''s current map.';
REVOKE ALL ON FUNCTION app.move_blocked(uuid, integer, integer, integer, integer) FROM PUBLIC;

CREATE FUNCTION app.move_verdict(here app.player_presence, room app.rooms, x integer, y integer,
                                 direction text, at timestamptz,
                                 OUT reason text, OUT message text, OUT budget double precision)
  RETURNS record
  LANGUAGE plpgsql STABLE
  SET search_path TO ''
AS $function$
DECLARE
  min_cost CONSTANT double precision := 0.25;
  distance double precision;
BEGIN
  IF here.user_id IS NULL OR here.status = 'offline' THEN
    reason := 'not_in_room'; message := 'join a room before moving';
  ELSIF x IS NULL OR y IS NULL THEN
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
    ELSIF app.move_blocked(room.id, here.x, here.y, x, y) THEN
      -- After the budget: a wall is the costlier question, and a too-fast move is refused either way.
      reason := 'blocked';
      message := pg_catalog.format('the way from (%s, %s) to (%s, %s) is blocked by a wall', here.x, here.y, x, y);
    ELSE
      budget := greatest(budget - distance, 0);
      RETURN;
    END IF;
  END IF;
  budget := NULL;
END
$function$;
COMMENT ON FUNCTION app.move_verdict(app.player_presence, app.rooms, integer, integer, text, timestamptz) IS
  'The move rule: reason is NULL when the move is accepted (budget is then the move budget left), else not_in_room, bad_position, bad_direction, outside_room, too_fast or blocked, with a readable message. Every move costs at least 0.25 tiles, a turn on the spot too.';
REVOKE ALL ON FUNCTION app.move_verdict(app.player_presence, app.rooms, integer, integer, text, timestamptz) FROM PUBLIC;

CREATE OR REPLACE FUNCTION app.presence_move(user_id uuid, x integer, y integer, direction text, at timestamptz,
                                             OUT reason text, OUT message text, OUT room_slug text, OUT room_id uuid)
 RETURNS record
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
DECLARE
  here app.player_presence;
  room app.rooms;
  verdict record;
BEGIN
  SELECT * INTO here FROM app.player_presence p WHERE p.user_id = presence_move.user_id FOR UPDATE;
  SELECT * INTO room FROM app.rooms r WHERE r.id = here.room_id;
  room_slug := room.slug;
  room_id := room.id;
  verdict := app.move_verdict(here, room, x, y, direction, at);
  reason := verdict.reason;
  message := verdict.message;
  IF reason IS NULL THEN
    UPDATE app.player_presence p
       SET x = presence_move.x, y = presence_move.y, direction = presence_move.direction,
           move_budget = verdict.budget, moved_at = at, last_update = at
     WHERE p.user_id = presence_move.user_id;
  END IF;
END
$function$;
COMMENT ON FUNCTION app.presence_move(uuid, integer, integer, text, timestamptz) IS
  'Validates one move by app.move_verdict and applies it. reason is NULL when accepted, else not_in_room, bad_position, bad_direction, outside_room, too_fast or blocked, with a readable message; room_slug and room_id name the mover''s room.';

COMMIT;
