-- Verify arkagentic:table_user_blocks on pg
-- A verify script must RAISE to fail: a query that returns false still passes.

BEGIN;

SELECT blocker, blocked, created_at FROM app.user_blocks WHERE false;
DO $$
BEGIN
  ASSERT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'app.user_blocks'::regclass),
    'row-level security must be enabled and forced on app.user_blocks';
  ASSERT NOT has_table_privilege('player', 'app.user_blocks', 'INSERT, UPDATE, DELETE'),
    'players change blocks only through api.block_user and api.unblock_user';
END
$$;

ROLLBACK;
