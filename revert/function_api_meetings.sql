-- Revert arkagentic:function_api_meetings from pg

BEGIN;

DROP FUNCTION realtime.jitsi_event(text, jsonb);
DROP FUNCTION api.jitsi_event(text, jsonb);
DROP FUNCTION app.jitsi_event(text, jsonb);
DROP FUNCTION app.jitsi_epoch(jsonb);
DROP FUNCTION api.jitsi_token(uuid);

COMMIT;
