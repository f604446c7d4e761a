-- Revert arkagentic:policy_meetings from pg

BEGIN;

DROP POLICY meeting_attendance_own_or_edited_world ON app.meeting_attendance;
DROP POLICY meeting_sessions_readable_world ON app.meeting_sessions;

COMMIT;
