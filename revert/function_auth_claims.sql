-- Revert arkagentic:function_auth_claims from pg

BEGIN;

DROP FUNCTION auth.user_id();
DROP FUNCTION auth.claims();

COMMIT;
