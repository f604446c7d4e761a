-- Verify arkagentic:seed_content on pg

BEGIN;

DO $$
BEGIN
  ASSERT (SELECT count(*) FROM app.rooms WHERE is_main AND slug = 'town') = 1, 'the town must be the main room';
  ASSERT (SELECT count(*) FROM app.agents WHERE slug IN ('scout', 'sage')) = 2, 'scout and sage must exist';
  ASSERT NOT EXISTS (SELECT FROM app.agents a WHERE NOT EXISTS (
           SELECT FROM app.agent_prompts p WHERE p.agent_id = a.id AND p.is_active)),
    'every agent needs an active prompt';
  ASSERT (SELECT count(*) FROM app.avatar_sprites WHERE key IN ('brendan', 'may')) = 2, 'brendan and may must exist';
END
$$;

ROLLBACK;
