-- Verify arkagentic:table_jwt_secret on pg

BEGIN;

SELECT singleton, secret, updated_at FROM auth.jwt_secret WHERE false;
DO $$
BEGIN
  ASSERT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'auth.jwt_secret'::regclass),
    'row-level security must be enabled and forced on auth.jwt_secret';
END
$$;

ROLLBACK;
