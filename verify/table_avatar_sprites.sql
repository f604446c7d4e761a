-- Verify arkagentic:table_avatar_sprites on pg

BEGIN;

SELECT key, name, sort_order FROM app.avatar_sprites WHERE false;
DO $$
BEGIN
  ASSERT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'app.avatar_sprites'::regclass),
    'row-level security must be enabled and forced on app.avatar_sprites';
END
$$;

ROLLBACK;
