-- Revert arkagentic:world_evict_offline_listeners from pg
-- app.world_evict as world_evict made it: present players only.

BEGIN;

CREATE OR REPLACE FUNCTION app.world_evict(w uuid, uid uuid, cause text, announced_slug text DEFAULT NULL) RETURNS integer
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER  -- runs for whoever changed the rules, and moves other players' presence
  SET search_path = ''
  AS $$
DECLARE
  world app.worlds;
  home app.rooms;
  gone record;
  evicted integer := 0;
BEGIN
  IF cause IS NULL OR cause NOT IN ('archived', 'banned', 'private', 'removed', 'renamed', 'deleted') THEN
    RAISE EXCEPTION 'cause must be archived, banned, private, removed, renamed or deleted'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'app.world_evict is called by the world triggers.';
  END IF;
  -- The world row's lock orders this against every join (app.presence_enter) and acceptance
  -- (api.accept_invitation), which take it FOR SHARE before they check the rules: a join that committed
  -- while this waited is seen below and taken out, and one that comes after waits and sees the change.
  SELECT * INTO world FROM app.worlds x WHERE x.id = w FOR UPDATE;
  IF NOT FOUND THEN
    RETURN 0;  -- deleted: its rooms and presence went with it
  END IF;
  IF cause = 'banned' AND uid IS NOT NULL AND app.world_banned(w, uid) THEN
    -- A ban ends the membership, whichever path wrote it (api.ban does so itself; a DBA's INSERT too).
    DELETE FROM app.world_members m WHERE m.world_id = w AND m.user_id = uid AND m.role <> 'owner';
  END IF;
  SELECT r.* INTO home
    FROM app.rooms r
    JOIN app.worlds d ON d.id = r.world_id
    JOIN app.world_settings s ON d.slug = s.default_world_slug
   WHERE r.is_main;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'the default world has no main room'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'app.world_settings.default_world_slug must name a world with a main room.';
  END IF;
  -- In user_id order, the one lock order of presence rows (apply_moves, touch, sweep).
  FOR gone IN
    SELECT q.user_id, q.room_slug, q.reason
      FROM (SELECT p.user_id, r.slug::text AS room_slug,
                   CASE WHEN cause IN ('renamed', 'deleted') THEN cause
                        WHEN world.archived_at IS NOT NULL THEN 'archived'
                        WHEN app.world_banned(w, p.user_id) THEN 'banned'
                        WHEN app.world_role(w, p.user_id) IS NOT NULL THEN NULL
                        WHEN cause = 'private' AND world.visibility = 'private' THEN 'private'
                        WHEN cause = 'removed' AND world.visibility IN ('private', 'unlisted') THEN 'removed'
                   END AS reason
              FROM app.player_presence p
              JOIN app.rooms r ON r.id = p.room_id
             WHERE r.world_id = w AND p.status <> 'offline' AND (uid IS NULL OR p.user_id = uid)
             ORDER BY p.user_id
               FOR UPDATE OF p) AS q
     WHERE q.reason IS NOT NULL
     ORDER BY q.user_id
  LOOP
    UPDATE app.player_presence p
       SET room_id = home.id, x = home.default_spawn_x, y = home.default_spawn_y, direction = 'down',
           status = 'offline', session_token = NULL, last_update = pg_catalog.now(),
           moved_at = pg_catalog.clock_timestamp(), move_budget = home.max_speed + 1
     WHERE p.user_id = gone.user_id;
    PERFORM app.presence_notify(pg_catalog.jsonb_build_object(
      'type', 'removed', 'world', coalesce(announced_slug, world.slug), 'room', gone.room_slug, 'user_id', gone.user_id,
      'reason', gone.reason));
    evicted := evicted + 1;
  END LOOP;
  RETURN evicted;
END
$$;
COMMENT ON FUNCTION app.world_evict(uuid, uuid, text, text) IS
  'Takes every present player (or only uid) who may no longer be in world w out of its rooms: moved to the default world''s main room, offline, and announced as {"type":"removed","world","room","user_id","reason"} on channel presence (world: announced_slug when given, the slug the sockets know). renamed and deleted take everyone out. Returns the number evicted.';

COMMIT;
