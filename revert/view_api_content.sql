-- Revert arkagentic:view_api_content from pg

BEGIN;

DROP VIEW api.spawn_points;
DROP VIEW api.buildings;
DROP VIEW api.agents;
DROP VIEW api.rooms;
DROP VIEW api.avatar_sprites;

COMMIT;
