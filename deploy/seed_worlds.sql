-- Deploy arkagentic:seed_worlds to pg
-- requires: seed_content table_rooms_world
-- db/seed.sql, which knows worlds: the ark world and its rooms, buildings and spawn points. seed_content
-- loaded the same content before rooms had worlds; this brings a DBA's later edits on first deploy.
-- Since custom agents (issue 13) it loads the copy frozen before them, db/seed-before-agents.sql, and the
-- change seed_agents loads db/seed.sql.

\ir ../db/seed-before-agents.sql
