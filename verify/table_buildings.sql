-- Verify arkagentic:table_buildings on pg

BEGIN;

SELECT id, room_id, slug, name, type, x, y, width, height, door_x, door_y, agent_id, target_room_id, jitsi_room FROM app.buildings WHERE false;
DO $$
BEGIN
  ASSERT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'app.buildings'::regclass),
    'row-level security must be enabled and forced on app.buildings';
END
$$;

ROLLBACK;
