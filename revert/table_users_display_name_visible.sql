-- Revert arkagentic:table_users_display_name_visible from pg
-- (names renamed by the deploy keep their new names)

BEGIN;

ALTER TABLE app.users DROP CONSTRAINT users_display_name_visible;

COMMIT;
