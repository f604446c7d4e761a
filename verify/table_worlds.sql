-- Verify arkagentic:table_worlds on pg

BEGIN;

SELECT id, slug, name, description, owner_id, visibility, created_at, archived_at FROM app.worlds WHERE false;
SELECT world_id, user_id, role, joined_at FROM app.world_members WHERE false;
SELECT id, world_id, role, token_hash, created_by, created_at, expires_at, max_uses, uses, revoked_at, email
  FROM app.world_invitations WHERE false;
SELECT world_id, user_id, reason, banned_by, created_at, until FROM app.world_bans WHERE false;
SELECT world_id, user_id, first_visit_at FROM app.world_visitors WHERE false;
SELECT default_world_slug, max_worlds_per_owner FROM app.world_settings WHERE false;
DO $$
BEGIN
  IF NOT (SELECT relforcerowsecurity FROM pg_class WHERE oid = 'app.world_invitations'::regclass) THEN
    RAISE EXCEPTION 'row-level security is not forced on app.world_invitations';
  END IF;
  IF NOT EXISTS (SELECT FROM app.worlds WHERE slug = 'ark' AND owner_id IS NULL) THEN
    RAISE EXCEPTION 'the ark world is missing';
  END IF;
END
$$;

ROLLBACK;
