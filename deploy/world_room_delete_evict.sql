-- Deploy arkagentic:world_room_delete_evict to pg
-- requires: world_evict table_rooms_world
-- A deleted room (an owner or editor may DELETE /rooms of their world) ended its players' presence with
-- player_left and deleted their rows (app.rooms_keep_history), but their sockets stayed in the bridge
-- under the room's (world, slug). A room made again under that slug was heard by them, and a later
-- removal from a private world found no presence row to take out: a removed member went on hearing the
-- world. Before the row goes, every player whose presence is in the room, present or offline, is now
-- announced as {"type":"removed","world","room","user_id","reason":"deleted"}, which takes their sockets
-- out. The trigger's name sorts before rooms_keep_history, so it runs first, while the rows are there; a
-- deletion that rooms_keep_history refuses rolls the announcements back with it.

BEGIN;

CREATE FUNCTION app.room_evict_before_delete() RETURNS trigger
  LANGUAGE plpgsql
  SECURITY DEFINER  -- runs for the editor who deletes the room, and reads every player's presence there
  SET search_path = ''
  AS $$
DECLARE
  world_slug text := (SELECT w.slug FROM app.worlds w WHERE w.id = OLD.world_id);
  inside uuid;
BEGIN
  IF world_slug IS NULL THEN
    RETURN OLD;  -- the world is being deleted: app.world_evict announced its players already
  END IF;
  -- In user_id order, the one lock order of presence rows.
  FOR inside IN
    SELECT p.user_id FROM app.player_presence p WHERE p.room_id = OLD.id ORDER BY p.user_id FOR UPDATE
  LOOP
    PERFORM app.presence_notify(pg_catalog.jsonb_build_object(
      'type', 'removed', 'world', world_slug, 'room', OLD.slug, 'user_id', inside, 'reason', 'deleted'));
  END LOOP;
  RETURN OLD;
END
$$;
COMMENT ON FUNCTION app.room_evict_before_delete() IS
  'Before a room is deleted: announces removed (reason deleted) for every player whose presence is in it, present or offline, so that the bridge takes their sockets out of it.';
REVOKE ALL ON FUNCTION app.room_evict_before_delete() FROM PUBLIC;
CREATE TRIGGER rooms_evict_before_delete BEFORE DELETE ON app.rooms
  FOR EACH ROW EXECUTE FUNCTION app.room_evict_before_delete();

COMMIT;
