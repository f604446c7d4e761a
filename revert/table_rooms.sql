-- Revert arkagentic:table_rooms from pg

BEGIN;

DROP TABLE app.rooms;

COMMIT;
