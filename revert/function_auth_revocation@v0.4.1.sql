-- Revert arkagentic:function_auth_revocation from pg

BEGIN;

DROP FUNCTION realtime.revoked_tokens(jsonb);
DROP FUNCTION api.logout_everywhere();
DROP FUNCTION api.logout();
DROP FUNCTION auth.prune_token_revocations();
DROP FUNCTION auth.revoke_subject(text);
DROP FUNCTION auth.token_subject(jsonb);
DROP FUNCTION auth.check_request();
DROP FUNCTION auth.raise_token_revoked();
DROP FUNCTION auth.token_revoked(jsonb);

COMMIT;
