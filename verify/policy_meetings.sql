-- Verify arkagentic:policy_meetings on pg

BEGIN;

DO $$
BEGIN
  ASSERT (SELECT count(*) FROM pg_policies WHERE schemaname = 'app'
           AND (tablename, policyname) IN (('meeting_sessions', 'meeting_sessions_readable_world'),
                                           ('meeting_attendance', 'meeting_attendance_own_or_edited_world'))) = 2,
    'the meeting tables need their policies';
END
$$;

ROLLBACK;
