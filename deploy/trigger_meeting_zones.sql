-- Deploy arkagentic:trigger_meeting_zones to pg
-- requires: function_app_meetings table_player_presence table_buildings
-- Zone attendance is decided in the statement that changes presence, whichever path it comes by: a REST
-- move or enter_room, the socket's batched tick (realtime.apply_moves), a leave, the grace period's
-- realtime.leave, the stale sweep, a world eviction, a deleted room. Statement-level triggers with
-- transition tables hand app.meeting_zones_follow the players whose room, tile or online-ness changed,
-- once per statement, so a statement that moves many players is one query, not one per row. (Transition
-- tables need one trigger per event.)

BEGIN;

CREATE FUNCTION app.meeting_zones_after_insert() RETURNS trigger
  LANGUAGE plpgsql
  SECURITY DEFINER  -- whoever changed presence (a room's editor deleting it, too) may not write meetings
  SET search_path = ''
  AS $$
DECLARE
  users uuid[];
BEGIN
  SELECT pg_catalog.array_agg(n.user_id) INTO users FROM new_rows n WHERE n.status <> 'offline';
  IF users IS NOT NULL THEN
    PERFORM app.meeting_zones_follow(users);
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION app.meeting_zones_after_update() RETURNS trigger
  LANGUAGE plpgsql
  SECURITY DEFINER  -- whoever changed presence (a room's editor deleting it, too) may not write meetings
  SET search_path = ''
  AS $$
DECLARE
  users uuid[];
BEGIN
  -- The move path: one query per statement finds the players for whom some meeting building of the old or
  -- the new room holds exactly one of their two places (usually none); only those are looked at further.
  -- A building that moves, grows or goes is handled by its own trigger (meeting_zones_building).
  SELECT pg_catalog.array_agg(n.user_id) INTO users
    FROM new_rows n JOIN old_rows o ON o.user_id = n.user_id
   WHERE EXISTS (SELECT FROM app.buildings b
                  WHERE b.room_id IN (n.room_id, o.room_id) AND b.type = 'meeting'
                    AND app.meeting_zone_holds(b, n.room_id, n.x, n.y, n.status)
                        <> app.meeting_zone_holds(b, o.room_id, o.x, o.y, o.status));
  IF users IS NOT NULL THEN
    PERFORM app.meeting_zones_follow(users);
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION app.meeting_zones_after_delete() RETURNS trigger
  LANGUAGE plpgsql
  SECURITY DEFINER  -- whoever changed presence (a room's editor deleting it, too) may not write meetings
  SET search_path = ''
  AS $$
DECLARE
  users uuid[];
BEGIN
  SELECT pg_catalog.array_agg(o.user_id) INTO users FROM old_rows o;
  IF users IS NOT NULL THEN
    PERFORM app.meeting_zones_follow(users);
  END IF;
  RETURN NULL;
END
$$;
-- A meeting building placed, moved, resized, retyped or deleted: its rooms' players are looked at again.
CREATE FUNCTION app.meeting_zones_building() RETURNS trigger
  LANGUAGE plpgsql
  SECURITY DEFINER  -- the room's editor may change the building, not write meetings
  SET search_path = ''
  AS $$
DECLARE
  rooms uuid[] := ARRAY[]::uuid[];
  users uuid[];
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.type = 'meeting' THEN
    rooms := rooms || OLD.room_id;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.type = 'meeting' THEN
    rooms := rooms || NEW.room_id;
  END IF;
  IF rooms <> '{}' THEN
    SELECT pg_catalog.array_agg(p.user_id) INTO users FROM app.player_presence p
     WHERE p.room_id = ANY (rooms) AND p.status <> 'offline';
    IF users IS NOT NULL THEN
      PERFORM app.meeting_zones_follow(users);
    END IF;
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION app.meeting_zones_building() IS 'A meeting building changed: zone attendance of the players in its rooms follows (app.meeting_zones_follow).';
REVOKE ALL ON FUNCTION app.meeting_zones_building() FROM PUBLIC;
CREATE TRIGGER meeting_zones_building AFTER INSERT OR UPDATE OR DELETE ON app.buildings
  FOR EACH ROW EXECUTE FUNCTION app.meeting_zones_building();

COMMENT ON FUNCTION app.meeting_zones_after_insert() IS 'Zone attendance of players who entered presence (app.meeting_zones_follow).';
COMMENT ON FUNCTION app.meeting_zones_after_update() IS 'Zone attendance of players who stepped into or out of a meeting building''s zone (app.meeting_zones_follow).';
COMMENT ON FUNCTION app.meeting_zones_after_delete() IS 'Zone attendance of players whose presence row is gone: they leave their meeting.';
REVOKE ALL ON FUNCTION app.meeting_zones_after_insert() FROM PUBLIC;
REVOKE ALL ON FUNCTION app.meeting_zones_after_update() FROM PUBLIC;
REVOKE ALL ON FUNCTION app.meeting_zones_after_delete() FROM PUBLIC;

CREATE TRIGGER meeting_zones_insert AFTER INSERT ON app.player_presence
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION app.meeting_zones_after_insert();
CREATE TRIGGER meeting_zones_update AFTER UPDATE ON app.player_presence
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION app.meeting_zones_after_update();
CREATE TRIGGER meeting_zones_delete AFTER DELETE ON app.player_presence
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION app.meeting_zones_after_delete();

COMMIT;
