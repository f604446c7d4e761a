-- Deploy arkagentic:function_rooms_keep_contents_inside_definer to pg
-- requires: trigger_room_bounds
-- The shrink check must see every row in the room. Run as content_admin it was refused
-- app.player_presence, and row-level security would have hidden other players' rows anyway.

BEGIN;

ALTER FUNCTION app.rooms_keep_contents_inside() SECURITY DEFINER SET search_path = '';

COMMIT;
