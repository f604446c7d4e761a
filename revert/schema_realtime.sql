-- Revert arkagentic:schema_realtime from pg

BEGIN;

DROP SCHEMA realtime;

COMMIT;
