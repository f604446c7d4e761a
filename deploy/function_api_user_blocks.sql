-- Deploy arkagentic:function_api_user_blocks to pg
-- requires: table_user_blocks
-- requires: function_app_raise
-- A player's blocks (issue 9, section 3): POST /rpc/block_user, POST /rpc/unblock_user and
-- GET /blocked_users. Both calls are idempotent, so a client that lost the answer simply repeats them.
-- The blocked player is told nothing: no frame, no row they can read (api.start_chat and
-- api.send_message refuse them the way they refuse a stranger).

BEGIN;

CREATE VIEW api.blocked_users WITH (security_invoker = true) AS
  SELECT b.blocked AS user_id, b.created_at
    FROM app.user_blocks b;  -- the policy user_blocks_blocker_read shows a player only their own rows
COMMENT ON VIEW api.blocked_users IS
  'The players you blocked: they cannot start a private chat with you or send into one. Only you see this list.';
COMMENT ON COLUMN api.blocked_users.user_id IS 'The player you blocked (GET /users has their profile).';
COMMENT ON COLUMN api.blocked_users.created_at IS 'When you blocked them.';
GRANT SELECT ON api.blocked_users TO player;

-- The caller's account, or 401; then the other account, or 404. The message is fixed and the id is
-- not repeated: it is the caller's own input.
CREATE FUNCTION app.block_target(me uuid, target uuid) RETURNS void
  LANGUAGE plpgsql STABLE
  SET search_path = ''
  AS $$
BEGIN
  PERFORM FROM app.users u WHERE u.id = me;
  IF NOT FOUND THEN
    PERFORM app.raise_api_error(401, 'PT401', 'this account no longer exists', 'Sign in again.');
  END IF;
  IF target = me THEN
    RAISE EXCEPTION 'you cannot block yourself'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send the id of another player from GET /users.';
  END IF;
  PERFORM FROM app.users u WHERE u.id = target;
  IF NOT FOUND THEN
    PERFORM app.raise_api_error(404, 'PT404', 'unknown user', 'GET /users lists the players.');
  END IF;
END
$$;
COMMENT ON FUNCTION app.block_target(uuid, uuid) IS
  'Checks a block_user or unblock_user call: 401 for a deleted caller, 400 for the caller themselves, 404 for an unknown user.';
REVOKE ALL ON FUNCTION app.block_target(uuid, uuid) FROM PUBLIC;

CREATE FUNCTION api.block_user(user_id uuid) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  me uuid := auth.user_id();
BEGIN
  PERFORM app.block_target(me, block_user.user_id);
  -- Blocking twice keeps the first row (and its created_at); two racing calls meet in the primary key.
  INSERT INTO app.user_blocks (blocker, blocked) VALUES (me, block_user.user_id)
  ON CONFLICT ON CONSTRAINT user_blocks_pkey DO NOTHING;
  RETURN pg_catalog.jsonb_build_object('user_id', block_user.user_id, 'blocked', true);
END
$$;
COMMENT ON FUNCTION api.block_user(uuid) IS
  'Block a player: they can no longer start a private chat with you or send into one, and are not told why.

Returns {user_id, blocked: true}; blocking again changes nothing. Your existing chats and their history stay
readable. 400 for yourself, 404 for an unknown user.';
REVOKE ALL ON FUNCTION api.block_user(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.block_user(uuid) TO player;

CREATE FUNCTION api.unblock_user(user_id uuid) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  me uuid := auth.user_id();
BEGIN
  PERFORM app.block_target(me, unblock_user.user_id);
  DELETE FROM app.user_blocks b WHERE b.blocker = me AND b.blocked = unblock_user.user_id;
  RETURN pg_catalog.jsonb_build_object('user_id', unblock_user.user_id, 'blocked', false);
END
$$;
COMMENT ON FUNCTION api.unblock_user(uuid) IS
  'Unblock a player: they may chat with you again.

Returns {user_id, blocked: false}, also for a player you had not blocked. 400 for yourself, 404 for an
unknown user.';
REVOKE ALL ON FUNCTION api.unblock_user(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.unblock_user(uuid) TO player;

COMMIT;
