-- Revert arkagentic:function_api_refresh_token from pg

BEGIN;

DROP FUNCTION api.refresh_token();

COMMIT;
