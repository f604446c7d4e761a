-- Revert arkagentic:function_api_publish_prompt from pg

BEGIN;

DROP FUNCTION api.publish_prompt(text, text);

COMMIT;
