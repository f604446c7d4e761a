-- Deploy arkagentic:function_api_meetings to pg
-- requires: function_app_meetings function_auth_jitsi function_app_raise_unavailable roles_jitsi_service
-- requires: function_app_world_access schema_realtime
-- POST /rpc/jitsi_token: a Jitsi JWT for the player standing in a meeting's zone. POST /rpc/jitsi_event
-- (jitsi_service) and realtime.jitsi_event (the bridge's POST /jitsi/events/...): event_sync's events,
-- through the one function app.jitsi_event.

BEGIN;

CREATE FUNCTION api.jitsi_token(building_id uuid) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER  -- reads the Jitsi secret and everyone's attendance, which no API role may
  SET search_path = ''
  AS $$
DECLARE
  config auth.jitsi_config;
  me uuid := auth.user_id();
  here record;
  expires timestamptz := pg_catalog.date_trunc('second', pg_catalog.now()) + interval '1 hour';
  claims jsonb;
BEGIN
  -- An installation without Jitsi answers this before anything else.
  SELECT * INTO config FROM auth.jitsi_config;
  IF NOT FOUND THEN
    PERFORM app.raise_api_error(503, 'PT503', 'this installation has no Jitsi',
                                'The operator sets JITSI_DOMAIN, JITSI_APP_ID and JITSI_APP_SECRET and deploys again.');
  END IF;
  IF building_id IS NULL THEN
    RAISE EXCEPTION 'building_id is required'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send the id of a meeting building (GET /buildings?type=eq.meeting).';
  END IF;
  SELECT a.building_id, s.jitsi_room, a.world_id, u.id AS user_id, u.display_name, u.avatar_sprite INTO here
    FROM app.meeting_attendance a
    JOIN app.meeting_sessions s ON s.id = a.session_id
    JOIN app.users u ON u.id = a.user_id
   WHERE a.user_id = me AND a.source = 'zone' AND a.left_at IS NULL AND a.building_id = jitsi_token.building_id;
  IF NOT FOUND THEN
    -- An unknown building, one of a world one may not see, and one whose zone one is not in: one answer.
    PERFORM app.raise_api_error(403, 'PT403', 'you are not standing in this meeting''s zone',
                                'Walk into the meeting room, then ask again.',
                                pg_catalog.jsonb_build_object('building_id', building_id));
  END IF;
  claims := pg_catalog.jsonb_build_object(
    'aud', config.audience,
    'iss', config.app_id,
    'sub', config.domain,
    'room', here.jitsi_room,
    'iat', pg_catalog.floor(extract(epoch FROM pg_catalog.now()))::bigint,
    'nbf', pg_catalog.floor(extract(epoch FROM pg_catalog.now()))::bigint - 10,
    'exp', extract(epoch FROM expires)::bigint,
    'context', pg_catalog.jsonb_build_object('user', pg_catalog.jsonb_build_object(
      'id', here.user_id,
      'name', here.display_name,
      'avatar', here.avatar_sprite,
      'moderator', here.world_id = ANY (app.editable_world_ids()))));
  RETURN pg_catalog.jsonb_build_object('jwt', auth.jitsi_sign(claims), 'room', here.jitsi_room,
                                       'domain', config.domain, 'expires_at', expires);
END
$$;
COMMENT ON FUNCTION api.jitsi_token(uuid) IS
$$A Jitsi token for the meeting whose zone you stand in.

Returns {jwt, room, domain, expires_at}: an HS256 JWT with aud (JITSI_AUDIENCE), iss (JITSI_APP_ID), sub
(JITSI_DOMAIN), room (the meeting's Jitsi room, <world slug>_<jitsi_room>), exp (in one hour) and
context.user {id, name, avatar, moderator}; moderator is true for the world's owner and editors. Open
https://<domain>/<room>?jwt=<jwt>. 403 outside the zone, 503 when the installation has no Jitsi.$$;
REVOKE ALL ON FUNCTION api.jitsi_token(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.jitsi_token(uuid) TO player;

-- event_sync's epoch seconds as a timestamp, or NULL when absent or not a plausible time.
CREATE FUNCTION app.jitsi_epoch(value jsonb) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  SET search_path = ''
  AS $$
  SELECT CASE WHEN pg_catalog.jsonb_typeof(value) = 'number' AND (value #>> '{}')::numeric BETWEEN 0 AND 32503680000
              THEN pg_catalog.to_timestamp((value #>> '{}')::double precision) END
$$;
COMMENT ON FUNCTION app.jitsi_epoch(jsonb) IS 'An event_sync time (seconds since the epoch) as timestamptz; NULL if it is not one.';
REVOKE ALL ON FUNCTION app.jitsi_epoch(jsonb) FROM PUBLIC;

CREATE FUNCTION app.jitsi_event(event text, payload jsonb) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SET search_path = ''
  AS $$
DECLARE
  building uuid;
  occupant jsonb;
  occupants jsonb;
  who uuid;
  joined timestamptz;
  gone timestamptz;
  ended timestamptz;
  recorded integer := 0;
  skipped integer := 0;
  open_call record;
BEGIN
  IF event IS NULL OR event NOT IN ('room/created', 'room/destroyed', 'occupant/joined', 'occupant/left') THEN
    RAISE EXCEPTION 'unknown event'
      USING ERRCODE = 'invalid_parameter_value',
            DETAIL = pg_catalog.jsonb_build_object('event', pg_catalog.left(event, 64))::text,
            HINT = 'event is the event_sync path: room/created, room/destroyed, occupant/joined or occupant/left.';
  END IF;
  IF payload IS NULL OR pg_catalog.jsonb_typeof(payload) <> 'object'
     OR pg_catalog.jsonb_typeof(payload -> 'room_name') IS DISTINCT FROM 'string' THEN
    RAISE EXCEPTION 'payload must be an event_sync JSON object with room_name'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send the body event_sync posted, as it is.';
  END IF;
  IF event LIKE 'occupant/%' AND (pg_catalog.jsonb_typeof(payload -> 'occupant') IS DISTINCT FROM 'object'
       OR pg_catalog.jsonb_typeof(payload -> 'occupant' -> 'occupant_jid') IS DISTINCT FROM 'string'
       OR app.jitsi_epoch(payload -> 'occupant' -> 'joined_at') IS NULL
       OR (event = 'occupant/left' AND app.jitsi_epoch(payload -> 'occupant' -> 'left_at') IS NULL)) THEN
    RAISE EXCEPTION 'an occupant event needs occupant.occupant_jid and its times'
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'occupant: {occupant_jid, joined_at, left_at (occupant/left)}, times in seconds since the epoch.';
  END IF;
  IF event = 'room/destroyed' AND payload ? 'all_occupants' AND pg_catalog.jsonb_typeof(payload -> 'all_occupants') <> 'array' THEN
    RAISE EXCEPTION 'all_occupants must be an array'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send the body event_sync posted, as it is.';
  END IF;

  building := app.meeting_building_by_jitsi_name(payload ->> 'room_name');
  IF building IS NULL THEN
    -- A room no meeting building stands for (another Jitsi user, a renamed world, a deleted building).
    -- Logged without the client's text; answered 200, so event_sync does not retry it.
    RAISE WARNING 'jitsi_event: an event for a Jitsi room of no meeting building was ignored';
    RETURN pg_catalog.jsonb_build_object('event', event, 'recorded', 0, 'ignored', 'unknown_room');
  END IF;
  IF payload -> 'is_breakout' = 'true' THEN
    -- Breakout rooms name their main room; their occupants are still in the call.
    RETURN pg_catalog.jsonb_build_object('event', event, 'recorded', 0, 'ignored', 'breakout');
  END IF;

  IF event = 'room/created' THEN
    PERFORM app.meeting_open_session(building);
    RETURN pg_catalog.jsonb_build_object('event', event, 'recorded', 0, 'ignored', NULL);
  END IF;

  occupants := CASE WHEN event = 'room/destroyed' THEN coalesce(payload -> 'all_occupants', '[]')
                    ELSE pg_catalog.jsonb_build_array(payload -> 'occupant') END;
  ended := coalesce(app.jitsi_epoch(payload -> 'destroyed_at'), pg_catalog.now());
  FOR occupant IN SELECT value FROM pg_catalog.jsonb_array_elements(occupants) LOOP
    joined := app.jitsi_epoch(occupant -> 'joined_at');
    gone := CASE WHEN event = 'occupant/joined' THEN NULL
                 ELSE coalesce(app.jitsi_epoch(occupant -> 'left_at'), ended) END;
    -- The occupant's id is the user id of the token they joined with (context.user.id).
    who := CASE WHEN occupant ->> 'id' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                THEN (occupant ->> 'id')::uuid END;
    IF pg_catalog.jsonb_typeof(occupant -> 'occupant_jid') IS DISTINCT FROM 'string' OR joined IS NULL
       OR pg_catalog.char_length(occupant ->> 'occupant_jid') NOT BETWEEN 1 AND 512
       OR NOT EXISTS (SELECT FROM app.users u WHERE u.id = who) THEN
      skipped := skipped + 1;  -- a guest without our token, or a deleted account
      CONTINUE;
    END IF;
    IF app.meeting_call_record(building, who, occupant ->> 'occupant_jid', joined, gone) THEN
      recorded := recorded + 1;
    END IF;
  END LOOP;

  IF event = 'room/destroyed' THEN
    -- The call is over: whoever is still recorded in it left now; zone attendance goes on.
    FOR open_call IN
      SELECT a.building_id, a.occupant_jid, a.joined_at, a.user_id FROM app.meeting_attendance a
       WHERE a.building_id = building AND a.source = 'call' AND a.left_at IS NULL
       ORDER BY a.id
    LOOP
      IF app.meeting_call_record(building, open_call.user_id, open_call.occupant_jid, open_call.joined_at, ended) THEN
        recorded := recorded + 1;
      END IF;
    END LOOP;
    PERFORM app.meeting_close_if_empty(s.id) FROM app.meeting_sessions s
     WHERE s.building_id = building AND s.ended_at IS NULL;
  END IF;
  RETURN pg_catalog.jsonb_build_object('event', event, 'recorded', recorded,
                                       'ignored', CASE WHEN skipped > 0 THEN 'unknown_occupant' END);
END
$$;
COMMENT ON FUNCTION app.jitsi_event(text, jsonb) IS
  'One event_sync event (room/created, room/destroyed, occupant/joined, occupant/left) with its JSON body: records call attendance once per (room, occupant_jid, joined_at), ends it at room/destroyed. {event, recorded, ignored}; an unknown room is ignored with a warning.';
REVOKE ALL ON FUNCTION app.jitsi_event(text, jsonb) FROM PUBLIC;

CREATE FUNCTION api.jitsi_event(event text, payload jsonb) RETURNS jsonb
  LANGUAGE sql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$ SELECT app.jitsi_event(event, payload) $$;
COMMENT ON FUNCTION api.jitsi_event(text, jsonb) IS
$$Record a Jitsi event_sync event (jitsi_service only).

event is the path event_sync posts to (room/created, room/destroyed, occupant/joined, occupant/left), payload
its JSON body as it is. Idempotent on (room, occupant_jid, joined_at): a replay records nothing. Returns
{event, recorded, ignored}; a room no meeting stands for is ignored ("unknown_room"), not refused.$$;
REVOKE ALL ON FUNCTION api.jitsi_event(text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.jitsi_event(text, jsonb) TO jitsi_service;

CREATE FUNCTION realtime.jitsi_event(event text, payload jsonb) RETURNS jsonb
  LANGUAGE sql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$ SELECT app.jitsi_event(event, payload) $$;
COMMENT ON FUNCTION realtime.jitsi_event(text, jsonb) IS
  'POST /jitsi/events/<event> on the bridge, after it checked the jitsi_service token: the same as api.jitsi_event.';
REVOKE ALL ON FUNCTION realtime.jitsi_event(text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION realtime.jitsi_event(text, jsonb) TO bridge;

COMMIT;
