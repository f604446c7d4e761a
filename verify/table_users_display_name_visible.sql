-- Verify arkagentic:table_users_display_name_visible on pg
-- A verify script must RAISE to fail: a query that returns false still passes.

BEGIN;

DO $$
BEGIN
  ASSERT (SELECT convalidated FROM pg_constraint
           WHERE conrelid = 'app.users'::regclass AND conname = 'users_display_name_visible'),
    'users_display_name_visible must exist and be validated';
END
$$;

ROLLBACK;
