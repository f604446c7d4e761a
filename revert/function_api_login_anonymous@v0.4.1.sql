-- Revert arkagentic:function_api_login_anonymous from pg

BEGIN;

DROP FUNCTION api.login_anonymous(text, text);

COMMIT;
