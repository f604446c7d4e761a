-- Verify arkagentic:table_spawn_points on pg

BEGIN;

SELECT id, room_id, slug, x, y, type, agent_id, direction FROM app.spawn_points WHERE false;
DO $$
BEGIN
  ASSERT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'app.spawn_points'::regclass),
    'row-level security must be enabled and forced on app.spawn_points';
END
$$;

ROLLBACK;
