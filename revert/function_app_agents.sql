-- Revert arkagentic:function_app_agents from pg

BEGIN;

DROP FUNCTION app.agent_create(app.worlds, text, text, text, text, text, text, text[], text, jsonb);
DROP FUNCTION app.agent_prompt_publish(app.agents, text, text, jsonb);
DROP FUNCTION app.agent_prompt_activate(app.agents, integer);
DROP FUNCTION app.author_role();
DROP FUNCTION app.check_prompt(text, text);
DROP FUNCTION app.check_agent_fields(text, text, text, text, text, text[]);
DROP FUNCTION app.check_agent_name(text);
DROP FUNCTION app.agent_chat_open(uuid, uuid);
DROP FUNCTION app.chat_agent(text, text, uuid);
DROP FUNCTION app.agent_lookup(text, text);
DROP FUNCTION app.agent_world(text);
DROP FUNCTION app.agent_visible(app.agents, uuid);
DROP FUNCTION app.agent_manageable(uuid);
DROP FUNCTION app.request_role();
DROP FUNCTION app.agent_id_in_world(uuid, text);

COMMIT;
