-- Revert arkagentic:function_api_register from pg

BEGIN;

DROP FUNCTION api.register(text, text);

COMMIT;
