-- Verify arkagentic:seed_agents on pg

BEGIN;

DO $$
BEGIN
  IF (SELECT count(*) FROM app.agents WHERE world_id IS NULL AND slug IN ('scout', 'sage', 'chronicler', 'trends', 'maven')) <> 5 THEN
    RAISE EXCEPTION 'the five installation agents are missing';
  END IF;
  IF EXISTS (SELECT FROM app.agents a WHERE NOT EXISTS (SELECT FROM app.agent_sprites s WHERE s.key = a.sprite_key)) THEN
    RAISE EXCEPTION 'an agent wears a sprite outside the registry';
  END IF;
END
$$;

ROLLBACK;
