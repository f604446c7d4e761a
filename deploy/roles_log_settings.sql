-- Deploy arkagentic:roles_log_settings to pg
-- Request bodies and passwords never reach the server log through the API's login roles, whatever the
-- server's own logging configuration: PostgREST (authenticator) and the bridge log in as these roles,
-- and a role's settings apply to every session it opens, across the SET ROLE of each request.
--   log_statement, log_min_duration_statement: no statement text (nor its bind parameters)
--   log_min_error_statement: no STATEMENT line after an error
--   log_error_verbosity = terse: no DETAIL or CONTEXT, where PostgreSQL quotes the JSON a client sent
--   log_parameter_max_length(_on_error): no bind parameter values
-- These are superuser settings: an owner that may not set them (a managed server's non-superuser
-- owner) gets a WARNING naming what its DBA must set, and the deploy goes on.

BEGIN;

DO $$
DECLARE
  settings CONSTANT text[][] := ARRAY[
    ['log_statement', 'none'],
    ['log_min_duration_statement', '-1'],
    ['log_min_error_statement', 'panic'],
    ['log_error_verbosity', 'terse'],
    ['log_parameter_max_length', '0'],
    ['log_parameter_max_length_on_error', '0']];
  r text;
  i int;
BEGIN
  FOR i IN 1 .. array_length(settings, 1) LOOP
    IF NOT has_parameter_privilege(settings[i][1], 'SET') THEN
      RAISE WARNING 'the deploying role may not set %; ask the DBA to run ALTER ROLE authenticator SET and ALTER ROLE bridge SET for the settings in deploy/roles_log_settings.sql', settings[i][1];
      RETURN;
    END IF;
  END LOOP;
  FOREACH r IN ARRAY ARRAY['authenticator', 'bridge'] LOOP
    FOR i IN 1 .. array_length(settings, 1) LOOP
      EXECUTE format('ALTER ROLE %I SET %I = %L', r, settings[i][1], settings[i][2]);
    END LOOP;
  END LOOP;
END
$$;

COMMIT;
