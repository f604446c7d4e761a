-- Deploy arkagentic:table_meetings to pg
-- requires: table_buildings table_rooms_world table_worlds table_users
-- Meetings (issue 14): a session per meeting building while anyone is in it, and who attended it:
-- `zone` rows follow presence (standing in the building's rectangle, app.meeting_zones_follow), `call`
-- rows follow Jitsi's event_sync (api.jitsi_event). One open session per building; one open zone
-- attendance per player. Attendance carries its session's building and world (a composite foreign key
-- keeps them equal), so the world rule and event_sync's idempotency key need no join.
--
-- Jitsi room names are one namespace per Jitsi deployment, so a token's room must map back to exactly
-- one building: the name is `<world slug>_<jitsi_room in lower case>` (app.meeting_jitsi_name). A world
-- slug has no underscore, so the name splits at its first one; a world's meeting buildings may not share
-- a jitsi_room (case-insensitively, as Jitsi lowercases room names): buildings_meeting_jitsi_room_key.

BEGIN;

CREATE UNIQUE INDEX buildings_meeting_jitsi_room_key ON app.buildings (world_id, lower(jitsi_room))
  WHERE type = 'meeting';

CREATE TABLE app.meeting_sessions (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  building_id uuid NOT NULL REFERENCES app.buildings (id) ON DELETE CASCADE,
  world_id    uuid NOT NULL REFERENCES app.worlds (id) ON DELETE CASCADE,
  jitsi_room  text NOT NULL,
  started_at  timestamptz NOT NULL DEFAULT now(),
  ended_at    timestamptz,
  CONSTRAINT meeting_sessions_ends_after_start CHECK (ended_at >= started_at),
  CONSTRAINT meeting_sessions_id_building_world_key UNIQUE (id, building_id, world_id)
);
COMMENT ON TABLE app.meeting_sessions IS
  'One meeting of a meeting building: open (ended_at NULL) while anyone is in its zone or its call; at most one open per building.';
COMMENT ON COLUMN app.meeting_sessions.jitsi_room IS 'The Jitsi room name when the session opened (app.meeting_jitsi_name).';
CREATE UNIQUE INDEX meeting_sessions_one_open_per_building ON app.meeting_sessions (building_id) WHERE ended_at IS NULL;
CREATE INDEX meeting_sessions_world_id_idx ON app.meeting_sessions (world_id) WHERE ended_at IS NULL;

CREATE TABLE app.meeting_attendance (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  session_id   uuid NOT NULL,
  building_id  uuid NOT NULL,
  world_id     uuid NOT NULL,
  user_id      uuid NOT NULL REFERENCES app.users (id) ON DELETE CASCADE,
  source       text NOT NULL CONSTRAINT meeting_attendance_source_known CHECK (source IN ('zone', 'call')),
  joined_at    timestamptz NOT NULL DEFAULT now(),
  left_at      timestamptz,
  occupant_jid text CONSTRAINT meeting_attendance_occupant_jid_length CHECK (char_length(occupant_jid) BETWEEN 1 AND 512),
  CONSTRAINT meeting_attendance_session_fkey FOREIGN KEY (session_id, building_id, world_id)
    REFERENCES app.meeting_sessions (id, building_id, world_id) ON DELETE CASCADE,
  CONSTRAINT meeting_attendance_leaves_after_join CHECK (left_at >= joined_at),
  CONSTRAINT meeting_attendance_call_has_jid CHECK ((source = 'call') = (occupant_jid IS NOT NULL))
);
COMMENT ON TABLE app.meeting_attendance IS
  'Who was in which meeting session: source zone (stood in the building''s rectangle) or call (Jitsi reported them in the call), from joined_at to left_at (NULL: still there).';
COMMENT ON COLUMN app.meeting_attendance.occupant_jid IS 'A call''s occupant as event_sync names it; with building_id and joined_at the key that makes replayed events count once.';
CREATE UNIQUE INDEX meeting_attendance_one_zone_per_player ON app.meeting_attendance (user_id)
  WHERE source = 'zone' AND left_at IS NULL;
CREATE UNIQUE INDEX meeting_attendance_call_key ON app.meeting_attendance (building_id, occupant_jid, joined_at)
  WHERE source = 'call';
CREATE INDEX meeting_attendance_open_idx ON app.meeting_attendance (session_id) WHERE left_at IS NULL;
CREATE INDEX meeting_attendance_session_id_idx ON app.meeting_attendance (session_id, building_id, world_id);
CREATE INDEX meeting_attendance_user_joined_idx ON app.meeting_attendance (user_id, joined_at DESC);
CREATE INDEX meeting_attendance_world_joined_idx ON app.meeting_attendance (world_id, joined_at DESC);

ALTER TABLE app.meeting_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.meeting_sessions FORCE ROW LEVEL SECURITY;
ALTER TABLE app.meeting_attendance ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.meeting_attendance FORCE ROW LEVEL SECURITY;

GRANT SELECT ON app.meeting_sessions, app.meeting_attendance TO player;

COMMIT;
