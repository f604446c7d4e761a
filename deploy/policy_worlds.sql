-- Deploy arkagentic:policy_worlds to pg
-- requires: table_worlds function_app_world_access
-- Who sees and changes which rows of the world tables. Memberships, invitations and bans change only
-- through the api functions (SECURITY DEFINER, each checking the caller's role), never directly.

BEGIN;

-- A world row: readable where its content is (listing is api.worlds' business); PATCH by its owner and
-- editors (app.worlds_edit_rules keeps slug and visibility to the owner); content_admin reads the
-- installation's worlds and the public ones, and edits the installation's own. An archived world is
-- edited by nobody.
CREATE POLICY worlds_read ON app.worlds FOR SELECT
  TO web_anon, player, agent_service USING (id = ANY ((SELECT app.readable_world_ids())::uuid[]));
CREATE POLICY worlds_edit ON app.worlds FOR UPDATE
  TO player
  USING (id = ANY ((SELECT app.editable_world_ids())::uuid[]))
  WITH CHECK (id = ANY ((SELECT app.editable_world_ids())::uuid[]));
CREATE POLICY worlds_admin_read ON app.worlds FOR SELECT
  TO content_admin USING (id = ANY ((SELECT app.admin_readable_world_ids())::uuid[]));
CREATE POLICY worlds_admin_write ON app.worlds FOR UPDATE
  TO content_admin
  USING (id = ANY ((SELECT app.installation_world_ids())::uuid[]))
  WITH CHECK (id = ANY ((SELECT app.installation_world_ids())::uuid[]));
GRANT SELECT ON app.worlds TO web_anon, player, agent_service, content_admin;
GRANT UPDATE (name, description, visibility, slug) ON app.worlds TO player, content_admin;

CREATE FUNCTION app.worlds_edit_rules() RETURNS trigger
  LANGUAGE plpgsql
  SECURITY DEFINER  -- reads the caller's membership
  SET search_path = ''
  AS $$
BEGIN
  IF (NEW.slug IS DISTINCT FROM OLD.slug OR NEW.visibility IS DISTINCT FROM OLD.visibility)
     AND OLD.owner_id IS NOT NULL
     AND pg_catalog.current_setting('role', true) = 'player'
     AND app.world_role(OLD.id, auth.user_id()) IS DISTINCT FROM 'owner' THEN
    PERFORM app.raise_api_error(403, 'PT403', 'only the owner may change a world''s slug or visibility',
                                'Editors may change the name and the description.',
                                pg_catalog.jsonb_build_object('world', OLD.slug));
  END IF;
  -- The default world is where every join without a world goes and where evicted players wait: it stays
  -- public and unarchived, whoever asks (a DBA changes app.world_settings first).
  IF (NEW.visibility <> 'public' OR NEW.archived_at IS NOT NULL)
     AND OLD.slug = (SELECT s.default_world_slug FROM app.world_settings s) THEN
    PERFORM app.raise_api_error(409, 'PT409', 'the default world stays public',
                                'Name another default world in app.world_settings first.',
                                pg_catalog.jsonb_build_object('world', OLD.slug));
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION app.worlds_edit_rules() IS 'Refuses (403) a change of slug or visibility by anyone but the world''s owner.';
REVOKE EXECUTE ON FUNCTION app.worlds_edit_rules() FROM PUBLIC;
CREATE TRIGGER worlds_edit_rules BEFORE UPDATE ON app.worlds
  FOR EACH ROW EXECUTE FUNCTION app.worlds_edit_rules();

-- Members see who else belongs to their world; content_admin, who is in the installation's worlds.
CREATE POLICY world_members_read ON app.world_members FOR SELECT
  TO player USING (world_id = ANY ((SELECT app.member_world_ids())::uuid[]));
CREATE POLICY world_members_admin_read ON app.world_members FOR SELECT
  TO content_admin USING (world_id = ANY ((SELECT app.installation_world_ids(true))::uuid[]));
GRANT SELECT ON app.world_members TO player, content_admin;

-- Owners and editors see their world's invitations and bans, never a token hash (no column grant).
CREATE POLICY world_invitations_read ON app.world_invitations FOR SELECT
  TO player USING (world_id = ANY ((SELECT app.editable_world_ids())::uuid[]));
GRANT SELECT (id, world_id, role, created_by, created_at, expires_at, max_uses, uses, revoked_at, email)
  ON app.world_invitations TO player;
CREATE POLICY world_bans_read ON app.world_bans FOR SELECT
  TO player USING (world_id = ANY ((SELECT app.editable_world_ids())::uuid[]));
CREATE POLICY world_bans_admin_read ON app.world_bans FOR SELECT
  TO content_admin USING (world_id = ANY ((SELECT app.installation_world_ids(true))::uuid[]));
GRANT SELECT ON app.world_bans TO player, content_admin;

-- A player sees their own visits.
CREATE POLICY world_visitors_own_read ON app.world_visitors FOR SELECT
  TO player USING (user_id = (SELECT auth.user_id()));
GRANT SELECT ON app.world_visitors TO player;

COMMIT;
