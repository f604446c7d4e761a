-- Revert arkagentic:function_auth_jwt from pg

BEGIN;

DROP FUNCTION auth.issue_service_token(text, interval);
DROP FUNCTION auth.issue_token(uuid, interval);
DROP FUNCTION auth.sign(jsonb);
DROP FUNCTION auth.set_jwt_secret(text);
DROP FUNCTION auth.base64url(bytea);

COMMIT;
