-- Revert arkagentic:view_api_maps from pg

BEGIN;

DROP VIEW api.map_versions;
DROP VIEW api.room_maps;
DROP VIEW api.tilesets;

COMMIT;
