-- Deploy arkagentic:seed_agents to pg
-- requires: seed_worlds table_agents_world policy_agents_world
-- db/seed.sql, which knows custom agents (issue 13): the agent sprite registry, and the installation's
-- agents keyed by (world_id, slug). seed_worlds loads the copy frozen before them. Since custom maps
-- (issue 12) it loads the copy frozen before maps, db/seed-before-maps.sql, and seed_maps loads db/seed.sql.

\ir ../db/seed-before-maps.sql
