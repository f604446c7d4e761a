-- Deploy arkagentic:table_users_display_name_visible to pg
-- requires: function_app_validators
-- requires: table_users_display_name_check
-- The table enforces what app.check_display_name explains (issue 9, section 5): a stored display name
-- is NFC and has no deceptive character (app.display_name_problem), whoever writes it. Names stored
-- before this rule that break it are renamed "Player " and the first 8 hex digits of the user's id,
-- which the player can change; a NOT VALID constraint then validated checks every row without
-- blocking writers for the scan.

BEGIN;

UPDATE app.users u
   SET display_name = 'Player ' || pg_catalog.left(u.id::text, 8)
 WHERE u.display_name IS NOT NFC NORMALIZED OR app.display_name_problem(u.display_name) IS NOT NULL;

ALTER TABLE app.users ADD CONSTRAINT users_display_name_visible
  CHECK (display_name IS NFC NORMALIZED AND app.display_name_problem(display_name) IS NULL) NOT VALID;
ALTER TABLE app.users VALIDATE CONSTRAINT users_display_name_visible;

COMMIT;
