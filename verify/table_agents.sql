-- Verify arkagentic:table_agents on pg

BEGIN;

SELECT id, slug, name, role, emoji, sprite_key, greeting, routing_keywords, is_active, created_at, updated_at FROM app.agents WHERE false;
DO $$
BEGIN
  ASSERT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'app.agents'::regclass),
    'row-level security must be enabled and forced on app.agents';
END
$$;

ROLLBACK;
