-- Deploy arkagentic:policy_users to pg
-- requires: table_users function_auth_claims
-- Who sees and changes which rows of app.users.

BEGIN;

-- A player sees and edits only their own row; others' public profiles come through api.users.
CREATE POLICY users_own_read ON app.users FOR SELECT
  TO player USING (id = (SELECT auth.user_id()));
CREATE POLICY users_own_update ON app.users FOR UPDATE
  TO player USING (id = (SELECT auth.user_id())) WITH CHECK (id = (SELECT auth.user_id()));

COMMIT;
