-- Verify arkagentic:function_realtime_presence on pg

BEGIN;

DO $$
DECLARE
  f text;
BEGIN
  FOREACH f IN ARRAY ARRAY['realtime.join(uuid, text, text)', 'realtime.apply_moves(jsonb)',
                           'realtime.set_status(uuid, text)', 'realtime.leave(uuid, text)',
                           'realtime.touch(uuid[])', 'realtime.sweep(interval, interval)',
                           'realtime.room_state(text)'] LOOP
    ASSERT has_function_privilege('bridge', f, 'EXECUTE'), 'bridge must execute ' || f;
    ASSERT NOT has_function_privilege('player', f, 'EXECUTE'), 'player must not execute ' || f;
    ASSERT (SELECT prosecdef AND 'search_path=""' = ANY (proconfig) FROM pg_proc WHERE oid = f::regprocedure),
      f || ' must be SECURITY DEFINER with a pinned search_path';
  END LOOP;
  ASSERT realtime.apply_moves('[]') = '[]', 'an empty tick rejects nothing';
  -- One lock order (user_id) everywhere, and the heartbeat and sweep never wait for a move.
  ASSERT pg_get_functiondef('realtime.apply_moves(jsonb)'::regprocedure) LIKE '%WITH ORDINALITY%ORDER BY%',
    'apply_moves must process moves in user_id order';
  ASSERT pg_get_functiondef('realtime.touch(uuid[])'::regprocedure) LIKE '%ORDER BY p.user_id%SKIP LOCKED%',
    'touch must lock in user_id order, skipping locked rows';
  ASSERT pg_get_functiondef('realtime.sweep(interval, interval)'::regprocedure) LIKE '%ORDER BY p.user_id%SKIP LOCKED%',
    'sweep must lock in user_id order, skipping locked rows';
END
$$;

ROLLBACK;
