-- Revert arkagentic:function_api_login from pg

BEGIN;

DROP FUNCTION api.login(text, text);

COMMIT;
