-- Revert arkagentic:table_buildings from pg

BEGIN;

DROP TABLE app.buildings;

COMMIT;
