-- Verify arkagentic:function_app_validators on pg

BEGIN;

DO $$
BEGIN
  ASSERT app.check_display_name('  Ada ') = 'Ada', 'display names must be trimmed';
  ASSERT app.check_email(' Ada@Example.ORG ') = 'ada@example.org', 'emails must be normalized';
  BEGIN
    PERFORM app.check_password('short');
    RAISE EXCEPTION 'a short password was accepted';
  EXCEPTION WHEN invalid_parameter_value THEN NULL;
  END;
END
$$;

ROLLBACK;
