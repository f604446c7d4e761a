-- Revert arkagentic:table_users_display_name_check from pg

BEGIN;

ALTER TABLE app.users DROP CONSTRAINT users_display_name_shape;
ALTER DOMAIN app.display_name ADD CONSTRAINT display_name_shape CHECK (
  char_length(VALUE) BETWEEN 1 AND 32 AND VALUE !~ '^\s|\s$' AND VALUE !~ '[[:cntrl:]]');
COMMENT ON DOMAIN app.display_name IS 'A name shown above an avatar: 1 to 32 characters, trimmed, without control characters.';

COMMIT;
