-- Revert arkagentic:table_token_revocations from pg

BEGIN;

DROP TABLE auth.token_revocations;

COMMIT;
