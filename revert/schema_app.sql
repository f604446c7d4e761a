-- Revert arkagentic:schema_app from pg

BEGIN;

DROP SCHEMA app;

COMMIT;
