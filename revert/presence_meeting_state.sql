-- Revert arkagentic:presence_meeting_state from pg: presence_state without meeting.

BEGIN;

CREATE OR REPLACE FUNCTION app.presence_state(room_id uuid) RETURNS jsonb
  LANGUAGE sql STABLE
  SET search_path TO ''
  AS $$
  SELECT pg_catalog.jsonb_build_object(
           'type', 'presence_state',
           'world', w.slug,
           'room', r.slug,
           'players', coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                         'user_id', u.id, 'display_name', u.display_name, 'avatar_sprite', u.avatar_sprite,
                         'x', p.x, 'y', p.y, 'direction', p.direction, 'status', p.status)
                       ORDER BY u.display_name, u.id) FILTER (WHERE u.id IS NOT NULL), '[]'::jsonb))
    FROM app.rooms r
    JOIN app.worlds w ON w.id = r.world_id
    LEFT JOIN app.player_presence p ON p.room_id = r.id AND p.status <> 'offline'
    LEFT JOIN app.users u ON u.id = p.user_id
   WHERE r.id = presence_state.room_id
   GROUP BY w.slug, r.slug
$$;
COMMENT ON FUNCTION app.presence_state(uuid) IS
  'The presence_state frame of a room ({type, world, room, players}): everyone in it who is not offline.';

COMMIT;
