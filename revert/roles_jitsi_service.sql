-- Revert arkagentic:roles_jitsi_service from pg
-- Another database on the same server may still use the role: then keep it and say so.

BEGIN;

REVOKE EXECUTE ON FUNCTION auth.check_request() FROM jitsi_service;
REVOKE USAGE ON SCHEMA api, auth FROM jitsi_service;
DO $$
BEGIN
  EXECUTE format('ALTER ROLE jitsi_service IN DATABASE %I RESET ALL', current_database());
  BEGIN
    DROP ROLE IF EXISTS jitsi_service;
  EXCEPTION WHEN dependent_objects_still_exist THEN
    RAISE NOTICE 'role jitsi_service is still used by another database; kept';
  END;
END
$$;

COMMIT;
