-- Revert arkagentic:roles_random_page_cost from pg

BEGIN;

DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['authenticator', 'web_anon', 'player', 'agent_service', 'content_admin', 'bridge'] LOOP
    EXECUTE format('ALTER ROLE %I IN DATABASE %I RESET random_page_cost', r, current_database());
  END LOOP;
END
$$;

COMMIT;
