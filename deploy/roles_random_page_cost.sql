-- Deploy arkagentic:roles_random_page_cost to pg
-- requires: roles roles_jit_off
-- The world rule (issue 11) reads world_id = ANY (the caller's readable worlds): an index probe per world
-- or a comparison with every world for every row. With PostgreSQL's default random_page_cost of 4, priced
-- for spinning disks, the planner took the second on 1,000 rooms: 0.9 ms for GET /rooms against 0.2 ms
-- through the world_id index (bench/bench_worlds.sh). This database's working set is small and lives in
-- memory or on SSD, where 1.1 is the usual setting. Set per role and database, as jit is (roles_jit_off).

BEGIN;

DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['authenticator', 'web_anon', 'player', 'agent_service', 'content_admin', 'bridge'] LOOP
    EXECUTE format('ALTER ROLE %I IN DATABASE %I SET random_page_cost = 1.1', r, current_database());
  END LOOP;
END
$$;

COMMIT;
