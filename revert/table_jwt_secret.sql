-- Revert arkagentic:table_jwt_secret from pg

BEGIN;

DROP TABLE auth.jwt_secret;

COMMIT;
