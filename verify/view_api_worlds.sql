-- Verify arkagentic:view_api_worlds on pg
-- A verify script must RAISE to fail: a query that returns false still passes.

BEGIN;

SELECT id, slug, name, description, visibility, owner_id, created_at, archived_at, my_role FROM api.worlds WHERE false;
SELECT world_id, user_id, role, joined_at, display_name FROM api.world_members WHERE false;
SELECT id, world_id, role, created_by, created_at, expires_at, max_uses, uses, revoked_at, email FROM api.world_invitations WHERE false;
SELECT world_id, user_id, reason, banned_by, created_at, until FROM api.world_bans WHERE false;
DO $$
BEGIN
  ASSERT (SELECT is_updatable = 'YES' FROM information_schema.views WHERE table_schema = 'api' AND table_name = 'worlds'),
    'api.worlds must stay automatically updatable (PATCH /worlds)';
  ASSERT NOT EXISTS (SELECT FROM information_schema.columns WHERE table_schema = 'api' AND table_name = 'world_invitations'
                      AND column_name LIKE '%token%'), 'api.world_invitations must never show a token or its hash';
END
$$;

ROLLBACK;
