-- Revert arkagentic:function_api_chat from pg

BEGIN;

DROP FUNCTION api.post_agent_reply(uuid, text);
DROP FUNCTION api.route_agent(text);
DROP FUNCTION api.mark_read(uuid, bigint);
DROP FUNCTION api.say_nearby(text);
DROP FUNCTION api.send_message(uuid, text);
DROP FUNCTION api.start_chat(text, uuid);
REVOKE SELECT ON app.chat_read_markers FROM agent_service;
DROP VIEW api.chat_sessions;
DROP VIEW api.chat_messages;

COMMIT;
