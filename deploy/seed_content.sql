-- Deploy arkagentic:seed_content to pg
-- requires: table_avatar_sprites table_rooms table_agents table_agent_prompts table_buildings table_spawn_points trigger_room_bounds
-- The content itself lives in db/seed.sql, which a DBA edits and `make up` re-applies; this change
-- loads it on first deploy. The file runs in its own transaction.

\ir ../db/seed.sql
