-- Revert arkagentic:roles_log_settings from pg

BEGIN;

DO $$
DECLARE
  r text;
  s text;
BEGIN
  FOREACH r IN ARRAY ARRAY['authenticator', 'bridge'] LOOP
    FOREACH s IN ARRAY ARRAY['log_statement', 'log_min_duration_statement', 'log_min_error_statement',
                             'log_error_verbosity', 'log_parameter_max_length', 'log_parameter_max_length_on_error'] LOOP
      IF has_parameter_privilege(s, 'SET') THEN
        EXECUTE format('ALTER ROLE %I RESET %I', r, s);
      END IF;
    END LOOP;
  END LOOP;
END
$$;

COMMIT;
