-- Verify arkagentic:table_token_revocations on pg

BEGIN;

SELECT key, generation, revoked_at, expires_at FROM auth.token_revocations WHERE false;
DO $$
BEGIN
  ASSERT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'auth.token_revocations'::regclass),
    'row-level security must be enabled and forced on auth.token_revocations';
  ASSERT NOT has_table_privilege('player', 'auth.token_revocations', 'SELECT'), 'player must not read auth.token_revocations';
END
$$;

ROLLBACK;
