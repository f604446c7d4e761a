-- Revert arkagentic:table_jitsi_config from pg

BEGIN;

DROP TABLE auth.jitsi_config;

COMMIT;
