-- Revert arkagentic:view_api_presence_world from pg
-- A view cannot drop columns with CREATE OR REPLACE: it is created again as function_api_presence had it.

BEGIN;

DROP VIEW api.presence;
CREATE VIEW api.presence WITH (security_barrier = true) AS
  SELECT p.user_id, u.display_name, u.avatar_sprite, p.room_id, r.slug AS room_slug,
         p.x, p.y, p.direction, p.status, p.last_update
    FROM app.player_presence p
    JOIN app.users u ON u.id = p.user_id
    JOIN app.rooms r ON r.id = p.room_id
   WHERE p.status <> 'offline';
COMMENT ON VIEW api.presence IS 'Who is where right now: every player who is not offline. Filter with room_slug=eq.town.';
COMMENT ON COLUMN api.presence.user_id IS 'The player.';
COMMENT ON COLUMN api.presence.display_name IS 'Name shown above the avatar.';
COMMENT ON COLUMN api.presence.avatar_sprite IS 'Sprite key.';
COMMENT ON COLUMN api.presence.room_id IS 'The room.';
COMMENT ON COLUMN api.presence.room_slug IS 'The room''s slug.';
COMMENT ON COLUMN api.presence.x IS 'Tile x.';
COMMENT ON COLUMN api.presence.y IS 'Tile y.';
COMMENT ON COLUMN api.presence.direction IS 'Facing.';
COMMENT ON COLUMN api.presence.status IS 'online, away or busy.';
COMMENT ON COLUMN api.presence.last_update IS 'Last sign of life.';
GRANT SELECT ON api.presence TO player;

COMMIT;
