-- Revert arkagentic:function_api_agent_cards from pg

BEGIN;

DROP FUNCTION api.export_character_card(text, text);
DROP FUNCTION app.agent_card(app.agents, app.agent_prompts);
DROP FUNCTION api.import_character_card(text, jsonb, text, text, text, text);
DROP FUNCTION app.slug_from_name(text);
DROP FUNCTION app.card_agent_fields(jsonb);
DROP FUNCTION app.card_data(jsonb);

COMMIT;
