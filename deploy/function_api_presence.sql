-- Deploy arkagentic:function_api_presence to pg
-- requires: function_app_presence schema_api
-- Presence over REST, for clients without a socket. The same app.presence_* rules as the
-- WebSocket path, and the same frames reach every bridge.

BEGIN;

CREATE FUNCTION api.enter_room(room_slug text) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER  -- players cannot write presence rows directly
  SET search_path = ''
  AS $$
BEGIN
  RETURN app.presence_enter(auth.user_id(), room_slug, 'rest');
END
$$;
COMMENT ON FUNCTION api.enter_room(text) IS
$$Enter a room.

You appear where you stood on your last visit to this room, or at its player spawn point. Returns the
room's presence_state: {type, room, players: [{user_id, display_name, avatar_sprite, x, y, direction, status}]}.
404 for an unknown room.$$;
GRANT EXECUTE ON FUNCTION api.enter_room(text) TO player;

CREATE FUNCTION api.move(x integer, y integer, direction text) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  me uuid := auth.user_id();
  result record;
  accepted jsonb;
BEGIN
  SELECT * INTO result FROM app.presence_move(me, x, y, direction, pg_catalog.clock_timestamp());
  IF result.reason IS NOT NULL THEN
    RAISE EXCEPTION 'invalid move: %', result.message
      USING ERRCODE = 'invalid_parameter_value', DETAIL = result.reason,
            HINT = CASE result.reason
                     WHEN 'not_in_room' THEN 'Call /rpc/enter_room first.'
                     WHEN 'too_fast' THEN 'Move in smaller steps; the allowance refills at the room''s max_speed.'
                     ELSE 'Stay inside the room and face up, down, left or right.'
                   END;
  END IF;
  accepted := pg_catalog.jsonb_build_object('user_id', me, 'x', x, 'y', y, 'direction', direction);
  PERFORM app.presence_notify(pg_catalog.jsonb_build_object(
    'type', 'moves', 'room', result.room_slug, 'moves', pg_catalog.jsonb_build_array(accepted)));
  RETURN accepted || pg_catalog.jsonb_build_object('room', result.room_slug);
END
$$;
COMMENT ON FUNCTION api.move(integer, integer, text) IS
$$Move within your room.

The same rules as a WebSocket move frame: inside the room, a direction of up/down/left/right, and no
faster than the room's max_speed (tiles per second, with a one-tile tolerance). A rejected move answers
400 with the reason in details (not_in_room, bad_position, bad_direction, outside_room, too_fast).$$;
GRANT EXECUTE ON FUNCTION api.move(integer, integer, text) TO player;

CREATE FUNCTION api.leave_room() RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
BEGIN
  RETURN app.presence_leave(auth.user_id());
END
$$;
COMMENT ON FUNCTION api.leave_room() IS
$$Leave your room.

You go offline; your position is saved for your next visit. Returns {room, x, y, direction}, or null if you
were not in a room.$$;
GRANT EXECUTE ON FUNCTION api.leave_room() TO player;

-- Not security_invoker on purpose: a player reads only their own app.player_presence row, and this
-- view is the projection of everyone's that the game shows anyway (who is where).
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
