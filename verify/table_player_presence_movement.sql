-- Verify arkagentic:table_player_presence_movement on pg

BEGIN;

SELECT moved_at, move_budget FROM app.player_presence WHERE false;

ROLLBACK;
