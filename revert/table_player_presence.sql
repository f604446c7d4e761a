-- Revert arkagentic:table_player_presence from pg

BEGIN;

DROP TABLE app.player_presence;

COMMIT;
