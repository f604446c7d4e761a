-- Revert arkagentic:function_app_chat from pg

BEGIN;

DROP FUNCTION app.chat_store(uuid, text, uuid, text, text, uuid[]);
DROP FUNCTION app.chat_message_json(app.chat_messages);
DROP FUNCTION app.check_chat_content(text, integer);
DROP FUNCTION app.rate_limit_hit(uuid, text);

COMMIT;
