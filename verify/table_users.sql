-- Verify arkagentic:table_users on pg

BEGIN;

SELECT id, display_name, avatar_sprite, email, is_anonymous, created_at, last_seen_at FROM app.users WHERE false;
DO $$
BEGIN
  ASSERT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'app.users'::regclass),
    'row-level security must be enabled and forced on app.users';
END
$$;

ROLLBACK;
