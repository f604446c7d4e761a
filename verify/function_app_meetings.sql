-- Verify arkagentic:function_app_meetings on pg

BEGIN;

DO $$
DECLARE
  f text;
BEGIN
  ASSERT app.meeting_jitsi_name('ark', 'Board-Room') = 'ark_board-room', 'the Jitsi name is world slug, underscore, jitsi_room';
  FOREACH f IN ARRAY ARRAY['app.meeting_jitsi_name(text, text)', 'app.meeting_building_by_jitsi_name(text)',
                           'app.meeting_open_session(uuid)', 'app.meeting_close_if_empty(uuid)',
                           'app.meeting_frame(text, uuid, uuid)', 'app.meeting_zones_follow(uuid[])',
                           'app.meeting_zone_holds(app.buildings, uuid, integer, integer, text)',
                           'app.meeting_call_record(uuid, uuid, text, timestamptz, timestamptz)'] LOOP
    ASSERT NOT has_function_privilege('public', f, 'EXECUTE'), 'PUBLIC must not execute ' || f;
  END LOOP;
END
$$;

ROLLBACK;
