-- Verify arkagentic:schema_api on pg

BEGIN;

DO $$
BEGIN
  ASSERT has_schema_privilege('web_anon', 'api', 'USAGE'), 'web_anon needs USAGE on api';
  ASSERT NOT has_schema_privilege('web_anon', 'api', 'CREATE'), 'API roles must not create in api';
END
$$;

ROLLBACK;
