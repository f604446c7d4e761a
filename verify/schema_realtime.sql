-- Verify arkagentic:schema_realtime on pg

BEGIN;

DO $$
BEGIN
  ASSERT has_schema_privilege('bridge', 'realtime', 'USAGE'), 'bridge needs USAGE on realtime';
  ASSERT NOT has_schema_privilege('player', 'realtime', 'USAGE'), 'players must not reach realtime';
END
$$;

ROLLBACK;
