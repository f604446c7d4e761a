-- Verify arkagentic:function_realtime_rejoin on pg
-- A verify script must RAISE to fail: a query that returns false still passes.

BEGIN;

INSERT INTO app.avatar_sprites (key, name) VALUES ('verify-sprite', 'Verify') ON CONFLICT DO NOTHING;
INSERT INTO app.rooms (slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y)
VALUES ('verify-rejoin', 'Verify', 'verify', 10, 10, 5, 5);
INSERT INTO app.users (id, display_name, avatar_sprite) VALUES ('00000000-0000-4000-8000-00000000000b', 'Verifier', 'verify-sprite');
DO $$
DECLARE
  state jsonb;
BEGIN
  ASSERT has_function_privilege('bridge', 'realtime.rejoin_room(text, jsonb)', 'EXECUTE'), 'bridge must execute it';
  ASSERT NOT has_function_privilege('player', 'realtime.rejoin_room(text, jsonb)', 'EXECUTE'), 'player must not execute it';
  ASSERT NOT has_function_privilege('public', 'realtime.rejoin_room(text, jsonb)', 'EXECUTE'), 'PUBLIC must not execute it';
  ASSERT (SELECT prosecdef AND 'search_path=""' = ANY (proconfig) FROM pg_proc
           WHERE oid = 'realtime.rejoin_room(text, jsonb)'::regprocedure), 'it must be SECURITY DEFINER with a pinned search_path';
  PERFORM app.presence_enter('00000000-0000-4000-8000-00000000000b', 'verify-rejoin', 'sock-v');
  PERFORM app.presence_leave('00000000-0000-4000-8000-00000000000b');
  state := realtime.rejoin_room('verify-rejoin', '[{"user_id": "00000000-0000-4000-8000-00000000000b", "connection": "sock-v"}]');
  ASSERT jsonb_array_length(state -> 'players') = 1, 'an offline member must be entered again: ' || state::text;
  ASSERT realtime.rejoin_room('no-such-room', '[]') IS NULL, 'an unknown room answers NULL';
END
$$;

ROLLBACK;
