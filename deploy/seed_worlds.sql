-- Deploy arkagentic:seed_worlds to pg
-- requires: seed_content table_rooms_world
-- db/seed.sql, which knows worlds: the ark world and its rooms, buildings and spawn points. seed_content
-- loaded the same content before rooms had worlds; this brings a DBA's later edits on first deploy.

\ir ../db/seed.sql
