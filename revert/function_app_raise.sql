-- Revert arkagentic:function_app_raise from pg

BEGIN;

DROP FUNCTION app.raise_api_error(integer, text, text, text, jsonb, jsonb);
DROP FUNCTION app.http_reason_phrase(integer);

COMMIT;
