-- Deploy arkagentic:seed_maps to pg
-- requires: seed_agents function_api_maps function_app_move_blocked_walls
-- db/seed.sql, which knows custom maps (issue 12): the tileset registry, and the Tiled maps of the town and
-- the agent rooms (db/maps/*.json) published as their first versions, from which the buildings and spawn
-- points now come. seed_agents loads the copy frozen before maps.

\ir ../db/seed.sql
