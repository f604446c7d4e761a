-- Verify arkagentic:policy_avatar_sprites on pg

BEGIN;

DO $$
BEGIN
  ASSERT EXISTS (SELECT FROM pg_policies WHERE schemaname || '.' || tablename = 'app.avatar_sprites' AND policyname = 'avatar_sprites_read'),
    'policy avatar_sprites_read on app.avatar_sprites is missing';
  ASSERT EXISTS (SELECT FROM pg_policies WHERE schemaname || '.' || tablename = 'app.avatar_sprites' AND policyname = 'avatar_sprites_admin_write'),
    'policy avatar_sprites_admin_write on app.avatar_sprites is missing';
END
$$;

ROLLBACK;
