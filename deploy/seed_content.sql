-- Deploy arkagentic:seed_content to pg
-- requires: table_avatar_sprites table_rooms table_agents table_agent_prompts table_buildings table_spawn_points trigger_room_bounds
-- The content itself lives in db/seed.sql, which a DBA edits and `make up` re-applies; this change
-- loads it on first deploy. The file runs in its own transaction. Since worlds (issue 11) it loads the
-- copy frozen before them, db/seed-before-worlds.sql, and the change seed_worlds loads db/seed.sql.

\ir ../db/seed-before-worlds.sql
