-- Revert arkagentic:apply_moves_one_update from pg
-- realtime.apply_moves as presence_worlds made it: one app.presence_move, so one UPDATE, per move.

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
  place jsonb;
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
  -- World rules need no check per move: whoever a world no longer lets in was taken offline by
  -- app.world_evict in the transaction that changed the rules, so their move is not_in_room.
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
      -- By room id: two worlds may each have a room of the same slug.
      accepted := pg_catalog.jsonb_set(accepted, ARRAY[result.room_id::text],
        coalesce(accepted -> (result.room_id::text), '[]') || pg_catalog.jsonb_build_object(
          'user_id', mover, 'x', x, 'y', y, 'direction', move ->> 'direction'));
    ELSE
      rejected := rejected || pg_catalog.jsonb_build_object(
        'user_id', mover, 'reason', result.reason, 'message', result.message, 'arrival', arrival);
    END IF;
  END LOOP;

  -- One NOTIFY per room per chunk of 50 moves, whatever the number of players.
  FOR room, list IN SELECT key, value FROM pg_catalog.jsonb_each(accepted) LOOP
    place := app.room_where(room::uuid);
    i := 0;
    WHILE i < pg_catalog.jsonb_array_length(list) LOOP
      PERFORM app.presence_notify(pg_catalog.jsonb_build_object(
        'type', 'moves',
        'moves', (SELECT pg_catalog.jsonb_agg(value ORDER BY ordinality)
                    FROM pg_catalog.jsonb_array_elements(list) WITH ORDINALITY
                   WHERE ordinality > i AND ordinality <= i + chunk_size)) || place);
      i := i + chunk_size;
    END LOOP;
  END LOOP;

  -- Rejections in arrival order, whatever order the moves were processed in.
  RETURN (SELECT coalesce(pg_catalog.jsonb_agg(value - 'arrival' ORDER BY (value ->> 'arrival')::bigint), '[]')
            FROM pg_catalog.jsonb_array_elements(rejected));
END
$$;

COMMIT;
