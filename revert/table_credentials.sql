-- Revert arkagentic:table_credentials from pg

BEGIN;

DROP TABLE auth.credentials;

COMMIT;
