-- Verify arkagentic:policy_avatar_sprites on pg

BEGIN;

DO $$
BEGIN
  ASSERT (SELECT count(*) FROM pg_policies WHERE schemaname || '.' || tablename = 'app.avatar_sprites') = 2,
    'app.avatar_sprites must have exactly 2 policies';
END
$$;

ROLLBACK;
