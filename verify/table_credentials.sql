-- Verify arkagentic:table_credentials on pg

BEGIN;

SELECT user_id, password_hash, updated_at FROM auth.credentials WHERE false;
DO $$
BEGIN
  ASSERT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'auth.credentials'::regclass),
    'row-level security must be enabled and forced on auth.credentials';
END
$$;
DO $$
BEGIN
  ASSERT NOT has_table_privilege('player', 'auth.credentials', 'SELECT'), 'player must not read password hashes';
  ASSERT NOT has_table_privilege('web_anon', 'auth.credentials', 'SELECT'), 'web_anon must not read password hashes';
END
$$;

ROLLBACK;
