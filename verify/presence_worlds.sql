-- Verify arkagentic:presence_worlds on pg
-- A verify script must RAISE to fail: a query that returns false still passes.

BEGIN;

INSERT INTO app.avatar_sprites (key, name) VALUES ('verify-sprite', 'Verify') ON CONFLICT DO NOTHING;
INSERT INTO app.users (id, display_name, avatar_sprite) VALUES ('00000000-0000-4000-8000-00000000000d', 'Verifier', 'verify-sprite');
INSERT INTO app.worlds (id, slug, name, visibility) VALUES ('00000000-0000-4000-8000-0000000000d1', 'verify-worlds', 'Verify', 'private');
INSERT INTO app.rooms (world_id, slug, name, width_tiles, height_tiles, default_spawn_x, default_spawn_y, is_main)
VALUES ('00000000-0000-4000-8000-0000000000d1', 'town', 'Verify', 10, 10, 5, 5, true);
DO $$
DECLARE
  state jsonb;
  refused text;
BEGIN
  ASSERT has_function_privilege('bridge', 'realtime.join(uuid, text, text, text)', 'EXECUTE'), 'bridge must execute join';
  ASSERT has_function_privilege('player', 'api.enter_room(text, text)', 'EXECUTE'), 'player must execute enter_room';
  ASSERT NOT has_function_privilege('public', 'realtime.rejoin_room(text, jsonb, text)', 'EXECUTE'), 'PUBLIC must not execute rejoin_room';
  state := app.presence_enter('00000000-0000-4000-8000-00000000000d', 'town', 'sock-v');
  ASSERT state ->> 'world' = 'ark' AND state ->> 'room' = 'town', 'no world is the default world: ' || state::text;
  BEGIN
    PERFORM app.presence_enter('00000000-0000-4000-8000-00000000000d', 'town', 'sock-v', 'verify-worlds');
  EXCEPTION WHEN SQLSTATE 'PGRST' THEN
    GET STACKED DIAGNOSTICS refused = MESSAGE_TEXT;
  END;
  ASSERT refused::jsonb ->> 'code' = 'PT404', 'an outsider of a private world gets unknown room: ' || coalesce(refused, 'nothing');
END
$$;

ROLLBACK;
