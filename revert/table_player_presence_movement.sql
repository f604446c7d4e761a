-- Revert arkagentic:table_player_presence_movement from pg

BEGIN;

ALTER TABLE app.player_presence DROP COLUMN move_budget, DROP COLUMN moved_at;

COMMIT;
