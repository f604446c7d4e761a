-- Revert arkagentic:policy_player_presence from pg

BEGIN;

DROP POLICY player_presence_own_read ON app.player_presence;

COMMIT;
