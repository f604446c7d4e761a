-- Revert arkagentic:seed_agents from pg
-- Nothing to undo: the content is what seed_worlds loaded, and table_agents_world's revert removes the
-- sprite registry and the worlds' agents.

SELECT 1;
