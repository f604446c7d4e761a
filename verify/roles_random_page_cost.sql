-- Verify arkagentic:roles_random_page_cost on pg

BEGIN;

DO $$
BEGIN
  ASSERT (SELECT count(*) FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole
           WHERE s.setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
             AND r.rolname IN ('authenticator', 'web_anon', 'player', 'agent_service', 'content_admin', 'bridge')
             AND 'random_page_cost=1.1' = ANY (s.setconfig)) = 6,
    'random_page_cost must be 1.1 for the API roles and the bridge in this database';
END
$$;

ROLLBACK;
