-- Deploy arkagentic:function_app_meetings to pg
-- requires: table_meetings table_player_presence function_app_presence presence_worlds function_app_raise
-- The meeting rules (issue 14), once: which Jitsi room a building is, opening and closing sessions,
-- zone attendance following presence, call attendance following event_sync. The presence triggers
-- (trigger_meeting_zones), api.jitsi_token, api.jitsi_event and realtime.jitsi_event call these; none is
-- granted to an API role.
--
-- Session locks: whoever adds attendance to an open session holds its row FOR UPDATE until commit, and
-- whoever closes one takes that lock first and only then (in a later statement, so with a fresh
-- snapshot) looks for attendance left open. So a player stepping in never lands in a session that the
-- last one out is closing: either the closer sees them, or they wait and open a new session.

BEGIN;

CREATE FUNCTION app.meeting_jitsi_name(world_slug text, jitsi_room text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = ''
  RETURN world_slug || '_' || pg_catalog.lower(jitsi_room);
COMMENT ON FUNCTION app.meeting_jitsi_name(text, text) IS
  'The Jitsi room of a meeting building: <world slug>_<jitsi_room in lower case>, unique per installation (a world slug has no underscore; buildings_meeting_jitsi_room_key).';
REVOKE ALL ON FUNCTION app.meeting_jitsi_name(text, text) FROM PUBLIC;

CREATE FUNCTION app.meeting_building_by_jitsi_name(jitsi_name text) RETURNS uuid
  LANGUAGE sql STABLE
  SET search_path = ''
  AS $$
  SELECT b.id
    FROM app.worlds w
    JOIN app.buildings b ON b.world_id = w.id
   WHERE pg_catalog.strpos(jitsi_name, '_') > 1
     AND w.slug = pg_catalog.split_part(pg_catalog.lower(jitsi_name), '_', 1)
     AND b.type = 'meeting'
     AND pg_catalog.lower(b.jitsi_room) = pg_catalog.substr(pg_catalog.lower(jitsi_name), pg_catalog.strpos(jitsi_name, '_') + 1)
$$;
COMMENT ON FUNCTION app.meeting_building_by_jitsi_name(text) IS
  'The meeting building a Jitsi room name (app.meeting_jitsi_name) stands for, or NULL.';
REVOKE ALL ON FUNCTION app.meeting_building_by_jitsi_name(text) FROM PUBLIC;

-- The building's open session, opened if there is none; returned locked FOR UPDATE.
CREATE FUNCTION app.meeting_open_session(building_id uuid) RETURNS uuid
  LANGUAGE plpgsql VOLATILE
  SET search_path = ''
  AS $$
#variable_conflict use_column
DECLARE
  session uuid;
BEGIN
  LOOP
    INSERT INTO app.meeting_sessions (building_id, world_id, jitsi_room)
    SELECT b.id, b.world_id, app.meeting_jitsi_name(w.slug, b.jitsi_room)
      FROM app.buildings b JOIN app.worlds w ON w.id = b.world_id
     WHERE b.id = meeting_open_session.building_id AND b.type = 'meeting'
    ON CONFLICT (building_id) WHERE ended_at IS NULL DO NOTHING;
    SELECT s.id INTO session FROM app.meeting_sessions s
     WHERE s.building_id = meeting_open_session.building_id AND s.ended_at IS NULL
       FOR UPDATE;
    IF FOUND THEN
      RETURN session;
    END IF;
    -- Closed between the insert and the lock (by the last one out), or the building is gone.
    PERFORM FROM app.buildings b WHERE b.id = meeting_open_session.building_id AND b.type = 'meeting';
    IF NOT FOUND THEN
      RETURN NULL;
    END IF;
  END LOOP;
END
$$;
COMMENT ON FUNCTION app.meeting_open_session(uuid) IS
  'The open session of a meeting building, opened when there is none (the first one in), locked FOR UPDATE; NULL for no meeting building.';
REVOKE ALL ON FUNCTION app.meeting_open_session(uuid) FROM PUBLIC;

-- Closes the session when nobody is left in it (the last one out); true if it closed.
CREATE FUNCTION app.meeting_close_if_empty(session_id uuid) RETURNS boolean
  LANGUAGE plpgsql VOLATILE
  SET search_path = ''
  AS $$
BEGIN
  PERFORM FROM app.meeting_sessions s WHERE s.id = meeting_close_if_empty.session_id AND s.ended_at IS NULL FOR UPDATE;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  -- A later statement than the lock: it sees whoever joined and committed while this waited.
  PERFORM FROM app.meeting_attendance a WHERE a.session_id = meeting_close_if_empty.session_id AND a.left_at IS NULL;
  IF FOUND THEN
    RETURN false;
  END IF;
  UPDATE app.meeting_sessions s
     SET ended_at = greatest(pg_catalog.now(), s.started_at,
                             (SELECT max(a.left_at) FROM app.meeting_attendance a WHERE a.session_id = s.id))
   WHERE s.id = meeting_close_if_empty.session_id;
  RETURN true;
END
$$;
COMMENT ON FUNCTION app.meeting_close_if_empty(uuid) IS
  'Ends a session nobody is in any more (no open zone or call attendance); true when it ended it.';
REVOKE ALL ON FUNCTION app.meeting_close_if_empty(uuid) FROM PUBLIC;

CREATE FUNCTION app.meeting_frame(kind text, building_id uuid, user_id uuid) RETURNS jsonb
  LANGUAGE sql STABLE
  SET search_path = ''
  AS $$
  SELECT pg_catalog.jsonb_build_object('type', kind, 'building_id', b.id, 'user_id', meeting_frame.user_id)
         || app.room_where(b.room_id)
    FROM app.buildings b WHERE b.id = meeting_frame.building_id
$$;
COMMENT ON FUNCTION app.meeting_frame(text, uuid, uuid) IS
  'A meeting_joined or meeting_left frame: {type, world, room, building_id, user_id}, addressed to the building''s room.';
REVOKE ALL ON FUNCTION app.meeting_frame(text, uuid, uuid) FROM PUBLIC;

-- The zone rule, in one place: a player stands in a meeting building's zone when they are not offline, in
-- its room and on one of its tiles. Inlined where it is used (a plain SQL expression).
CREATE FUNCTION app.meeting_zone_holds(b app.buildings, room_id uuid, x integer, y integer, status text) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN b.type = 'meeting' AND b.room_id = meeting_zone_holds.room_id AND meeting_zone_holds.status <> 'offline'
     AND meeting_zone_holds.x >= b.x AND meeting_zone_holds.x < b.x + b.width
     AND meeting_zone_holds.y >= b.y AND meeting_zone_holds.y < b.y + b.height;
COMMENT ON FUNCTION app.meeting_zone_holds(app.buildings, uuid, integer, integer, text) IS
  'Whether a player at (room_id, x, y) with this status stands in meeting building b''s zone: the zone rule.';
REVOKE ALL ON FUNCTION app.meeting_zone_holds(app.buildings, uuid, integer, integer, text) FROM PUBLIC;

-- Zone attendance follows presence: for the given players, whoever stands (not offline) inside a meeting
-- building's rectangle is in its meeting, and nobody else is. Set-based: one query finds the players
-- whose meeting changed (usually none), and only those are written and announced, in user_id order.
CREATE FUNCTION app.meeting_zones_follow(users uuid[]) RETURNS void
  LANGUAGE plpgsql VOLATILE
  SET search_path = ''
  -- The planner priced the generic plan above its custom ones and planned the query anew on every call:
  -- 190 us of planning for a 20 us query (bench/bench_meetings.sh).
  SET plan_cache_mode = force_generic_plan
  AS $$
DECLARE
  change record;
  session uuid;
BEGIN
  FOR change IN
    WITH want AS (
      SELECT p.user_id, z.id AS building_id
        FROM app.player_presence p
        JOIN LATERAL (SELECT b.id FROM app.buildings b
                       WHERE b.room_id = p.room_id AND app.meeting_zone_holds(b, p.room_id, p.x, p.y, p.status)
                       ORDER BY b.slug LIMIT 1) z ON true
       WHERE p.user_id = ANY (users)),
    have AS (
      SELECT a.id, a.user_id, a.building_id, a.session_id
        FROM app.meeting_attendance a
       WHERE a.user_id = ANY (users) AND a.source = 'zone' AND a.left_at IS NULL)
    SELECT coalesce(w.user_id, h.user_id) AS user_id, w.building_id AS enters, h.building_id AS leaves,
           h.id AS attendance, h.session_id
      FROM want w FULL JOIN have h ON h.user_id = w.user_id
     WHERE w.building_id IS DISTINCT FROM h.building_id
     ORDER BY 1
  LOOP
    IF change.leaves IS NOT NULL THEN
      UPDATE app.meeting_attendance a SET left_at = greatest(pg_catalog.now(), a.joined_at) WHERE a.id = change.attendance;
      PERFORM app.meeting_close_if_empty(change.session_id);
      PERFORM app.presence_notify(app.meeting_frame('meeting_left', change.leaves, change.user_id));
    END IF;
    IF change.enters IS NOT NULL THEN
      session := app.meeting_open_session(change.enters);
      INSERT INTO app.meeting_attendance (session_id, building_id, world_id, user_id, source)
      SELECT s.id, s.building_id, s.world_id, change.user_id, 'zone' FROM app.meeting_sessions s WHERE s.id = session;
      PERFORM app.presence_notify(app.meeting_frame('meeting_joined', change.enters, change.user_id));
    END IF;
  END LOOP;
END
$$;
COMMENT ON FUNCTION app.meeting_zones_follow(uuid[]) IS
  'Zone attendance follows presence for these players: entering a meeting building''s rectangle joins its meeting, stepping out, leaving the room or going offline leaves it (meeting_joined / meeting_left to the building''s room).';
REVOKE ALL ON FUNCTION app.meeting_zones_follow(uuid[]) FROM PUBLIC;

-- One call occupant as event_sync reports them: recorded once per (building, occupant_jid, joined_at),
-- however often the event is replayed; a later left_at closes it. True when this changed anything.
CREATE FUNCTION app.meeting_call_record(building_id uuid, user_id uuid, occupant_jid text,
                                        joined_at timestamptz, left_at timestamptz) RETURNS boolean
  LANGUAGE plpgsql VOLATILE
  SET search_path = ''
  AS $$
#variable_conflict use_column
DECLARE
  found_row app.meeting_attendance;
  session uuid;
  inserted bigint;
BEGIN
  SELECT * INTO found_row FROM app.meeting_attendance a
   WHERE a.building_id = meeting_call_record.building_id AND a.source = 'call'
     AND a.occupant_jid = meeting_call_record.occupant_jid AND a.joined_at = meeting_call_record.joined_at
     FOR UPDATE;
  IF FOUND THEN
    IF found_row.left_at IS NOT NULL OR meeting_call_record.left_at IS NULL THEN
      RETURN false;  -- a replay
    END IF;
    UPDATE app.meeting_attendance a SET left_at = greatest(meeting_call_record.left_at, a.joined_at)
     WHERE a.id = found_row.id;
    PERFORM app.meeting_close_if_empty(found_row.session_id);
    RETURN true;
  END IF;
  session := app.meeting_open_session(meeting_call_record.building_id);
  INSERT INTO app.meeting_attendance (session_id, building_id, world_id, user_id, source, joined_at, left_at, occupant_jid)
  SELECT s.id, s.building_id, s.world_id, meeting_call_record.user_id, 'call', meeting_call_record.joined_at,
         CASE WHEN meeting_call_record.left_at IS NOT NULL  -- greatest() would turn a NULL into joined_at
              THEN greatest(meeting_call_record.left_at, meeting_call_record.joined_at) END,
         meeting_call_record.occupant_jid
    FROM app.meeting_sessions s WHERE s.id = session
  ON CONFLICT (building_id, occupant_jid, joined_at) WHERE source = 'call' DO NOTHING
  RETURNING id INTO inserted;
  IF meeting_call_record.left_at IS NOT NULL THEN
    PERFORM app.meeting_close_if_empty(session);
  END IF;
  RETURN inserted IS NOT NULL;
END
$$;
COMMENT ON FUNCTION app.meeting_call_record(uuid, uuid, text, timestamptz, timestamptz) IS
  'Records a call occupant (source call) once per (building, occupant_jid, joined_at); a left_at closes the row, and the session when nobody is left.';
REVOKE ALL ON FUNCTION app.meeting_call_record(uuid, uuid, text, timestamptz, timestamptz) FROM PUBLIC;

COMMIT;
