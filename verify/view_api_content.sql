-- Verify arkagentic:view_api_content on pg

BEGIN;

SELECT key, name, sort_order FROM api.avatar_sprites WHERE false;
SELECT id, slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y, is_main,
       max_speed, proximity_radius FROM api.rooms WHERE false;
SELECT id, slug, name, role, emoji, sprite_key, greeting, routing_keywords, is_active FROM api.agents WHERE false;
SELECT id, room_id, slug, name, type, x, y, width, height, door_x, door_y, agent_id, target_room_id, jitsi_room
  FROM api.buildings WHERE false;
SELECT id, room_id, slug, x, y, type, agent_id, direction FROM api.spawn_points WHERE false;
DO $$
BEGIN
  ASSERT (SELECT bool_and('security_invoker=true' = ANY (reloptions)) FROM pg_class
           WHERE oid IN ('api.avatar_sprites'::regclass, 'api.rooms'::regclass, 'api.agents'::regclass,
                         'api.buildings'::regclass, 'api.spawn_points'::regclass)),
    'content views must be security_invoker';
  ASSERT has_table_privilege('web_anon', 'api.agents', 'SELECT'), 'web_anon must read agents';
  ASSERT NOT has_table_privilege('player', 'api.agents', 'INSERT'), 'player must not write agents';
  ASSERT has_table_privilege('content_admin', 'api.agents', 'INSERT'), 'content_admin must write agents';
END
$$;

ROLLBACK;
