-- Deploy arkagentic:function_api_worlds to pg
-- requires: table_worlds table_rooms_world function_app_world_access policy_worlds function_app_raise
-- requires: function_app_validators extension_pgcrypto
-- World management over PostgREST (issue 11): create, read, archive and restore a world; invite, accept,
-- revoke; change roles, transfer ownership, remove and leave; ban and unban.
--
-- The app helpers below run only inside the api functions (SECURITY DEFINER), with their rights; only
-- app.listed_world_ids and app.my_world_role, which api.worlds calls as the caller, are definers.
--
-- Rules every function here follows:
--   * a world the caller may not see (unknown, private and not a member, archived and not the owner,
--     banned, or a malformed slug) answers 404 'unknown world' with details {world: <slug>}: one shape
--     whatever the reason, so that existence never leaks (app.world_by_slug decides);
--   * a world the caller sees but may not manage answers 403; an archived one (which only its owner
--     sees) answers 409 until it is restored;
--   * every bad invitation token answers the same 404 'unknown invitation' with details null;
--   * the owner-changing calls lock the world row first (SELECT ... FOR UPDATE) and check ownership again
--     under the lock, so that concurrent calls serialize; the deferred trigger app.world_owner_check
--     still checks the one-owner rule at commit.
-- A world's owned-world limit (app.world_settings.max_worlds_per_owner) counts archived worlds too:
-- archiving is not a way around it.

BEGIN;

-- The world under this slug as the signed-in player may see it, or 404. With lock, the row is locked
-- FOR UPDATE and read again, so that what is checked next holds until commit.
CREATE FUNCTION app.world_visible(slug text, uid uuid, lock boolean DEFAULT false) RETURNS app.worlds
  LANGUAGE plpgsql VOLATILE
  SET search_path = ''
  AS $$
DECLARE
  w app.worlds;
BEGIN
  IF slug IS NOT NULL AND slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND pg_catalog.char_length(slug) <= 64 THEN
    w := app.world_by_slug(slug, uid);
  END IF;
  IF w.id IS NOT NULL AND lock THEN
    SELECT * INTO w FROM app.worlds x WHERE x.id = w.id FOR UPDATE;
    IF w.archived_at IS NOT NULL AND w.owner_id IS DISTINCT FROM uid
       OR w.visibility = 'private' AND app.world_role(w.id, uid) IS NULL
       OR uid IS NOT NULL AND app.world_banned(w.id, uid) THEN
      w := NULL;
    END IF;
  END IF;
  IF w.id IS NULL THEN
    PERFORM app.raise_api_error(404, 'PT404', 'unknown world', 'GET /worlds lists the worlds you may see.',
                                pg_catalog.jsonb_build_object('world', slug));
  END IF;
  RETURN w;
END
$$;
COMMENT ON FUNCTION app.world_visible(text, uuid, boolean) IS
  'The world uid may see under this slug (optionally locked FOR UPDATE), or 404 unknown world for every other case alike.';
REVOKE EXECUTE ON FUNCTION app.world_visible(text, uuid, boolean) FROM PUBLIC;

-- The world, locked, that uid manages with one of the given roles: 404 when uid may not see it, 403
-- (with the caller's fixed message) when uid lacks the role, 409 when it is archived.
CREATE FUNCTION app.world_managed(slug text, uid uuid, roles text[], refusal text) RETURNS app.worlds
  LANGUAGE plpgsql VOLATILE
  SET search_path = ''
  AS $$
DECLARE
  w app.worlds := app.world_visible(slug, uid, true);
BEGIN
  IF app.world_role(w.id, uid) IS NULL OR NOT app.world_role(w.id, uid) = ANY (roles) THEN
    PERFORM app.raise_api_error(403, 'PT403', refusal, 'GET /world_members shows who holds which role.',
                                pg_catalog.jsonb_build_object('world', w.slug));
  END IF;
  IF w.archived_at IS NOT NULL THEN
    PERFORM app.raise_api_error(409, 'PT409', 'this world is archived', 'Restore it first with /rpc/restore_world.',
                                pg_catalog.jsonb_build_object('world', w.slug));
  END IF;
  RETURN w;
END
$$;
COMMENT ON FUNCTION app.world_managed(text, uuid, text[], text) IS
  'The world uid holds one of roles in, locked: 404 when unseen, 403 without the role, 409 when archived.';
REVOKE EXECUTE ON FUNCTION app.world_managed(text, uuid, text[], text) FROM PUBLIC;

-- The signed-in caller's account, or 401.
CREATE FUNCTION app.world_caller() RETURNS app.users
  LANGUAGE plpgsql STABLE
  SET search_path = ''
  AS $$
DECLARE
  u app.users;
BEGIN
  SELECT * INTO u FROM app.users x WHERE x.id = auth.user_id();
  IF NOT FOUND THEN
    PERFORM app.raise_api_error(401, 'PT401', 'this account no longer exists', 'Sign in again with /rpc/login_anonymous.');
  END IF;
  RETURN u;
END
$$;
COMMENT ON FUNCTION app.world_caller() IS 'The signed-in player''s account row, or 401 when it no longer exists.';
REVOKE EXECUTE ON FUNCTION app.world_caller() FROM PUBLIC;

-- A member of the world by user id, or 404 unknown member.
CREATE FUNCTION app.world_member_role(w app.worlds, uid uuid) RETURNS text
  LANGUAGE plpgsql STABLE
  SET search_path = ''
  AS $$
DECLARE
  r text := app.world_role(w.id, uid);
BEGIN
  IF r IS NULL THEN
    PERFORM app.raise_api_error(404, 'PT404', 'unknown member', 'GET /world_members?world_id=eq.<id> lists the members.',
                                pg_catalog.jsonb_build_object('world', w.slug, 'user_id', uid));
  END IF;
  RETURN r;
END
$$;
COMMENT ON FUNCTION app.world_member_role(app.worlds, uuid) IS 'The role of uid in the world, or 404 unknown member.';
REVOKE EXECUTE ON FUNCTION app.world_member_role(app.worlds, uuid) FROM PUBLIC;

-- The ids of the worlds GET /worlds lists for the signed-in caller: public unarchived ones, and the
-- caller's member worlds (an archived one only for its owner). Never a visited unlisted world.
CREATE FUNCTION app.listed_world_ids() RETURNS uuid[]
  LANGUAGE plpgsql STABLE PARALLEL SAFE  -- PL/pgSQL for its cached plan, like app.readable_world_ids
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  uid uuid := auth.user_id();
  ids uuid[];
BEGIN
  SELECT coalesce(pg_catalog.array_agg(x.id), '{}') INTO ids
    FROM (SELECT w.id FROM app.worlds w WHERE w.visibility = 'public' AND w.archived_at IS NULL
          UNION
          SELECT m.world_id FROM app.world_members m JOIN app.worlds w ON w.id = m.world_id
           WHERE m.user_id = uid AND (w.archived_at IS NULL OR w.owner_id = uid)) AS x;
  RETURN ids;
END
$$;
COMMENT ON FUNCTION app.listed_world_ids() IS
  'The worlds GET /worlds lists for the caller: public ones and their member worlds (archived only for the owner).';
REVOKE EXECUTE ON FUNCTION app.listed_world_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.listed_world_ids() TO web_anon, player, agent_service, content_admin;

-- The signed-in caller's role in world w (owner, editor, member or NULL): api.worlds.my_role.
CREATE FUNCTION app.my_world_role(w uuid) RETURNS text
  LANGUAGE plpgsql STABLE PARALLEL SAFE  -- called for each row of GET /worlds: a cached plan
  SECURITY DEFINER
  SET search_path = ''
  AS $$
BEGIN
  RETURN (SELECT m.role FROM app.world_members m WHERE m.world_id = w AND m.user_id = auth.user_id());
END
$$;
COMMENT ON FUNCTION app.my_world_role(uuid) IS 'The signed-in player''s role in the world, or NULL.';
REVOKE EXECUTE ON FUNCTION app.my_world_role(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.my_world_role(uuid) TO web_anon, player, agent_service, content_admin;

-- create_world ---------------------------------------------------------------------------------------
CREATE FUNCTION api.create_world(slug text, name text, visibility text DEFAULT 'public', description text DEFAULT NULL)
  RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  me app.users := app.world_caller();
  limit_ integer;
  owned integer;
  world uuid;
  room uuid;
BEGIN
  IF slug IS NULL OR slug !~ '^[a-z0-9]+(-[a-z0-9]+)*$' OR pg_catalog.char_length(slug) > 64 THEN
    RAISE EXCEPTION 'malformed world slug'
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Use lowercase letters, digits and single dashes, at most 64 characters, e.g. my-world.';
  END IF;
  IF name IS NULL OR pg_catalog.char_length(name) NOT BETWEEN 1 AND 64 OR name ~ '[[:cntrl:]\u202a-\u202e\u2066-\u2069]' OR pg_catalog.btrim(name) = '' THEN
    RAISE EXCEPTION 'malformed world name'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Use 1 to 64 characters, not all blank, without control characters or bidi controls.';
  END IF;
  IF visibility IS NULL OR visibility NOT IN ('public', 'unlisted', 'private') THEN
    RAISE EXCEPTION 'unknown visibility'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Use public, unlisted or private.';
  END IF;
  IF description IS NOT NULL AND (pg_catalog.char_length(description) > 500 OR description ~ '[\x01-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]') THEN
    RAISE EXCEPTION 'malformed world description'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Use at most 500 characters; tabs and line feeds are the only control characters allowed, and no bidi controls.';
  END IF;
  IF me.is_anonymous THEN
    PERFORM app.raise_api_error(403, 'PT403', 'only registered players may create worlds',
                                'Register first with /rpc/register; you keep your id and name.');
  END IF;
  -- The caller's row, locked: two concurrent create_world calls of one player count one after the other.
  PERFORM FROM app.users u WHERE u.id = me.id FOR UPDATE;
  SELECT s.max_worlds_per_owner INTO limit_ FROM app.world_settings s;
  SELECT pg_catalog.count(*) INTO owned FROM app.worlds w WHERE w.owner_id = me.id;  -- archived ones count too
  IF owned >= limit_ THEN
    PERFORM app.raise_api_error(409, 'PT409', 'you own as many worlds as you may',
                                'Transfer one to another player first; archived worlds count too.',
                                pg_catalog.jsonb_build_object('max_worlds_per_owner', limit_));
  END IF;
  BEGIN
    INSERT INTO app.worlds (slug, name, description, owner_id, visibility)
    VALUES (create_world.slug, create_world.name, coalesce(create_world.description, ''), me.id, create_world.visibility)
    RETURNING id INTO world;
  EXCEPTION WHEN unique_violation THEN
    PERFORM app.raise_api_error(409, 'PT409', 'this world slug is taken', 'Choose another slug.',
                                pg_catalog.jsonb_build_object('world', create_world.slug));
  END;
  INSERT INTO app.world_members (world_id, user_id, role) VALUES (world, me.id, 'owner');
  INSERT INTO app.rooms (world_id, slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y, is_main)
  VALUES (world, 'lobby', 'Lobby', NULL, 40, 30, 20, 15, true)
  RETURNING id INTO room;
  INSERT INTO app.spawn_points (room_id, slug, x, y, type) VALUES (room, 'start', 20, 15, 'player');
  RETURN pg_catalog.jsonb_build_object('world_id', world, 'slug', create_world.slug, 'main_room_slug', 'lobby');
END
$$;
COMMENT ON FUNCTION api.create_world(text, text, text, text) IS
  'Create a world that you own.

visibility is public (listed, open to all), unlisted (open to whoever has the slug, never listed) or private
(members only). The world starts with its main room lobby: an empty 40x30 room with one player spawn point.
Returns {world_id, slug, main_room_slug}. 400 for a malformed slug, name, visibility or description; 403 for
an anonymous player (register first); 409 when the slug is taken or you already own
app.world_settings.max_worlds_per_owner worlds (10 by default; archived worlds count).';
REVOKE ALL ON FUNCTION api.create_world(text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.create_world(text, text, text, text) TO player;

-- get_world ------------------------------------------------------------------------------------------
CREATE FUNCTION api.get_world(slug text) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE  -- records a visit to an unlisted world
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  me uuid := auth.user_id();
  w app.worlds := app.world_visible(slug, me);
BEGIN
  RETURN pg_catalog.jsonb_build_object(
    'id', w.id, 'slug', w.slug, 'name', w.name, 'description', w.description, 'visibility', w.visibility,
    'owner_id', w.owner_id, 'created_at', w.created_at, 'archived_at', w.archived_at,
    'my_role', app.world_role(w.id, me),
    'main_room_slug', (SELECT r.slug FROM app.rooms r WHERE r.world_id = w.id AND r.is_main),
    'rooms', coalesce((SELECT pg_catalog.jsonb_agg(r.slug::text ORDER BY r.slug) FROM app.rooms r WHERE r.world_id = w.id), '[]'));
END
$$;
COMMENT ON FUNCTION api.get_world(text) IS
  'One world by its slug: a public or unlisted world to anyone with the slug (a shareable link), a private one
to its members, an archived one to its owner.

Returns {id, slug, name, description, visibility, owner_id, created_at, archived_at, my_role,
main_room_slug, rooms}. A signed-in player who asks for an unlisted world becomes its visitor and may then
read its rooms. Every other case answers the same 404 unknown world, so existence never leaks. Use POST.';
REVOKE ALL ON FUNCTION api.get_world(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.get_world(text) TO web_anon, player;

-- archive_world, restore_world -----------------------------------------------------------------------
CREATE FUNCTION api.archive_world(slug text) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  me app.users := app.world_caller();
  w app.worlds := app.world_visible(slug, me.id, true);
BEGIN
  IF app.world_role(w.id, me.id) IS DISTINCT FROM 'owner' THEN
    PERFORM app.raise_api_error(403, 'PT403', 'only the owner may archive or restore a world',
                                'GET /world_members shows who holds which role.', pg_catalog.jsonb_build_object('world', w.slug));
  END IF;
  UPDATE app.worlds x SET archived_at = pg_catalog.now() WHERE x.id = w.id AND x.archived_at IS NULL;
  RETURN pg_catalog.jsonb_build_object('slug', w.slug, 'archived_at', (SELECT x.archived_at FROM app.worlds x WHERE x.id = w.id));
END
$$;
COMMENT ON FUNCTION api.archive_world(text) IS
  'Archive a world you own: it is hidden from everyone but you (404 to all others) and nobody may enter it.

Returns {slug, archived_at}; archiving again changes nothing. 403 for anyone but the owner, 404 for a world
you may not see. /rpc/restore_world brings it back as it was.';
REVOKE ALL ON FUNCTION api.archive_world(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.archive_world(text) TO player;

CREATE FUNCTION api.restore_world(slug text) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  me app.users := app.world_caller();
  w app.worlds := app.world_visible(slug, me.id, true);
BEGIN
  IF app.world_role(w.id, me.id) IS DISTINCT FROM 'owner' THEN
    PERFORM app.raise_api_error(403, 'PT403', 'only the owner may archive or restore a world',
                                'GET /world_members shows who holds which role.', pg_catalog.jsonb_build_object('world', w.slug));
  END IF;
  UPDATE app.worlds x SET archived_at = NULL WHERE x.id = w.id AND x.archived_at IS NOT NULL;
  RETURN pg_catalog.jsonb_build_object('slug', w.slug, 'archived_at', NULL);
END
$$;
COMMENT ON FUNCTION api.restore_world(text) IS
  'Restore a world you archived, as it was: its visibility, members, invitations, bans and rooms.

Returns {slug, archived_at: null}; restoring a world that is not archived changes nothing. 403 for anyone but
the owner, 404 for a world you may not see.';
REVOKE ALL ON FUNCTION api.restore_world(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.restore_world(text) TO player;

-- invitations ------------------------------------------------------------------------------------------
CREATE FUNCTION api.invite(world_slug text, role text, expires_in_hours integer DEFAULT 168,
                           max_uses integer DEFAULT 1, email text DEFAULT NULL) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  me app.users := app.world_caller();
  w app.worlds;
  bound text;
  token text;
  inv app.world_invitations;
BEGIN
  IF role IS NULL OR role NOT IN ('editor', 'member') THEN
    RAISE EXCEPTION 'unknown invitation role'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Invite as editor or member; ownership moves with /rpc/transfer_ownership.';
  END IF;
  IF expires_in_hours IS NULL OR expires_in_hours NOT BETWEEN 1 AND 8760 THEN
    RAISE EXCEPTION 'expires_in_hours is out of range'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'An invitation lasts 1 to 8760 hours (a year); 168 by default.';
  END IF;
  IF max_uses IS NULL OR max_uses NOT BETWEEN 1 AND 1000 THEN
    RAISE EXCEPTION 'max_uses is out of range'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'An invitation may be used 1 to 1000 times; once by default.';
  END IF;
  IF email IS NOT NULL THEN
    bound := app.check_email(email);
  END IF;
  w := app.world_managed(world_slug, me.id, ARRAY['owner', 'editor'], 'only the owner or an editor may invite');
  IF role = 'editor' AND app.world_role(w.id, me.id) <> 'owner' THEN
    PERFORM app.raise_api_error(403, 'PT403', 'only the owner may invite editors', 'Editors may invite members.',
                                pg_catalog.jsonb_build_object('world', w.slug));
  END IF;
  -- 32 random bytes, URL-safe base64 without padding (43 characters). Only its SHA-256 is stored.
  token := pg_catalog.rtrim(pg_catalog.translate(pg_catalog.encode(public.gen_random_bytes(32), 'base64'), '+/', '-_'), '=');
  INSERT INTO app.world_invitations (world_id, role, token_hash, created_by, expires_at, max_uses, email)
  VALUES (w.id, invite.role, public.digest(token, 'sha256'), me.id,
          pg_catalog.now() + pg_catalog.make_interval(hours => expires_in_hours), invite.max_uses, bound)
  RETURNING * INTO inv;
  RETURN pg_catalog.jsonb_build_object('invitation_id', inv.id, 'token', token, 'expires_at', inv.expires_at,
                                       'role', inv.role, 'max_uses', inv.max_uses, 'email', inv.email);
END
$$;
COMMENT ON FUNCTION api.invite(text, text, integer, integer, text) IS
  'Invite players into a world: the owner as editor or member, an editor as member.

Returns {invitation_id, token, expires_at, role, max_uses, email}. The token appears only here: the database
keeps its SHA-256. It lasts expires_in_hours (1 to 8760, 168 by default) and serves max_uses acceptances (1 to
1000, 1 by default); with email, only the registered player with that email may accept. 400 for a bad role,
range or email, 403 without the role, 404 for a world you may not see, 409 for an archived world.';
REVOKE ALL ON FUNCTION api.invite(text, text, integer, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.invite(text, text, integer, integer, text) TO player;

CREATE FUNCTION api.revoke_invitation(invitation_id uuid) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  me app.users := app.world_caller();
  inv app.world_invitations;
  w app.worlds;
BEGIN
  SELECT * INTO inv FROM app.world_invitations i WHERE i.id = invitation_id;
  IF FOUND THEN
    SELECT * INTO w FROM app.worlds x WHERE x.id = inv.world_id FOR UPDATE;
  END IF;
  IF NOT FOUND OR NOT w.id = ANY (app.readable_world_ids(me.id)) THEN
    PERFORM app.raise_api_error(404, 'PT404', 'unknown invitation', 'GET /world_invitations lists the invitations you manage.',
                                pg_catalog.jsonb_build_object('invitation_id', invitation_id));
  END IF;
  IF app.world_role(w.id, me.id) IS NULL OR app.world_role(w.id, me.id) NOT IN ('owner', 'editor') THEN
    PERFORM app.raise_api_error(403, 'PT403', 'only the owner or an editor may revoke an invitation',
                                'GET /world_members shows who holds which role.',
                                pg_catalog.jsonb_build_object('invitation_id', invitation_id));
  END IF;
  IF w.archived_at IS NOT NULL THEN
    PERFORM app.raise_api_error(409, 'PT409', 'this world is archived', 'Restore it first with /rpc/restore_world.',
                                pg_catalog.jsonb_build_object('world', w.slug));
  END IF;
  UPDATE app.world_invitations i SET revoked_at = pg_catalog.now()
   WHERE i.id = inv.id AND i.revoked_at IS NULL;
  RETURN pg_catalog.jsonb_build_object('invitation_id', inv.id,
    'revoked_at', (SELECT i.revoked_at FROM app.world_invitations i WHERE i.id = inv.id));
END
$$;
COMMENT ON FUNCTION api.revoke_invitation(uuid) IS
  'Revoke an invitation of a world you own or edit: its token is refused from now on.

Returns {invitation_id, revoked_at}; revoking again keeps the first time. 403 for a member, 404 for an unknown
invitation or one of a world you may not see, 409 for an archived world.';
REVOKE ALL ON FUNCTION api.revoke_invitation(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.revoke_invitation(uuid) TO player;

CREATE FUNCTION app.invitation_refused() RETURNS void
  LANGUAGE plpgsql STABLE
  SET search_path = ''
  AS $$
BEGIN
  PERFORM app.raise_api_error(404, 'PT404', 'unknown invitation',
                              'Ask the world''s owner or an editor for a new invitation.', NULL);
END
$$;
COMMENT ON FUNCTION app.invitation_refused() IS
  'The one refusal of accept_invitation: unknown, expired, revoked, used up, wrong email and banned all answer this 404.';
REVOKE EXECUTE ON FUNCTION app.invitation_refused() FROM PUBLIC;

CREATE FUNCTION api.accept_invitation(token text) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  me app.users := app.world_caller();
  inv app.world_invitations;
  w app.worlds;
  existing text;
  joined boolean;
BEGIN
  IF token IS NULL OR token !~ '^[A-Za-z0-9_-]{43}$' THEN
    PERFORM app.invitation_refused();
  END IF;
  SELECT * INTO inv FROM app.world_invitations i WHERE i.token_hash = public.digest(token, 'sha256');
  IF NOT FOUND THEN
    PERFORM app.invitation_refused();
  END IF;
  -- Under the world row's share lock, which a ban (api.ban, app.world_evict) takes FOR UPDATE: a ban
  -- that commits first is seen by the check below, and one that comes after sees this membership.
  SELECT * INTO w FROM app.worlds x WHERE x.id = inv.world_id FOR SHARE;
  IF w.archived_at IS NOT NULL OR app.world_banned(w.id, me.id)
     OR inv.email IS NOT NULL AND me.email IS DISTINCT FROM inv.email THEN
    PERFORM app.invitation_refused();
  END IF;
  existing := app.world_role(w.id, me.id);
  IF existing IS NOT NULL THEN
    -- Already a member: nothing changes, no use is spent, and the role is not lowered.
    RETURN pg_catalog.jsonb_build_object('world_slug', w.slug, 'role', existing);
  END IF;
  -- The conditional UPDATE takes the row lock: of two concurrent acceptances of the last use, the second
  -- re-reads the row once the first commits, finds no use left, and is refused.
  UPDATE app.world_invitations i SET uses = i.uses + 1
   WHERE i.id = inv.id AND i.uses < i.max_uses AND i.revoked_at IS NULL AND i.expires_at > pg_catalog.now();
  IF NOT FOUND THEN
    PERFORM app.invitation_refused();
  END IF;
  INSERT INTO app.world_members (world_id, user_id, role) VALUES (w.id, me.id, inv.role)
  ON CONFLICT ON CONSTRAINT world_members_pkey DO NOTHING
  RETURNING true INTO joined;
  IF joined IS NULL THEN
    -- The same player accepted concurrently and won: give the use back (the row is still locked).
    UPDATE app.world_invitations i SET uses = i.uses - 1 WHERE i.id = inv.id;
  END IF;
  RETURN pg_catalog.jsonb_build_object('world_slug', w.slug, 'role', app.world_role(w.id, me.id));
END
$$;
COMMENT ON FUNCTION api.accept_invitation(text) IS
  'Join a world with an invitation token: you become a member with the invitation''s role.

Returns {world_slug, role}. Accepting again as a member changes nothing and spends no use. An unknown,
expired, revoked or used-up token, an invitation bound to another email, and a ban all answer the same 404
unknown invitation, so that no token''s state can be told apart.';
REVOKE ALL ON FUNCTION api.accept_invitation(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.accept_invitation(text) TO player;

-- roles and ownership ---------------------------------------------------------------------------------
CREATE FUNCTION api.set_member_role(world_slug text, user_id uuid, role text) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  me app.users := app.world_caller();
  w app.worlds;
BEGIN
  IF role IS NULL OR role NOT IN ('editor', 'member') THEN
    RAISE EXCEPTION 'unknown member role'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Use editor or member; ownership moves with /rpc/transfer_ownership.';
  END IF;
  w := app.world_managed(world_slug, me.id, ARRAY['owner'], 'only the owner may change roles');
  IF app.world_member_role(w, user_id) = 'owner' THEN
    PERFORM app.raise_api_error(409, 'PT409', 'the owner''s role changes only by a transfer',
                                'Use /rpc/transfer_ownership.', pg_catalog.jsonb_build_object('world', w.slug));
  END IF;
  UPDATE app.world_members m SET role = set_member_role.role WHERE m.world_id = w.id AND m.user_id = set_member_role.user_id;
  RETURN pg_catalog.jsonb_build_object('world_slug', w.slug, 'user_id', user_id, 'role', role);
END
$$;
COMMENT ON FUNCTION api.set_member_role(text, uuid, text) IS
  'Make a member of your world an editor or a member again.

Returns {world_slug, user_id, role}. 400 for another role, 403 for anyone but the owner, 404 for a world you
may not see or a user who is not a member, 409 for yourself (transfer ownership instead) or an archived world.';
REVOKE ALL ON FUNCTION api.set_member_role(text, uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.set_member_role(text, uuid, text) TO player;

CREATE FUNCTION api.transfer_ownership(world_slug text, user_id uuid) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  me app.users := app.world_caller();
  -- Locked FOR UPDATE and checked again under the lock: a concurrent transfer waits here, then finds
  -- that the caller no longer owns the world.
  w app.worlds := app.world_managed(world_slug, me.id, ARRAY['owner'], 'only the owner may transfer a world');
BEGIN
  IF w.owner_id IS DISTINCT FROM me.id THEN
    PERFORM app.raise_api_error(403, 'PT403', 'only the owner may transfer a world',
                                'GET /world_members shows who holds which role.', pg_catalog.jsonb_build_object('world', w.slug));
  END IF;
  IF user_id = me.id THEN
    PERFORM app.raise_api_error(409, 'PT409', 'you already own this world', 'Name another member.',
                                pg_catalog.jsonb_build_object('world', w.slug));
  END IF;
  PERFORM app.world_member_role(w, user_id);
  -- The new owner must be able to own it: registered (an abandoned anonymous account is deleted by the
  -- housekeeping, and its worlds with it) and under the owned-world limit, counted under their row's
  -- lock as create_world counts it.
  IF (SELECT u.is_anonymous FROM app.users u WHERE u.id = transfer_ownership.user_id FOR UPDATE) THEN
    PERFORM app.raise_api_error(403, 'PT403', 'only a registered player may own a world',
                                'Ask them to register first; they keep their id, name and membership.',
                                pg_catalog.jsonb_build_object('world', w.slug, 'user_id', user_id));
  END IF;
  IF (SELECT pg_catalog.count(*) FROM app.worlds x WHERE x.owner_id = transfer_ownership.user_id)
     >= (SELECT s.max_worlds_per_owner FROM app.world_settings s) THEN
    PERFORM app.raise_api_error(409, 'PT409', 'that player owns as many worlds as they may',
                                'They may transfer or give up one of theirs first; archived worlds count too.',
                                pg_catalog.jsonb_build_object('world', w.slug, 'user_id', user_id));
  END IF;
  -- Demote first: the unique index world_members_one_owner admits one owner row at any moment.
  UPDATE app.world_members m SET role = 'editor' WHERE m.world_id = w.id AND m.user_id = me.id;
  UPDATE app.world_members m SET role = 'owner' WHERE m.world_id = w.id AND m.user_id = transfer_ownership.user_id;
  UPDATE app.worlds x SET owner_id = transfer_ownership.user_id WHERE x.id = w.id;
  RETURN pg_catalog.jsonb_build_object('world_slug', w.slug, 'owner_id', user_id, 'previous_owner_role', 'editor');
END
$$;
COMMENT ON FUNCTION api.transfer_ownership(text, uuid) IS
  'Give your world to one of its members; you stay as an editor.

Returns {world_slug, owner_id, previous_owner_role}. 403 for anyone but the owner, 404 for a world you may not
see or a user who is not a member, 409 for yourself or an archived world. Concurrent transfers take turns:
exactly one owner remains.';
REVOKE ALL ON FUNCTION api.transfer_ownership(text, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.transfer_ownership(text, uuid) TO player;

CREATE FUNCTION api.remove_member(world_slug text, user_id uuid) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  me app.users := app.world_caller();
  w app.worlds := app.world_managed(world_slug, me.id, ARRAY['owner', 'editor'], 'only the owner or an editor may remove members');
  target text;
BEGIN
  IF user_id = me.id THEN
    RAISE EXCEPTION 'to leave a world, call leave_world'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'POST /rpc/leave_world {world_slug}.';
  END IF;
  target := app.world_member_role(w, user_id);
  IF target = 'owner' OR target = 'editor' AND app.world_role(w.id, me.id) <> 'owner' THEN
    PERFORM app.raise_api_error(403, 'PT403', 'you may not remove this member',
                                'The owner removes editors; nobody removes the owner.',
                                pg_catalog.jsonb_build_object('world', w.slug, 'user_id', user_id));
  END IF;
  DELETE FROM app.world_members m WHERE m.world_id = w.id AND m.user_id = remove_member.user_id;
  RETURN pg_catalog.jsonb_build_object('world_slug', w.slug, 'user_id', user_id, 'removed', true);
END
$$;
COMMENT ON FUNCTION api.remove_member(text, uuid) IS
  'Remove a member from your world: the owner removes editors and members, an editor members only.

Returns {world_slug, user_id, removed: true}. 400 for yourself (use leave_world), 403 without the role, 404 for
a world you may not see or a user who is not a member, 409 for an archived world.';
REVOKE ALL ON FUNCTION api.remove_member(text, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.remove_member(text, uuid) TO player;

CREATE FUNCTION api.leave_world(world_slug text) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  me app.users := app.world_caller();
  w app.worlds := app.world_visible(world_slug, me.id, true);
  mine text := app.world_member_role(w, me.id);
BEGIN
  IF mine = 'owner' THEN
    PERFORM app.raise_api_error(409, 'PT409', 'the owner cannot leave',
                                'Transfer the world to another member first with /rpc/transfer_ownership.',
                                pg_catalog.jsonb_build_object('world', w.slug));
  END IF;
  DELETE FROM app.world_members m WHERE m.world_id = w.id AND m.user_id = me.id;
  RETURN pg_catalog.jsonb_build_object('world_slug', w.slug, 'left', true);
END
$$;
COMMENT ON FUNCTION api.leave_world(text) IS
  'Leave a world you are a member or editor of.

Returns {world_slug, left: true}. 404 for a world you may not see or are not a member of, 409 for its owner
(transfer ownership first).';
REVOKE ALL ON FUNCTION api.leave_world(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.leave_world(text) TO player;

-- bans -------------------------------------------------------------------------------------------------
CREATE FUNCTION api.ban(world_slug text, user_id uuid, reason text DEFAULT '', until timestamptz DEFAULT NULL)
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
  IF pg_catalog.char_length(why) > 500 OR why ~ '[\x01-\x08\x0b-\x1f\x7f]' THEN
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
ends the player''s membership. Banning again replaces the reason and the end. Returns {world_slug, user_id,
reason, until}. 400 for yourself, a malformed reason or a past until; 403 without the role; 404 for a world
you may not see or an unknown user; 409 for an archived world.';
REVOKE ALL ON FUNCTION api.ban(text, uuid, text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.ban(text, uuid, text, timestamptz) TO player;

CREATE FUNCTION api.unban(world_slug text, user_id uuid) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  me app.users := app.world_caller();
  w app.worlds := app.world_managed(world_slug, me.id, ARRAY['owner', 'editor'], 'only the owner or an editor may unban');
BEGIN
  -- An editor lifts only what an editor could have done: not a ban the owner made (which may be of a
  -- former editor), so that the owner's decisions stand.
  IF w.owner_id IS DISTINCT FROM me.id AND EXISTS (
       SELECT FROM app.world_bans b WHERE b.world_id = w.id AND b.user_id = unban.user_id AND b.banned_by = w.owner_id) THEN
    PERFORM app.raise_api_error(403, 'PT403', 'only the owner may lift a ban the owner made',
                                'Ask the owner (GET /world_members shows who it is).',
                                pg_catalog.jsonb_build_object('world', w.slug, 'user_id', user_id));
  END IF;
  DELETE FROM app.world_bans b WHERE b.world_id = w.id AND b.user_id = unban.user_id;
  RETURN pg_catalog.jsonb_build_object('world_slug', w.slug, 'user_id', user_id, 'banned', false);
END
$$;
COMMENT ON FUNCTION api.unban(text, uuid) IS
  'Lift a ban from your world (the owner or an editor). The player does not become a member again.

Returns {world_slug, user_id, banned: false}, also when there was no ban. 403 without the role, 404 for a
world you may not see, 409 for an archived world.';
REVOKE ALL ON FUNCTION api.unban(text, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.unban(text, uuid) TO player;

COMMIT;
