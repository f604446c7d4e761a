-- Revert arkagentic:view_api_meetings from pg

BEGIN;

DROP VIEW api.meeting_history;
DROP VIEW api.meetings;

COMMIT;
