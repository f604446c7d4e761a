-- Deploy arkagentic:world_evict to pg
-- requires: presence_worlds table_worlds function_app_world_access
-- Privacy applies live (issue 11): any change that takes away a player's right to be in a world's room
-- takes them out, announced from the transaction that made the change. A ban in force, a membership
-- ended in a private or unlisted world (not in a public one: anyone may be there), a switch to private
-- (for non-members) and an archive (for everyone, the owner included). A demotion takes nobody out.
--
-- Each evicted presence is moved to the default world's main room, at its default spawn, and set
-- offline; the presence channel gets {"type":"removed","world","room","user_id","reason"} (reason banned,
-- removed, private or archived). The bridge turns that into a removed frame for the player's own sockets
-- in that room, which leave it, and a player_left for everyone else there. Nobody is joined anywhere.
--
-- The triggers are deferred to commit: the rules are judged as the transaction leaves them, so a ban
-- that also ends a membership (in either order) is reported as banned, and a ban lifted again in the
-- same transaction evicts nobody.

BEGIN;

-- Takes out of world w's rooms every present player (only uid, when given) who may no longer be there,
-- judged now. cause says which change asks: 'archived', 'banned', 'private' or 'removed'. A player is
-- evicted as archived when the world is archived, as banned when a ban is in force, else, not being a
-- member, as private (cause private, the world private) or removed (cause removed, the world private or
-- unlisted). Returns how many were evicted.
CREATE FUNCTION app.world_evict(w uuid, uid uuid, cause text, announced_slug text DEFAULT NULL) RETURNS integer
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
REVOKE ALL ON FUNCTION app.world_evict(uuid, uuid, text, text) FROM PUBLIC;

CREATE FUNCTION app.world_evict_trigger() RETURNS trigger
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = ''
  AS $$
BEGIN
  IF TG_TABLE_NAME = 'world_bans' THEN
    PERFORM app.world_evict(NEW.world_id, NEW.user_id, 'banned');
  ELSIF TG_TABLE_NAME = 'world_members' THEN
    PERFORM app.world_evict(OLD.world_id, OLD.user_id, 'removed');
  ELSIF TG_NAME = 'worlds_evict_before_delete' THEN
    -- Before the row goes (its rooms and their presence go with it by cascade): the sockets learn it
    -- while the world's slug can still be named.
    PERFORM app.world_evict(OLD.id, NULL, 'deleted');
    RETURN OLD;
  ELSIF TG_NAME = 'worlds_evict_renamed' THEN
    -- The bridge knows the rooms by the old slug: everyone present is taken out under it, and joins
    -- again under the new one.
    PERFORM app.world_evict(NEW.id, NULL, 'renamed', OLD.slug);
  ELSIF NEW.archived_at IS NOT NULL THEN
    PERFORM app.world_evict(NEW.id, NULL, 'archived');
  ELSE
    PERFORM app.world_evict(NEW.id, NULL, 'private');
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION app.world_evict_trigger() IS
  'At commit: a ban, an ended membership, a switch to private or an archive takes the players it concerns out of the world''s rooms (app.world_evict).';
REVOKE ALL ON FUNCTION app.world_evict_trigger() FROM PUBLIC;

CREATE CONSTRAINT TRIGGER world_bans_evict AFTER INSERT OR UPDATE ON app.world_bans
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (NEW.until IS NULL OR NEW.until > pg_catalog.now())
  EXECUTE FUNCTION app.world_evict_trigger();
CREATE CONSTRAINT TRIGGER world_members_evict AFTER DELETE ON app.world_members
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  EXECUTE FUNCTION app.world_evict_trigger();
CREATE TRIGGER worlds_evict_before_delete BEFORE DELETE ON app.worlds
  FOR EACH ROW EXECUTE FUNCTION app.world_evict_trigger();
-- A rename is announced at once, not at commit: the trigger must know the old slug, and a rename and
-- another change in one transaction are each announced as they happen.
CREATE TRIGGER worlds_evict_renamed AFTER UPDATE OF slug ON app.worlds
  FOR EACH ROW WHEN (NEW.slug IS DISTINCT FROM OLD.slug)
  EXECUTE FUNCTION app.world_evict_trigger();
CREATE CONSTRAINT TRIGGER worlds_evict AFTER UPDATE OF visibility, archived_at ON app.worlds
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (NEW.archived_at IS NOT NULL AND OLD.archived_at IS NULL
        OR NEW.visibility = 'private' AND OLD.visibility IS DISTINCT FROM 'private')
  EXECUTE FUNCTION app.world_evict_trigger();

COMMIT;
