-- Verify arkagentic:function_api_meetings on pg

BEGIN;

DO $$
DECLARE
  r text;
BEGIN
  ASSERT has_function_privilege('player', 'api.jitsi_token(uuid)', 'EXECUTE'), 'players ask for Jitsi tokens';
  ASSERT has_function_privilege('jitsi_service', 'api.jitsi_event(text, jsonb)', 'EXECUTE'), 'jitsi_service posts events';
  ASSERT has_function_privilege('bridge', 'realtime.jitsi_event(text, jsonb)', 'EXECUTE'), 'the bridge relays events';
  FOREACH r IN ARRAY ARRAY['web_anon', 'player', 'agent_service', 'content_admin'] LOOP
    ASSERT NOT has_function_privilege(r, 'api.jitsi_event(text, jsonb)', 'EXECUTE'), r || ' must not post Jitsi events';
  END LOOP;
  FOREACH r IN ARRAY ARRAY['web_anon', 'agent_service', 'content_admin', 'jitsi_service'] LOOP
    ASSERT NOT has_function_privilege(r, 'api.jitsi_token(uuid)', 'EXECUTE'), r || ' must not get Jitsi tokens';
  END LOOP;
END
$$;

ROLLBACK;
