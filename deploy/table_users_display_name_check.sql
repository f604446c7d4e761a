-- Deploy arkagentic:table_users_display_name_check to pg
-- requires: domains_app function_app_validators
-- A domain's CHECK runs when a value is cast to the column type, before any trigger, so PATCH /me
-- answered a bare constraint name and never reached the users trigger that trims and explains.
-- The rule moves to a table CHECK, which runs after BEFORE triggers: the trigger trims and gives
-- the readable error, and the CHECK still makes a bad name impossible.

BEGIN;

ALTER DOMAIN app.display_name DROP CONSTRAINT display_name_shape;
COMMENT ON DOMAIN app.display_name IS 'A name shown above an avatar; the rule is the users_display_name_shape check on app.users.';
ALTER TABLE app.users ADD CONSTRAINT users_display_name_shape CHECK (
    char_length(display_name) BETWEEN 1 AND 32
    AND display_name !~ '^\s|\s$'
    AND display_name !~ '[[:cntrl:]]');

COMMIT;
