-- Verify arkagentic:function_app_validators on pg
-- A verify script must RAISE to fail: a query that returns false still passes.

BEGIN;

DO $$
BEGIN
  ASSERT app.check_display_name(U&'  Zoe\0301 ') = U&'Zo\00e9', 'a display name is trimmed and NFC-normalised';
  ASSERT app.display_name_problem(U&'Scout\200b') = 'format', 'a zero-width space is a format character';
  ASSERT app.display_name_problem(U&'evil\202egpj.exe') = 'bidi_control', 'U+202E is a bidi control';
  ASSERT app.display_name_problem(U&'\3164') = 'hangul_filler', 'U+3164 is a Hangul filler';
  ASSERT app.display_name_problem(U&'Zo\00eb \6f22\5b57') IS NULL, 'letters of any script are fine';
  ASSERT (SELECT 'search_path=""' = ANY (proconfig) FROM pg_proc WHERE oid = 'app.display_name_problem(text)'::regprocedure),
    'display_name_problem pins its search_path';
  ASSERT has_function_privilege('player', 'app.display_name_problem(text)', 'EXECUTE'), 'PATCH /me checks names as the player';
  BEGIN
    PERFORM app.check_display_name(U&'Scout\200b');
    RAISE EXCEPTION 'check_display_name accepted a zero-width space';
  EXCEPTION WHEN invalid_parameter_value THEN
    NULL;
  END;
END
$$;

ROLLBACK;
