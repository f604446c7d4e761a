-- Verify arkagentic:table_player_presence on pg

BEGIN;

SELECT user_id, room_id, x, y, direction, status, session_token, last_update FROM app.player_presence WHERE false;
DO $$
BEGIN
  ASSERT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'app.player_presence'::regclass),
    'row-level security must be enabled and forced on app.player_presence';
END
$$;

ROLLBACK;
