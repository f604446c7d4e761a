-- Verify arkagentic:presence_meeting_state on pg

BEGIN;

DO $$
BEGIN
  ASSERT pg_get_functiondef('app.presence_state(uuid)'::regprocedure) LIKE '%''meeting'', a.building_id%',
    'presence_state must show each player''s meeting';
END
$$;

ROLLBACK;
