-- Deploy arkagentic:function_app_validators to pg
-- requires: table_users table_user_settings table_agents
-- Constraints make bad data impossible; these checks run first so a client reads why, in words,
-- with a hint, instead of a constraint name. api functions and the users trigger share them.

BEGIN;

CREATE FUNCTION app.check_display_name(name text) RETURNS text
  LANGUAGE plpgsql IMMUTABLE
  SET search_path = ''
  AS $$
DECLARE
  trimmed text := pg_catalog.btrim(name, E' \t\n\r');
BEGIN
  IF trimmed IS NULL OR trimmed = '' THEN
    RAISE EXCEPTION 'display_name must not be empty'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send a name of 1 to 32 characters.';
  ELSIF pg_catalog.char_length(trimmed) > 32 THEN
    RAISE EXCEPTION 'display_name is % characters long; the limit is 32', pg_catalog.char_length(trimmed)
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send a name of 1 to 32 characters.';
  ELSIF trimmed ~ '[[:cntrl:]]' THEN
    RAISE EXCEPTION 'display_name must not contain control characters'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Use printable characters only.';
  END IF;
  RETURN trimmed;
END
$$;
COMMENT ON FUNCTION app.check_display_name(text) IS 'Trims a display name, or raises 22023 saying what is wrong with it.';

CREATE FUNCTION app.check_avatar_sprite(sprite text) RETURNS text
  LANGUAGE plpgsql STABLE
  SET search_path = ''
  AS $$
BEGIN
  IF sprite IS NULL OR NOT EXISTS (SELECT FROM app.avatar_sprites s WHERE s.key = sprite) THEN
    RAISE EXCEPTION 'unknown avatar_sprite %', coalesce(pg_catalog.quote_literal(sprite), 'NULL')
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Choose one of: ' || (SELECT pg_catalog.string_agg(s.key, ', ' ORDER BY s.sort_order, s.key)
                                          FROM app.avatar_sprites s) || ' (GET /avatar_sprites).';
  END IF;
  RETURN sprite;
END
$$;
COMMENT ON FUNCTION app.check_avatar_sprite(text) IS 'Returns the sprite if it exists, or raises 22023 listing the valid ones.';

CREATE FUNCTION app.check_email(email text) RETURNS text
  LANGUAGE plpgsql IMMUTABLE
  SET search_path = ''
  AS $$
DECLARE
  normalized text := pg_catalog.lower(pg_catalog.btrim(email));
BEGIN
  IF normalized IS NULL OR normalized !~ '^[^@[:space:][:cntrl:]]+@[^@[:space:][:cntrl:]]+\.[^@[:space:][:cntrl:]]+$'
     OR pg_catalog.char_length(normalized) > 254 THEN
    RAISE EXCEPTION 'malformed email address'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send an address like ada@example.org, at most 254 characters.';
  END IF;
  RETURN normalized;
END
$$;
COMMENT ON FUNCTION app.check_email(text) IS 'Lowercases and trims an email, or raises 22023 when it is malformed.';

CREATE FUNCTION app.check_password(password text) RETURNS text
  LANGUAGE plpgsql IMMUTABLE
  SET search_path = ''
  AS $$
BEGIN
  IF password IS NULL OR pg_catalog.char_length(password) < 8 THEN
    RAISE EXCEPTION 'password is too short'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Use at least 8 characters.';
  ELSIF pg_catalog.octet_length(password) > 72 THEN
    -- bcrypt ignores everything past 72 bytes; refuse rather than silently truncate.
    RAISE EXCEPTION 'password is too long'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Use at most 72 bytes.';
  END IF;
  RETURN password;
END
$$;
COMMENT ON FUNCTION app.check_password(text) IS 'Returns the password if bcrypt can hash it whole, or raises 22023.';

-- PATCH /me goes straight to the table through the view, so the same checks run in a trigger.
CREATE FUNCTION app.users_validate() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = ''
  AS $$
BEGIN
  NEW.display_name := app.check_display_name(NEW.display_name);
  PERFORM app.check_avatar_sprite(NEW.avatar_sprite);
  RETURN NEW;
END
$$;
CREATE TRIGGER users_validate BEFORE INSERT OR UPDATE OF display_name, avatar_sprite ON app.users
  FOR EACH ROW EXECUTE FUNCTION app.users_validate();

CREATE FUNCTION app.touch_updated_at() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = ''
  AS $$
BEGIN
  NEW.updated_at := pg_catalog.now();
  RETURN NEW;
END
$$;
CREATE TRIGGER user_settings_touch BEFORE UPDATE ON app.user_settings
  FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();
CREATE TRIGGER agents_touch BEFORE UPDATE ON app.agents
  FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();

-- Triggers call the checks as the writer.
GRANT EXECUTE ON FUNCTION app.check_display_name(text), app.check_avatar_sprite(text) TO player;

COMMIT;
