-- Deploy arkagentic:function_app_move_blocked_walls to pg
-- requires: function_app_move_verdict table_maps presence_worlds
-- The move rule learns walls (issue 12): app.move_blocked reads the room's current collision grid (one
-- row) and walks the straight path of the move as a supercover line: every tile the segment touches, and
-- at a corner both tiles beside it, so that no diagonal slips between two walls. app.move_verdict, which
-- REST's app.presence_move and the socket's realtime.apply_moves both apply, asks it after the budget.

BEGIN;

CREATE OR REPLACE FUNCTION app.move_blocked(room_id uuid, from_x integer, from_y integer, to_x integer, to_y integer)
  RETURNS boolean
  LANGUAGE plpgsql STABLE
  SET search_path TO ''
  AS $$
DECLARE
  grid bit varying;
  w integer;
  h integer;
  nx integer := abs(to_x - from_x);
  ny integer := abs(to_y - from_y);
  sx integer := sign(to_x - from_x)::integer;
  sy integer := sign(to_y - from_y)::integer;
  px integer := from_x;
  py integer := from_y;
  ix integer := 0;
  iy integer := 0;
  decision bigint;
BEGIN
  SELECT m.collision, m.width, m.height INTO grid, w, h
    FROM app.rooms r JOIN app.map_versions m ON m.room_id = r.id AND m.version = r.map_version
   WHERE r.id = move_blocked.room_id;
  IF grid IS NULL THEN
    RETURN false;  -- a room without a map has no walls
  END IF;
  -- The tile the player stands on is not asked: who stands on a wall (placed there by hand) may step off.
  WHILE ix < nx OR iy < ny LOOP
    -- Which border the segment crosses next: the vertical one (x), the horizontal one (y), or a corner.
    decision := (1 + 2 * ix)::bigint * ny - (1 + 2 * iy)::bigint * nx;
    IF decision = 0 THEN
      -- Through a corner: both tiles beside it count.
      IF px + sx BETWEEN 0 AND w - 1 AND py BETWEEN 0 AND h - 1 AND pg_catalog.get_bit(grid, py * w + px + sx) = 1
         OR px BETWEEN 0 AND w - 1 AND py + sy BETWEEN 0 AND h - 1 AND pg_catalog.get_bit(grid, (py + sy) * w + px) = 1 THEN
        RETURN true;
      END IF;
      px := px + sx; py := py + sy; ix := ix + 1; iy := iy + 1;
    ELSIF decision < 0 THEN
      px := px + sx; ix := ix + 1;
    ELSE
      py := py + sy; iy := iy + 1;
    END IF;
    IF px BETWEEN 0 AND w - 1 AND py BETWEEN 0 AND h - 1 AND pg_catalog.get_bit(grid, py * w + px) = 1 THEN
      RETURN true;
    END IF;
  END LOOP;
  RETURN false;
END
$$;
COMMENT ON FUNCTION app.move_blocked(uuid, integer, integer, integer, integer) IS
  'Whether a move from (from_x, from_y) to (to_x, to_y) in the room ends on or crosses a wall of the room''s current map: a supercover line, so a diagonal past a wall''s corner is blocked too.';

-- REST's move names the new reason in its hint and comment.
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
                     WHEN 'blocked' THEN 'Walk around the wall: GET /room_maps has the room''s map, and its tiles with collides are walls.'
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
COMMENT ON FUNCTION api.move(integer, integer, text) IS
$$Move within your room.

The same rules as a WebSocket move frame: inside the room, a direction of up/down/left/right, and no
faster than the room's max_speed (tiles per second, with a one-tile tolerance). A rejected move answers
400 with the reason in details (not_in_room, bad_position, bad_direction, outside_room, too_fast, blocked: onto or across a wall of the room's map).$$;

COMMIT;
