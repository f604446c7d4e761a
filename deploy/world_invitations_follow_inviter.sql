-- Deploy arkagentic:world_invitations_follow_inviter to pg
-- requires: table_worlds function_api_worlds
--
-- An invitation is only as good as its creator's right to issue it. api.invite lets the owner invite
-- editors and members and an editor invite members; when the creator loses that right (removed, banned,
-- which ends the membership, left, demoted to member, or an owner who handed the world over and is an
-- editor now, for editor invitations), the invitations they issued that the new role could not issue
-- are revoked in the same transaction, so GET /world_invitations shows them revoked and their tokens get
-- accept_invitation's one refusal.

BEGIN;

CREATE FUNCTION app.world_invitations_follow_inviter() RETURNS trigger
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER  -- revokes invitations that the caller may not see, whoever made the change
  SET search_path = ''
  AS $$
BEGIN
  UPDATE app.world_invitations i SET revoked_at = pg_catalog.now()
   WHERE i.world_id = OLD.world_id AND i.created_by = OLD.user_id
     AND i.revoked_at IS NULL AND i.uses < i.max_uses AND i.expires_at > pg_catalog.now()  -- still usable
     -- The right api.invite checks, by the creator's role now: none, member, or editor for an editor
     -- invitation.
     AND (TG_OP = 'DELETE' OR NEW.role = 'member' OR (NEW.role = 'editor' AND i.role = 'editor'));
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION app.world_invitations_follow_inviter() IS
  'Trigger on app.world_members: revokes the invitations a member issued that their role no longer allows.';
REVOKE ALL ON FUNCTION app.world_invitations_follow_inviter() FROM PUBLIC;

CREATE TRIGGER world_members_invitations_follow
  AFTER DELETE OR UPDATE OF role ON app.world_members
  FOR EACH ROW EXECUTE FUNCTION app.world_invitations_follow_inviter();

COMMIT;
