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

COMMIT;
