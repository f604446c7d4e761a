-- Revert arkagentic:seed_maps from pg
-- Nothing to undo: the maps' versions and the tileset registry go with table_maps' revert, and the
-- buildings and spawn points the maps made are the seed's own.

SELECT 1;
