-- Deploy arkagentic:view_api_meetings to pg
-- requires: table_meetings policy_meetings function_app_world_access view_api_profiles
-- GET /meetings: the live meetings of the worlds the caller may see, like GET /presence (the view reads
-- everyone's attendance and applies app.readable_world_ids itself). GET /meeting_history: one row per
-- attendance, read as the caller through the meeting tables' policies (one's own, and every attendance
-- in the worlds one owns or edits), newest first, paged with ?joined_at=lt.<last joined_at>&limit=N.

BEGIN;

CREATE VIEW api.meetings WITH (security_barrier = true) AS
  SELECT s.id AS session_id, s.building_id, w.slug AS world_slug, r.slug AS room_slug, s.jitsi_room, s.started_at,
         (SELECT coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                    'user_id', x.user_id, 'display_name', u.display_name, 'joined_at', x.joined_at, 'in_call', x.in_call)
                  ORDER BY x.joined_at, x.user_id), '[]')
            FROM (SELECT a.user_id, min(a.joined_at) AS joined_at, bool_or(a.source = 'call') AS in_call
                    FROM app.meeting_attendance a
                   WHERE a.session_id = s.id AND a.left_at IS NULL
                   GROUP BY a.user_id) x
            JOIN app.users u ON u.id = x.user_id) AS participants
    FROM app.meeting_sessions s
    JOIN app.buildings b ON b.id = s.building_id
    JOIN app.rooms r ON r.id = b.room_id
    JOIN app.worlds w ON w.id = s.world_id
   WHERE s.ended_at IS NULL
     AND s.world_id = ANY ((SELECT app.readable_world_ids())::uuid[]);
COMMENT ON VIEW api.meetings IS
  'Live meetings in the worlds you may see: who is in each (in its zone, or in its Jitsi call: in_call), since when.';
COMMENT ON COLUMN api.meetings.session_id IS 'The meeting session: one per building while anyone is in it.';
COMMENT ON COLUMN api.meetings.building_id IS 'The meeting building (GET /buildings).';
COMMENT ON COLUMN api.meetings.world_slug IS 'The building''s world.';
COMMENT ON COLUMN api.meetings.room_slug IS 'The building''s room.';
COMMENT ON COLUMN api.meetings.started_at IS 'When the first one came in.';
COMMENT ON COLUMN api.meetings.jitsi_room IS 'The Jitsi room name: <world slug>_<the building''s jitsi_room>, unique per installation.';
COMMENT ON COLUMN api.meetings.participants IS '[{user_id, display_name, joined_at, in_call}], first joined first.';
GRANT SELECT ON api.meetings TO web_anon, player;

CREATE VIEW api.meeting_history WITH (security_invoker = true) AS
  SELECT a.session_id, a.building_id, w.slug AS world_slug, r.slug AS room_slug, s.jitsi_room, s.started_at,
         s.ended_at, a.user_id, a.source, a.joined_at, a.left_at,
         pg_catalog.floor(extract(epoch FROM a.left_at - a.joined_at))::integer AS duration_seconds
    FROM app.meeting_attendance a
    JOIN app.meeting_sessions s ON s.id = a.session_id
    JOIN app.buildings b ON b.id = a.building_id
    JOIN app.rooms r ON r.id = b.room_id
    JOIN app.worlds w ON w.id = a.world_id
   ORDER BY a.joined_at DESC, a.id DESC;
COMMENT ON VIEW api.meeting_history IS
  'Meeting attendance, newest first: your own, and everyone''s in the worlds you own or edit. Page with ?joined_at=lt.<the last joined_at>&limit=50.';
COMMENT ON COLUMN api.meeting_history.session_id IS 'The meeting session.';
COMMENT ON COLUMN api.meeting_history.building_id IS 'The meeting building.';
COMMENT ON COLUMN api.meeting_history.world_slug IS 'The building''s world.';
COMMENT ON COLUMN api.meeting_history.room_slug IS 'The building''s room.';
COMMENT ON COLUMN api.meeting_history.jitsi_room IS 'The Jitsi room name of the session.';
COMMENT ON COLUMN api.meeting_history.started_at IS 'When the session began.';
COMMENT ON COLUMN api.meeting_history.ended_at IS 'When the last one left; NULL while it goes on.';
COMMENT ON COLUMN api.meeting_history.user_id IS 'Who attended.';
COMMENT ON COLUMN api.meeting_history.joined_at IS 'When they joined: the paging key (newest first).';
COMMENT ON COLUMN api.meeting_history.left_at IS 'When they left; NULL while still there.';
COMMENT ON COLUMN api.meeting_history.source IS 'zone (stood in the meeting''s zone) or call (in its Jitsi call).';
COMMENT ON COLUMN api.meeting_history.duration_seconds IS 'Whole seconds from joined_at to left_at; NULL while still there.';
GRANT SELECT ON api.meeting_history TO player;

COMMIT;
