-- Deploy arkagentic:apply_moves_one_update to pg
-- requires: function_app_move_verdict trigger_meeting_zones
-- The socket's tick writes presence once: realtime.apply_moves judges each move by app.move_verdict
-- on the state the player's previous move left, and one UPDATE writes where every player ended the tick.
-- Before, each move was its own UPDATE, so the statement triggers on presence (meeting zones) ran once
-- per move and made the move path 1.32x dearer (bench/results/meetings.md); now they run once per tick.

BEGIN;

CREATE OR REPLACE FUNCTION realtime.apply_moves(moves jsonb) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  chunk_size CONSTANT integer := 50;
  uuid_shape CONSTANT text := '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
  move jsonb;
  arrival bigint;
  mover uuid;
  x integer;
  y integer;
  at timestamptz;
  here app.player_presence;
  room app.rooms;
  verdict record;
  moved boolean := false;
  -- The last accepted state of each player who moved, for the one UPDATE at the end.
  tick_users uuid[] := '{}';
  tick_x integer[] := '{}';
  tick_y integer[] := '{}';
  tick_direction text[] := '{}';
  tick_budget double precision[] := '{}';
  tick_at timestamptz[] := '{}';
  accepted jsonb := '{}';
  rejected jsonb := '[]';
  room_key text;
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

  -- The movers' rows are locked at once, in user_id order, as touch and sweep lock them: two
  -- transactions that lock rows in different orders can deadlock (40P01), and a deadlock here cost a
  -- whole tick of moves.
  PERFORM FROM app.player_presence p
   WHERE p.user_id IN (SELECT (m ->> 'user_id')::uuid FROM pg_catalog.jsonb_array_elements(moves) AS m
                        WHERE m ->> 'user_id' ~* uuid_shape)
   ORDER BY p.user_id
     FOR UPDATE;

  -- Each player's moves in arrival order, judged one after the other on the state the previous one
  -- left (app.move_verdict, the rule REST's app.presence_move applies too), and written by ONE UPDATE at
  -- the end: the statement triggers on presence (meeting zones) then run once per tick, set-based, and
  -- see where each player ended the tick. Malformed user_ids (rejected) come first.
  -- World rules need no check per move: whoever a world no longer lets in was taken offline by
  -- app.world_evict in the transaction that changed the rules, so their move is not_in_room.
  FOR move, arrival IN
    SELECT value, ordinality FROM pg_catalog.jsonb_array_elements(moves) WITH ORDINALITY
     ORDER BY CASE WHEN value ->> 'user_id' ~* uuid_shape THEN (value ->> 'user_id')::uuid END NULLS FIRST,
              ordinality
  LOOP
    mover := CASE WHEN move ->> 'user_id' ~* uuid_shape THEN (move ->> 'user_id')::uuid END;
    IF mover IS NULL THEN
      rejected := rejected || pg_catalog.jsonb_build_object(
        'user_id', move -> 'user_id', 'reason', 'bad_frame', 'message', 'user_id must be a uuid', 'arrival', arrival);
      CONTINUE;
    END IF;
    IF here.user_id IS DISTINCT FROM mover THEN
      IF moved THEN
        tick_users := tick_users || here.user_id; tick_x := tick_x || here.x; tick_y := tick_y || here.y;
        tick_direction := tick_direction || here.direction; tick_budget := tick_budget || here.move_budget;
        tick_at := tick_at || here.moved_at;
      END IF;
      moved := false;
      here := NULL;
      SELECT * INTO here FROM app.player_presence p WHERE p.user_id = mover;
      here.user_id := mover;  -- a player with no row keeps the NULL rest, and is not_in_room
      IF room.id IS DISTINCT FROM here.room_id THEN
        room := NULL;
        SELECT * INTO room FROM app.rooms r WHERE r.id = here.room_id;
      END IF;
    END IF;
    -- Whole numbers within integer range, else NULL (rejected as bad_position).
    x := CASE WHEN pg_catalog.jsonb_typeof(move -> 'x') = 'number' AND (move ->> 'x')::numeric % 1 = 0
                   AND abs((move ->> 'x')::numeric) < 2147483647 THEN (move ->> 'x')::numeric::integer END;
    y := CASE WHEN pg_catalog.jsonb_typeof(move -> 'y') = 'number' AND (move ->> 'y')::numeric % 1 = 0
                   AND abs((move ->> 'y')::numeric) < 2147483647 THEN (move ->> 'y')::numeric::integer END;
    at := pg_catalog.clock_timestamp();
    verdict := app.move_verdict(CASE WHEN here.room_id IS NULL THEN NULL ELSE here END, room, x, y,
                                move ->> 'direction', at);
    IF verdict.reason IS NULL THEN
      here.x := x; here.y := y; here.direction := move ->> 'direction';
      here.move_budget := verdict.budget; here.moved_at := at;
      moved := true;
      -- By room id: two worlds may each have a room of the same slug.
      accepted := pg_catalog.jsonb_set(accepted, ARRAY[room.id::text],
        coalesce(accepted -> (room.id::text), '[]') || pg_catalog.jsonb_build_object(
          'user_id', mover, 'x', x, 'y', y, 'direction', move ->> 'direction'));
    ELSE
      rejected := rejected || pg_catalog.jsonb_build_object(
        'user_id', mover, 'reason', verdict.reason, 'message', verdict.message, 'arrival', arrival);
    END IF;
  END LOOP;
  IF moved THEN
    tick_users := tick_users || here.user_id; tick_x := tick_x || here.x; tick_y := tick_y || here.y;
    tick_direction := tick_direction || here.direction; tick_budget := tick_budget || here.move_budget;
    tick_at := tick_at || here.moved_at;
  END IF;

  IF tick_users <> '{}' THEN
    UPDATE app.player_presence p
       SET x = m.x, y = m.y, direction = m.direction, move_budget = m.budget, moved_at = m.at, last_update = m.at
      FROM ROWS FROM (pg_catalog.unnest(tick_users), pg_catalog.unnest(tick_x), pg_catalog.unnest(tick_y),
                     pg_catalog.unnest(tick_direction), pg_catalog.unnest(tick_budget), pg_catalog.unnest(tick_at))
             AS m(user_id, x, y, direction, budget, at)
     WHERE p.user_id = m.user_id;
  END IF;

  -- One NOTIFY per room per chunk of 50 moves, whatever the number of players.
  FOR room_key, list IN SELECT key, value FROM pg_catalog.jsonb_each(accepted) LOOP
    place := app.room_where(room_key::uuid);
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
