-- Verify arkagentic:table_users_display_name_check on pg

BEGIN;

DO $$
BEGIN
  ASSERT EXISTS (SELECT FROM pg_constraint WHERE conname = 'users_display_name_shape' AND conrelid = 'app.users'::regclass),
    'app.users must check display names itself';
  ASSERT NOT EXISTS (SELECT FROM pg_constraint WHERE conname = 'display_name_shape' AND contypid = 'app.display_name'::regtype),
    'the domain must not check before the trigger';
END
$$;

ROLLBACK;
