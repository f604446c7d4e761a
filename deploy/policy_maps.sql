-- Deploy arkagentic:policy_maps to pg
-- requires: table_maps function_app_world_access policy_rooms_world
-- Who reads maps: the current version of a room, whoever may see the room (the rooms policies, through
-- the EXISTS below); every version, the world's owners and editors (content_admin: the installation's
-- worlds), by app.map_editor_world_ids. Nobody writes map versions directly: api.publish_map and
-- api.restore_map do, as definer, after their checks. Tilesets are read by all and kept by content_admin.

BEGIN;

-- The worlds whose map history the caller reads and whose maps they publish: a player's worlds they own or
-- edit, content_admin's installation worlds (archived ones only read: app.map_world refuses to publish there).
CREATE FUNCTION app.map_editor_world_ids() RETURNS uuid[]
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
BEGIN
  CASE coalesce(auth.claims() ->> 'role', 'web_anon')
    WHEN 'player' THEN RETURN app.editable_world_ids();
    WHEN 'content_admin' THEN RETURN app.installation_world_ids(true);
    ELSE RETURN '{}';
  END CASE;
END
$$;
COMMENT ON FUNCTION app.map_editor_world_ids() IS
  'The worlds whose maps the caller publishes and whose history they read: their own and edited worlds for a player, the installation''s for content_admin.';
REVOKE EXECUTE ON FUNCTION app.map_editor_world_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.map_editor_world_ids() TO web_anon, player, agent_service, content_admin;

CREATE POLICY map_versions_current_read ON app.map_versions FOR SELECT
  TO web_anon, player, agent_service, content_admin
  USING (EXISTS (SELECT FROM app.rooms r WHERE r.id = map_versions.room_id AND r.map_version = map_versions.version));
CREATE POLICY map_versions_editor_read ON app.map_versions FOR SELECT
  TO player, content_admin
  USING (world_id = ANY ((SELECT app.map_editor_world_ids())::uuid[]));

CREATE POLICY tilesets_read ON app.tilesets FOR SELECT
  TO web_anon, player, agent_service, content_admin USING (true);
CREATE POLICY tilesets_admin_insert ON app.tilesets FOR INSERT TO content_admin WITH CHECK (true);
CREATE POLICY tilesets_admin_update ON app.tilesets FOR UPDATE TO content_admin USING (true) WITH CHECK (true);
CREATE POLICY tilesets_admin_delete ON app.tilesets FOR DELETE TO content_admin USING (true);

COMMIT;
