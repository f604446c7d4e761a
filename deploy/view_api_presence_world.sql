-- Deploy arkagentic:view_api_presence_world to pg
-- requires: function_api_presence table_rooms_world function_app_world_access
-- api.presence shows only the worlds the caller may read (issue 11): a private world's players are
-- invisible to outsiders, an unlisted one's to those who never asked for it by slug, a world's to the
-- players banned from it. The view reads everyone's presence (a player's own row is all RLS lets them
-- read), so it applies the rule itself, through the same app.readable_world_ids as the policies.

BEGIN;

CREATE OR REPLACE VIEW api.presence WITH (security_barrier = true) AS
  SELECT p.user_id, u.display_name, u.avatar_sprite, p.room_id, r.slug AS room_slug,
         p.x, p.y, p.direction, p.status, p.last_update, r.world_id, w.slug AS world_slug
    FROM app.player_presence p
    JOIN app.users u ON u.id = p.user_id
    JOIN app.rooms r ON r.id = p.room_id
    JOIN app.worlds w ON w.id = r.world_id
   WHERE p.status <> 'offline'
     AND r.world_id = ANY ((SELECT app.readable_world_ids())::uuid[]);
COMMENT ON VIEW api.presence IS
  'Who is where right now, in the worlds you may see: every player who is not offline. Filter with world_slug=eq.ark&room_slug=eq.town.';
COMMENT ON COLUMN api.presence.world_id IS 'The room''s world.';
COMMENT ON COLUMN api.presence.world_slug IS 'The world''s slug.';

COMMIT;
