-- Deploy arkagentic:domains_app to pg
-- requires: schema_app
-- Value rules shared by several tables, stated once.

BEGIN;

CREATE DOMAIN app.slug AS text
  CONSTRAINT slug_url_safe CHECK (VALUE ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND char_length(VALUE) <= 64);
COMMENT ON DOMAIN app.slug IS 'URL-safe name: lowercase letters, digits and single dashes, at most 64 characters.';

CREATE DOMAIN app.display_name AS text
  CONSTRAINT display_name_shape CHECK (
    char_length(VALUE) BETWEEN 1 AND 32
    AND VALUE !~ '^\s|\s$'          -- trimmed
    AND VALUE !~ '[[:cntrl:]]'      -- no control characters
  );
COMMENT ON DOMAIN app.display_name IS 'A name shown above an avatar: 1 to 32 characters, trimmed, without control characters.';

CREATE DOMAIN app.direction AS text
  CONSTRAINT direction_known CHECK (VALUE IN ('up', 'down', 'left', 'right'));
COMMENT ON DOMAIN app.direction IS 'Which way a sprite faces.';

CREATE DOMAIN app.presence_status AS text
  CONSTRAINT presence_status_known CHECK (VALUE IN ('online', 'away', 'busy', 'offline'));
COMMENT ON DOMAIN app.presence_status IS 'A player''s connection status.';

COMMIT;
