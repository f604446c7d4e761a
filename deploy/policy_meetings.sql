-- Deploy arkagentic:policy_meetings to pg
-- requires: table_meetings function_app_world_access function_auth_claims
-- Who reads which meeting rows (GET /meeting_history reads them as the caller): sessions where the world
-- is readable; attendance that is the player's own, or in a world they own or edit. The world rules are
-- app.readable_world_ids and app.editable_world_ids, nowhere else. Nobody writes them but the meeting
-- functions (SECURITY DEFINER). GET /meetings (live) applies the presence rule itself, like api.presence.

BEGIN;

CREATE POLICY meeting_sessions_readable_world ON app.meeting_sessions FOR SELECT
  TO player USING (world_id = ANY ((SELECT app.readable_world_ids())::uuid[]));

CREATE POLICY meeting_attendance_own_or_edited_world ON app.meeting_attendance FOR SELECT
  TO player USING (user_id = (SELECT auth.user_id())
                   OR world_id = ANY ((SELECT app.editable_world_ids())::uuid[]));

COMMIT;
