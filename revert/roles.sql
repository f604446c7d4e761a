-- Revert arkagentic:roles from pg
-- Another database on the same server may still use a role: then keep it, memberships included,
-- and say so. DROP ROLE removes a dropped role's memberships by itself.

BEGIN;

DO $$
DECLARE
  name text;
BEGIN
  FOREACH name IN ARRAY ARRAY['bridge', 'content_admin', 'agent_service', 'player', 'web_anon', 'authenticator'] LOOP
    BEGIN
      EXECUTE format('DROP ROLE IF EXISTS %I', name);
    EXCEPTION WHEN dependent_objects_still_exist THEN
      RAISE NOTICE 'role % is still used by another database; kept', name;
    END;
  END LOOP;
END
$$;

COMMIT;
