-- Revert arkagentic:policy_maps from pg

BEGIN;

DROP POLICY tilesets_admin_delete ON app.tilesets;
DROP POLICY tilesets_admin_update ON app.tilesets;
DROP POLICY tilesets_admin_insert ON app.tilesets;
DROP POLICY tilesets_read ON app.tilesets;
DROP POLICY map_versions_editor_read ON app.map_versions;
DROP POLICY map_versions_current_read ON app.map_versions;
DROP FUNCTION app.map_editor_world_ids();

COMMIT;
