-- Deploy arkagentic:policy_player_presence to pg
-- requires: table_player_presence function_auth_claims
-- Who sees and changes which rows of app.player_presence.

BEGIN;

CREATE POLICY player_presence_own_read ON app.player_presence FOR SELECT
  TO player USING (user_id = (SELECT auth.user_id()));

COMMIT;
