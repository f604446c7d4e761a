-- Revert arkagentic:function_app_move_blocked_walls from pg
-- The stub function_app_move_verdict made: no tile blocks.

BEGIN;

CREATE OR REPLACE FUNCTION app.move_blocked(room_id uuid, from_x integer, from_y integer, to_x integer, to_y integer)
  RETURNS boolean
  LANGUAGE sql STABLE
  SET search_path TO ''
  AS $$ SELECT false $$;
COMMENT ON FUNCTION app.move_blocked(uuid, integer, integer, integer, integer) IS
  'Whether a move from (from_x, from_y) to (to_x, to_y) in the room ends on or crosses a wall of the room''s current map.';

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
COMMENT ON FUNCTION api.move(integer, integer, text) IS
$$Move within your room.

The same rules as a WebSocket move frame: inside the room, a direction of up/down/left/right, and no
faster than the room's max_speed (tiles per second, with a one-tile tolerance). A rejected move answers
400 with the reason in details (not_in_room, bad_position, bad_direction, outside_room, too_fast).$$;

COMMIT;
