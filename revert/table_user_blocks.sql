-- Revert arkagentic:table_user_blocks from pg

BEGIN;

DROP TABLE app.user_blocks;

COMMIT;
