-- Verify arkagentic:roles_log_settings on pg
-- Where the deploying role could set them, both login roles carry every setting (for all databases).

BEGIN;

DO $$
DECLARE
  expected CONSTANT text[] := ARRAY['log_statement=none', 'log_min_duration_statement=-1',
    'log_min_error_statement=panic', 'log_error_verbosity=terse', 'log_parameter_max_length=0',
    'log_parameter_max_length_on_error=0'];
  r text;
  actual text[];
BEGIN
  IF NOT has_parameter_privilege('log_statement', 'SET') THEN
    RETURN;
  END IF;
  FOREACH r IN ARRAY ARRAY['authenticator', 'bridge'] LOOP
    SELECT s.setconfig INTO actual
      FROM pg_catalog.pg_db_role_setting s JOIN pg_catalog.pg_roles o ON o.oid = s.setrole
     WHERE o.rolname = r AND s.setdatabase = 0;
    ASSERT coalesce(actual, '{}') @> expected, format('%s lacks its log settings: %s', r, actual);
  END LOOP;
END
$$;

ROLLBACK;
