-- Revert arkagentic:function_app_validators from pg: the bodies of v0.4.0.

BEGIN;

CREATE OR REPLACE FUNCTION app.check_display_name(name text) RETURNS text
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

CREATE OR REPLACE FUNCTION app.check_avatar_sprite(sprite text) RETURNS text
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

DROP FUNCTION app.display_name_problem(text);

COMMIT;
