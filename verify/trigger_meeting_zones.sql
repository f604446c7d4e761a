-- Verify arkagentic:trigger_meeting_zones on pg

BEGIN;

DO $$
BEGIN
  ASSERT (SELECT count(*) FROM pg_trigger WHERE tgrelid = 'app.player_presence'::regclass
           AND tgname IN ('meeting_zones_insert', 'meeting_zones_update', 'meeting_zones_delete')) = 3,
    'the three meeting zone triggers must be on app.player_presence';
  ASSERT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = 'app.buildings'::regclass AND tgname = 'meeting_zones_building'),
    'meeting buildings that change re-evaluate their rooms';
END
$$;

ROLLBACK;
