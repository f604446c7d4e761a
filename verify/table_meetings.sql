-- Verify arkagentic:table_meetings on pg

BEGIN;

SELECT id, building_id, world_id, jitsi_room, started_at, ended_at FROM app.meeting_sessions WHERE false;
SELECT id, session_id, building_id, world_id, user_id, source, joined_at, left_at, occupant_jid
  FROM app.meeting_attendance WHERE false;
DO $$
BEGIN
  ASSERT (SELECT bool_and(relrowsecurity AND relforcerowsecurity) FROM pg_class
           WHERE oid IN ('app.meeting_sessions'::regclass, 'app.meeting_attendance'::regclass)),
    'row-level security must be enabled and forced on the meeting tables';
  ASSERT to_regclass('app.buildings_meeting_jitsi_room_key') IS NOT NULL, 'jitsi_room must be unique per world';
END
$$;

ROLLBACK;
