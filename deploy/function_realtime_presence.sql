-- Deploy arkagentic:function_realtime_presence to pg
-- requires: schema_realtime function_app_presence
-- One lock order for presence rows everywhere: user_id. apply_moves used to lock them in arrival
-- order and touch in index order, and the two deadlocked (40P01) several times a minute with a fast
-- heartbeat, each time costing a whole tick of moves. touch and sweep also skip rows that are locked
-- right now, so neither ever waits for a move. Grants are unchanged (CREATE OR REPLACE keeps them).

BEGIN;

CREATE OR REPLACE FUNCTION realtime.apply_moves(moves jsonb) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  chunk_size CONSTANT integer := 50;
  move jsonb;
  arrival bigint;
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

  -- Rows are locked in user_id order (each player's moves in arrival order), as touch and sweep lock
  -- them: two transactions that lock rows in different orders can deadlock (40P01), and a deadlock
  -- here cost a whole tick of moves. Malformed user_ids (rejected below) come first.
  FOR move, arrival IN
    SELECT value, ordinality FROM pg_catalog.jsonb_array_elements(moves) WITH ORDINALITY
     ORDER BY CASE WHEN value ->> 'user_id' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                   THEN (value ->> 'user_id')::uuid END NULLS FIRST,
              ordinality
  LOOP
    mover := CASE WHEN move ->> 'user_id' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                  THEN (move ->> 'user_id')::uuid END;
    IF mover IS NULL THEN
      rejected := rejected || pg_catalog.jsonb_build_object(
        'user_id', move -> 'user_id', 'reason', 'bad_frame', 'message', 'user_id must be a uuid', 'arrival', arrival);
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
        'user_id', mover, 'reason', result.reason, 'message', result.message, 'arrival', arrival);
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

  -- Rejections in arrival order, whatever order the moves were processed in.
  RETURN (SELECT coalesce(pg_catalog.jsonb_agg(value - 'arrival' ORDER BY (value ->> 'arrival')::bigint), '[]')
            FROM pg_catalog.jsonb_array_elements(rejected));
END
$$;
COMMENT ON FUNCTION realtime.apply_moves(jsonb) IS
  'Applies a tick of moves in one transaction, in user_id order (each player''s in arrival order): validates each, sends one moves frame per room (in chunks of 50) and returns the rejected ones as [{user_id, reason, message}].';

CREATE OR REPLACE FUNCTION realtime.touch(user_ids uuid[]) RETURNS integer
  LANGUAGE sql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
  -- Locks in user_id order like apply_moves, and skips a row that a move holds right now: that move
  -- refreshes last_update itself, and the next heartbeat comes long before the away threshold.
  WITH due AS (
    SELECT p.user_id FROM app.player_presence p
     WHERE p.user_id = ANY (user_ids) AND p.status <> 'offline'
     ORDER BY p.user_id
       FOR UPDATE SKIP LOCKED),
  touched AS (
    UPDATE app.player_presence p SET last_update = pg_catalog.now()
      FROM due WHERE p.user_id = due.user_id
    RETURNING 1)
  SELECT pg_catalog.count(*)::integer FROM touched
$$;
COMMENT ON FUNCTION realtime.touch(uuid[]) IS
  'Heartbeat for players whose sockets are open, so the stale sweep leaves them alone. Locks in user_id order and skips rows locked right now.';

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
  -- Any bridge may run this. Rows are locked in user_id order, and a row locked by anyone else (a
  -- move, a join, another sweep) is skipped: someone is busy with that player, so the player is not
  -- stale, and the next sweep looks again. Nobody is announced twice, and the sweep never waits.
  FOR gone IN
    WITH stale AS (
      SELECT p.user_id FROM app.player_presence p
       WHERE p.status <> 'offline' AND p.last_update < pg_catalog.now() - offline_after
       ORDER BY p.user_id
         FOR UPDATE SKIP LOCKED)
    UPDATE app.player_presence p SET status = 'offline', session_token = NULL
      FROM stale WHERE p.user_id = stale.user_id
    RETURNING p.user_id, (SELECT r.slug FROM app.rooms r WHERE r.id = p.room_id) AS room
  LOOP
    PERFORM app.presence_notify(pg_catalog.jsonb_build_object('type', 'player_left', 'room', gone.room, 'user_id', gone.user_id));
    went_offline := went_offline + 1;
  END LOOP;
  FOR idle IN
    WITH stale AS (
      SELECT p.user_id FROM app.player_presence p
       WHERE p.status IN ('online', 'busy') AND p.last_update < pg_catalog.now() - away_after
       ORDER BY p.user_id
         FOR UPDATE SKIP LOCKED)
    UPDATE app.player_presence p SET status = 'away'
      FROM stale WHERE p.user_id = stale.user_id
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
  'Marks players with no sign of life for away_after as away, and for offline_after as offline, announcing each change. Works whoever owned them; locks in user_id order and skips rows locked right now.';

COMMIT;
