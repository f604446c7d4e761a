-- Verify arkagentic:function_app_presence on pg: the rules hold, turns and status changes cost budget.

BEGIN;

INSERT INTO app.avatar_sprites (key, name) VALUES ('verify-sprite', 'Verify') ON CONFLICT DO NOTHING;
INSERT INTO app.rooms (slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y)
VALUES ('verify-presence', 'Verify', 'verify', 10, 10, 5, 5);
INSERT INTO app.users (id, display_name, avatar_sprite) VALUES ('00000000-0000-4000-8000-00000000000a', 'Verifier', 'verify-sprite');
DO $$
DECLARE
  state jsonb := app.presence_enter('00000000-0000-4000-8000-00000000000a', 'verify-presence', 'c1');
  result record;
  at timestamptz := clock_timestamp();
  before real;
  after real;
BEGIN
  ASSERT state ->> 'type' = 'presence_state' AND jsonb_array_length(state -> 'players') = 1, 'enter must return presence_state';
  -- Every move happens at the same instant, so nothing refills between them and each cost is exact,
  -- however slowly this machine runs the script.
  SELECT * INTO result FROM app.presence_move('00000000-0000-4000-8000-00000000000a', 6, 5, 'right', at);
  ASSERT result.reason IS NULL, 'a one-tile move must be accepted: ' || coalesce(result.message, '');
  SELECT * INTO result FROM app.presence_move('00000000-0000-4000-8000-00000000000a', 10, 5, 'right', at);
  ASSERT result.reason = 'outside_room', 'a move outside the room must be rejected';
  before := (SELECT move_budget FROM app.player_presence WHERE user_id = '00000000-0000-4000-8000-00000000000a');
  SELECT * INTO result FROM app.presence_move('00000000-0000-4000-8000-00000000000a', 6, 5, 'up', at);
  ASSERT result.reason IS NULL, 'a turn on the spot must be accepted';
  after := (SELECT move_budget FROM app.player_presence WHERE user_id = '00000000-0000-4000-8000-00000000000a');
  ASSERT abs(after - (before - 0.25)) < 1e-4, format('a turn on the spot must cost a quarter tile (%s, then %s)', before, after);
  -- A status change is stamped with the clock: the last spend moves into the future, so no refill.
  UPDATE app.player_presence SET moved_at = clock_timestamp() + interval '1 hour'
   WHERE user_id = '00000000-0000-4000-8000-00000000000a';
  before := after;
  PERFORM app.presence_set_status('00000000-0000-4000-8000-00000000000a', 'away');
  after := (SELECT move_budget FROM app.player_presence WHERE user_id = '00000000-0000-4000-8000-00000000000a');
  ASSERT abs(after - (before - 1)) < 1e-4, format('a status change must cost a tile (%s, then %s)', before, after);
END
$$;

ROLLBACK;
