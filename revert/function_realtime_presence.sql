-- Revert arkagentic:function_realtime_presence from pg: back to the v0.3.0 apply_moves (arrival
-- order), touch and sweep (scan order, waiting for locks).

BEGIN;

CREATE OR REPLACE FUNCTION realtime.apply_moves(moves jsonb) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  chunk_size CONSTANT integer := 50;
  move jsonb;
  result record;
  mover uuid;
  x integer;
  y integer;
  accepted jsonb := '{}';
  rejected jsonb := '[]';
  room text;
  list jsonb;
  i integer;
BEGIN
  IF moves IS NULL OR pg_catalog.jsonb_typeof(moves) <> 'array' THEN
    RAISE EXCEPTION 'moves must be a JSON array'
      USING ERRCODE = 'invalid_parameter_value', HINT = '[{"user_id": ..., "x": ..., "y": ..., "direction": ...}]';
  END IF;
  -- Positions are cheap to lose and expensive to flush: a crash may forget the last few
  -- milliseconds of moves, never a committed leave (which runs with the default setting).
  PERFORM pg_catalog.set_config('synchronous_commit', 'off', true);

  FOR move IN SELECT value FROM pg_catalog.jsonb_array_elements(moves) LOOP
    mover := CASE WHEN move ->> 'user_id' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                  THEN (move ->> 'user_id')::uuid END;
    IF mover IS NULL THEN
      rejected := rejected || pg_catalog.jsonb_build_object(
        'user_id', move -> 'user_id', 'reason', 'bad_frame', 'message', 'user_id must be a uuid');
      CONTINUE;
    END IF;
    -- Whole numbers within integer range, else NULL (rejected as bad_position).
    x := CASE WHEN pg_catalog.jsonb_typeof(move -> 'x') = 'number' AND (move ->> 'x')::numeric % 1 = 0
                   AND abs((move ->> 'x')::numeric) < 2147483647 THEN (move ->> 'x')::numeric::integer END;
    y := CASE WHEN pg_catalog.jsonb_typeof(move -> 'y') = 'number' AND (move ->> 'y')::numeric % 1 = 0
                   AND abs((move ->> 'y')::numeric) < 2147483647 THEN (move ->> 'y')::numeric::integer END;
    SELECT * INTO result FROM app.presence_move(mover, x, y, move ->> 'direction', pg_catalog.clock_timestamp());
    IF result.reason IS NULL THEN
      accepted := pg_catalog.jsonb_set(accepted, ARRAY[result.room_slug],
        coalesce(accepted -> result.room_slug, '[]') || pg_catalog.jsonb_build_object(
          'user_id', mover, 'x', x, 'y', y, 'direction', move ->> 'direction'));
    ELSE
      rejected := rejected || pg_catalog.jsonb_build_object(
        'user_id', mover, 'reason', result.reason, 'message', result.message);
    END IF;
  END LOOP;

  -- One NOTIFY per room per chunk of 50 moves, whatever the number of players.
  FOR room, list IN SELECT key, value FROM pg_catalog.jsonb_each(accepted) LOOP
    i := 0;
    WHILE i < pg_catalog.jsonb_array_length(list) LOOP
      PERFORM app.presence_notify(pg_catalog.jsonb_build_object(
        'type', 'moves', 'room', room,
        'moves', (SELECT pg_catalog.jsonb_agg(value ORDER BY ordinality)
                    FROM pg_catalog.jsonb_array_elements(list) WITH ORDINALITY
                   WHERE ordinality > i AND ordinality <= i + chunk_size)));
      i := i + chunk_size;
    END LOOP;
  END LOOP;

  RETURN rejected;
END
$$;
COMMENT ON FUNCTION realtime.apply_moves(jsonb) IS
  'Applies a tick of moves in one transaction: validates each, sends one moves frame per room (in chunks of 50) and returns the rejected ones as [{user_id, reason, message}].';

CREATE OR REPLACE FUNCTION realtime.touch(user_ids uuid[]) RETURNS integer
  LANGUAGE sql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
  WITH touched AS (
    UPDATE app.player_presence p SET last_update = pg_catalog.now()
     WHERE p.user_id = ANY (user_ids) AND p.status <> 'offline'
    RETURNING 1)
  SELECT pg_catalog.count(*)::integer FROM touched
$$;
COMMENT ON FUNCTION realtime.touch(uuid[]) IS 'Heartbeat for players whose sockets are open, so the stale sweep leaves them alone.';

CREATE OR REPLACE FUNCTION realtime.sweep(away_after interval DEFAULT interval '60 seconds',
                               offline_after interval DEFAULT interval '120 seconds') RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  gone record;
  idle record;
  went_offline integer := 0;
  went_away integer := 0;
BEGIN
  -- Any bridge may run this; concurrent sweeps serialize on the row locks and the second finds
  -- nothing left to do, so nobody is announced twice.
  FOR gone IN
    UPDATE app.player_presence p SET status = 'offline', session_token = NULL
     WHERE p.status <> 'offline' AND p.last_update < pg_catalog.now() - offline_after
    RETURNING p.user_id, (SELECT r.slug FROM app.rooms r WHERE r.id = p.room_id) AS room
  LOOP
    PERFORM app.presence_notify(pg_catalog.jsonb_build_object('type', 'player_left', 'room', gone.room, 'user_id', gone.user_id));
    went_offline := went_offline + 1;
  END LOOP;
  FOR idle IN
    UPDATE app.player_presence p SET status = 'away'
     WHERE p.status IN ('online', 'busy') AND p.last_update < pg_catalog.now() - away_after
    RETURNING p.user_id, (SELECT r.slug FROM app.rooms r WHERE r.id = p.room_id) AS room
  LOOP
    PERFORM app.presence_notify(pg_catalog.jsonb_build_object(
      'type', 'player_status', 'room', idle.room, 'user_id', idle.user_id, 'status', 'away'));
    went_away := went_away + 1;
  END LOOP;
  RETURN pg_catalog.jsonb_build_object('away', went_away, 'offline', went_offline);
END
$$;
COMMENT ON FUNCTION realtime.sweep(interval, interval) IS
  'Marks players with no sign of life for away_after as away, and for offline_after as offline, announcing each change. Works whoever owned them.';

COMMIT;
