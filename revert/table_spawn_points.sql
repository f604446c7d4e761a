-- Revert arkagentic:table_spawn_points from pg

BEGIN;

DROP TABLE app.spawn_points;

COMMIT;
