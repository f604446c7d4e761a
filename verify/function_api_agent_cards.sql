-- Verify arkagentic:function_api_agent_cards on pg

BEGIN;

SELECT has_function_privilege('api.import_character_card(text, jsonb, text, text, text, text)', 'EXECUTE');
SELECT has_function_privilege('api.export_character_card(text, text)', 'EXECUTE');
DO $$
BEGIN
  IF app.slug_from_name('Captain Nemo!') <> 'captain-nemo' THEN
    RAISE EXCEPTION 'app.slug_from_name is wrong';
  END IF;
END
$$;

ROLLBACK;
