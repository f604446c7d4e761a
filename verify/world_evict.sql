-- Verify arkagentic:world_evict on pg
-- A verify script must RAISE to fail: a query that returns false still passes.

BEGIN;

INSERT INTO app.avatar_sprites (key, name) VALUES ('verify-sprite', 'Verify') ON CONFLICT DO NOTHING;
INSERT INTO app.users (id, display_name, avatar_sprite) VALUES ('00000000-0000-4000-8000-00000000000e', 'Verifier', 'verify-sprite');
INSERT INTO app.worlds (id, slug, name, visibility) VALUES ('00000000-0000-4000-8000-0000000000e1', 'verify-evict', 'Verify', 'public');
INSERT INTO app.rooms (world_id, slug, name, width_tiles, height_tiles, default_spawn_x, default_spawn_y, is_main)
VALUES ('00000000-0000-4000-8000-0000000000e1', 'lobby', 'Verify', 10, 10, 5, 5, true);
DO $$
DECLARE
  home text;
BEGIN
  ASSERT (SELECT prosecdef AND 'search_path=""' = ANY (proconfig) FROM pg_proc
           WHERE oid = 'app.world_evict(uuid, uuid, text, text)'::regprocedure), 'it must be SECURITY DEFINER with a pinned search_path';
  ASSERT NOT has_function_privilege('player', 'app.world_evict(uuid, uuid, text, text)', 'EXECUTE'), 'player must not execute it';
  ASSERT (SELECT count(*) FROM pg_trigger WHERE tgname IN ('world_bans_evict', 'world_members_evict', 'worlds_evict')
                                            AND tgdeferrable AND tginitdeferred) = 3, 'three deferred eviction triggers';
  PERFORM app.presence_enter('00000000-0000-4000-8000-00000000000e', 'lobby', 'sock-v', 'verify-evict');
  INSERT INTO app.world_bans (world_id, user_id) VALUES ('00000000-0000-4000-8000-0000000000e1', '00000000-0000-4000-8000-00000000000e');
  SET CONSTRAINTS app.world_bans_evict IMMEDIATE;
  SELECT r.slug INTO home FROM app.player_presence p JOIN app.rooms r ON r.id = p.room_id
   WHERE p.user_id = '00000000-0000-4000-8000-00000000000e' AND p.status = 'offline';
  ASSERT home = 'town', 'a banned player is taken offline to the default world''s main room, not ' || coalesce(home, 'NULL');
END
$$;

ROLLBACK;
