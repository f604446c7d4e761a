-- Deploy arkagentic:function_realtime_rejoin to pg
-- requires: function_realtime_presence
-- requires: function_app_presence
-- A database outage longer than the sweep's thresholds takes connected players offline: nobody could
-- touch them. When a bridge reaches the database again it calls this once per room with its live
-- sockets in that room, so those players are back (at their saved position: the same connection id)
-- before the room's fresh presence_state is read, instead of answering their next move not_in_room.

BEGIN;

CREATE FUNCTION realtime.rejoin_room(room_slug text, members jsonb) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  member record;
BEGIN
  IF members IS NULL OR pg_catalog.jsonb_typeof(members) <> 'array' THEN
    RAISE EXCEPTION 'members must be a JSON array'
      USING ERRCODE = 'invalid_parameter_value', HINT = '[{"user_id": ..., "connection": ...}]';
  END IF;
  PERFORM FROM app.rooms r WHERE r.slug = rejoin_room.room_slug;
  IF NOT FOUND THEN
    RETURN NULL;  -- the room was deleted meanwhile
  END IF;
  -- In user_id order, the one lock order of presence rows.
  FOR member IN
    SELECT (m ->> 'user_id')::uuid AS user_id, m ->> 'connection' AS connection
      FROM pg_catalog.jsonb_array_elements(members) AS m
     ORDER BY 1
  LOOP
    -- Only a player who is offline now is entered again: one who is present is either here already
    -- or joined another room meanwhile (their socket here is then taken out by the bridge).
    PERFORM FROM app.player_presence p WHERE p.user_id = member.user_id AND p.status <> 'offline';
    CONTINUE WHEN FOUND;
    BEGIN
      PERFORM app.presence_enter(member.user_id, room_slug, member.connection);
    EXCEPTION WHEN SQLSTATE 'PT401' THEN
      NULL;  -- the account was deleted: its socket closes at its token's expiry anyway
    END;
  END LOOP;
  RETURN (SELECT app.presence_state(r.id) FROM app.rooms r WHERE r.slug = rejoin_room.room_slug);
END
$$;
COMMENT ON FUNCTION realtime.rejoin_room(text, jsonb) IS
  'After an outage: enters the given sockets'' players ([{user_id, connection}]) into the room again if they went offline meanwhile, and returns the room''s presence_state (NULL if the room no longer exists).';
REVOKE ALL ON FUNCTION realtime.rejoin_room(text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION realtime.rejoin_room(text, jsonb) TO bridge;

COMMIT;
