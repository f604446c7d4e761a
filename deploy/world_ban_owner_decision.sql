-- Deploy arkagentic:world_ban_owner_decision to pg
-- requires: function_api_worlds world_bans_reason_bidi
-- api.ban, two holes closed:
--   * an editor could undo the owner's ban in two steps: ban the player again (api.ban's upsert writes
--     the editor into banned_by and any until, a minute from now say), then api.unban, which refuses only
--     a ban whose banned_by is the owner. An editor now gets 403 for changing a ban the owner made, as
--     for lifting it;
--   * its hint promised a reason without bidi controls, which it did not check (nor did the table,
--     until world_bans_reason_bidi): now 400 malformed ban reason, as for control characters.

BEGIN;

CREATE OR REPLACE FUNCTION api.ban(world_slug text, user_id uuid, reason text DEFAULT '', until timestamptz DEFAULT NULL)
  RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  me app.users := app.world_caller();
  w app.worlds;
  target text;
  why text := coalesce(reason, '');
BEGIN
  IF pg_catalog.char_length(why) > 500 OR why ~ '[\x01-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]' THEN
    RAISE EXCEPTION 'malformed ban reason'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Use at most 500 characters; tabs and line feeds are the only control characters allowed, and no bidi controls.';
  END IF;
  IF until IS NOT NULL AND until <= pg_catalog.now() THEN
    RAISE EXCEPTION 'a ban ends in the future'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send a later until, or none for a ban without end.';
  END IF;
  w := app.world_managed(world_slug, me.id, ARRAY['owner', 'editor'], 'only the owner or an editor may ban');
  IF user_id IS NULL OR user_id = me.id THEN
    RAISE EXCEPTION 'you cannot ban yourself'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send the id of another player.';
  END IF;
  PERFORM FROM app.users u WHERE u.id = ban.user_id;
  IF NOT FOUND THEN
    PERFORM app.raise_api_error(404, 'PT404', 'unknown user', 'GET /users lists the players.',
                                pg_catalog.jsonb_build_object('user_id', user_id));
  END IF;
  target := app.world_role(w.id, user_id);
  IF target = 'owner' OR target = 'editor' AND app.world_role(w.id, me.id) <> 'owner' THEN
    PERFORM app.raise_api_error(403, 'PT403', 'you may not ban this player',
                                'The owner bans editors; nobody bans the owner.',
                                pg_catalog.jsonb_build_object('world', w.slug, 'user_id', user_id));
  END IF;
  -- The owner's ban in force is the owner's: an editor who banned the player again (a shorter until, or
  -- their own name in banned_by, which api.unban then lets them lift) would undo it in two steps. One
  -- that has run out is no decision any more; an editor may ban the player anew.
  IF w.owner_id IS DISTINCT FROM me.id AND EXISTS (
       SELECT FROM app.world_bans b WHERE b.world_id = w.id AND b.user_id = ban.user_id AND b.banned_by = w.owner_id
                AND (b.until IS NULL OR b.until > pg_catalog.now())) THEN
    PERFORM app.raise_api_error(403, 'PT403', 'only the owner may change a ban the owner made',
                                'Ask the owner (GET /world_members shows who it is).',
                                pg_catalog.jsonb_build_object('world', w.slug, 'user_id', user_id));
  END IF;
  DELETE FROM app.world_members m WHERE m.world_id = w.id AND m.user_id = ban.user_id;
  INSERT INTO app.world_bans AS b (world_id, user_id, reason, banned_by, until)
  VALUES (w.id, ban.user_id, why, me.id, ban.until)
  ON CONFLICT ON CONSTRAINT world_bans_pkey DO UPDATE
    SET reason = excluded.reason, banned_by = excluded.banned_by, until = excluded.until;
  RETURN pg_catalog.jsonb_build_object('world_slug', w.slug, 'user_id', user_id, 'reason', why, 'until', until);
END
$$;
COMMENT ON FUNCTION api.ban(text, uuid, text, timestamptz) IS
  'Ban a player from your world, for good or until a time; any player may be banned, anonymous ones too.

The owner bans anyone but themself; an editor bans members and visitors, never an editor or the owner. A ban
ends the player''s membership. Banning again replaces the reason and the end; only the owner changes a ban of
the owner''s that is in force. Returns {world_slug, user_id, reason, until}. 400 for yourself, a malformed
reason or a past until; 403 without the role; 404 for a world you may not see or an unknown user; 409 for an
archived world. A reason has at most 500 characters, no control characters but tabs and line feeds, and no
bidi controls.';
REVOKE ALL ON FUNCTION api.ban(text, uuid, text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.ban(text, uuid, text, timestamptz) TO player;

COMMIT;
