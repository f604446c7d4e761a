-- Deploy arkagentic:function_app_world_access to pg
-- requires: table_worlds function_auth_claims function_app_raise
-- Who may read, enter and edit which world: the one place these rules live. Row-level security on the
-- world and content tables, api.presence and the presence functions all call these.
--
-- The policies compare world_id with an array computed once per statement, `world_id = ANY ((SELECT
-- app.readable_world_ids())::uuid[])`: an InitPlan (the cast keeps it a scalar subquery, not ANY (subquery)), so the comparison can use the world_id indexes instead of
-- calling a function for each row.

BEGIN;

-- The worlds whose content uid may read: public ones; the ones uid is a member of (an archived one only
-- for its owner); unlisted ones uid has asked for by slug; never one uid is banned from. uid NULL (web_anon,
-- service tokens) reads public worlds only.
--
-- These four are PL/pgSQL for their cached plans: as SQL functions (never inlined, being SECURITY
-- DEFINER) they were planned anew on every call, 0.7 ms of a 1.9 ms GET /rooms with 1,000 worlds.
CREATE FUNCTION app.readable_world_ids(uid uuid) RETURNS uuid[]
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  SECURITY DEFINER  -- memberships, visits and bans are not readable by the caller
  SET search_path = ''
  AS $$
DECLARE
  ids uuid[];
BEGIN
  IF uid IS NULL THEN
    SELECT coalesce(pg_catalog.array_agg(w.id), '{}') INTO ids
      FROM app.worlds w WHERE w.visibility = 'public' AND w.archived_at IS NULL;
    RETURN ids;
  END IF;
  SELECT coalesce(pg_catalog.array_agg(x.id), '{}') INTO ids
    FROM (SELECT w.id FROM app.worlds w WHERE w.visibility = 'public' AND w.archived_at IS NULL
          UNION
          SELECT m.world_id FROM app.world_members m JOIN app.worlds w ON w.id = m.world_id
           WHERE m.user_id = uid AND (w.archived_at IS NULL OR w.owner_id = uid)
          UNION
          SELECT v.world_id FROM app.world_visitors v JOIN app.worlds w ON w.id = v.world_id
           WHERE v.user_id = uid AND w.visibility = 'unlisted' AND w.archived_at IS NULL
          EXCEPT
          SELECT b.world_id FROM app.world_bans b
           WHERE b.user_id = uid AND (b.until IS NULL OR b.until > pg_catalog.now())) AS x;
  RETURN ids;
END
$$;
COMMENT ON FUNCTION app.readable_world_ids(uuid) IS 'The worlds whose rooms, buildings, spawn points and presence the player may see.';
REVOKE EXECUTE ON FUNCTION app.readable_world_ids(uuid) FROM PUBLIC;

CREATE FUNCTION app.readable_world_ids() RETURNS uuid[]
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  SECURITY DEFINER
  SET search_path = ''
  AS $$ BEGIN RETURN app.readable_world_ids(auth.user_id()); END $$;
COMMENT ON FUNCTION app.readable_world_ids() IS 'app.readable_world_ids for the signed-in player (public worlds for web_anon).';
REVOKE EXECUTE ON FUNCTION app.readable_world_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.readable_world_ids() TO web_anon, player, agent_service, content_admin;

-- The worlds the signed-in player may edit (rooms, buildings, spawn points, invitations): the ones they
-- own or are an editor of, unless archived, never one they are banned from (a ban ends the membership,
-- but a member row that outlived one grants nothing), never an installation world (content_admin's,
-- whatever member rows it has). Within app.readable_world_ids, so that whoever edits a row can read it.
CREATE FUNCTION app.editable_world_ids() RETURNS uuid[]
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  ids uuid[];
BEGIN
  SELECT coalesce(pg_catalog.array_agg(m.world_id), '{}') INTO ids
    FROM app.world_members m JOIN app.worlds w ON w.id = m.world_id
   WHERE m.user_id = auth.user_id() AND m.role IN ('owner', 'editor') AND w.archived_at IS NULL
     AND w.owner_id IS NOT NULL
     AND NOT EXISTS (SELECT FROM app.world_bans b
                      WHERE b.world_id = m.world_id AND b.user_id = m.user_id
                        AND (b.until IS NULL OR b.until > pg_catalog.now()));
  RETURN ids;
END
$$;
COMMENT ON FUNCTION app.editable_world_ids() IS
  'The player worlds the signed-in player owns or edits, archived ones and ones they are banned from excepted.';
REVOKE EXECUTE ON FUNCTION app.editable_world_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.editable_world_ids() TO player;

-- The worlds the signed-in player belongs to (any role; an archived one only for its owner): who else
-- is in them. Not one they are banned from, should a member row outlive the ban's removal of it.
CREATE FUNCTION app.member_world_ids() RETURNS uuid[]
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  ids uuid[];
BEGIN
  SELECT coalesce(pg_catalog.array_agg(m.world_id), '{}') INTO ids
    FROM app.world_members m JOIN app.worlds w ON w.id = m.world_id
   WHERE m.user_id = auth.user_id() AND (w.archived_at IS NULL OR w.owner_id = m.user_id)
     AND NOT EXISTS (SELECT FROM app.world_bans b
                      WHERE b.world_id = m.world_id AND b.user_id = m.user_id
                        AND (b.until IS NULL OR b.until > pg_catalog.now()));
  RETURN ids;
END
$$;
COMMENT ON FUNCTION app.member_world_ids() IS
  'The worlds the signed-in player is a member of (an archived one only for its owner), not one they are banned from.';
REVOKE EXECUTE ON FUNCTION app.member_world_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.member_world_ids() TO player;

-- The installation's own worlds (no owner), archived ones excepted: content_admin edits these, and only
-- these. An archived world is edited by nobody.
CREATE FUNCTION app.installation_world_ids(include_archived boolean DEFAULT false) RETURNS uuid[]
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  ids uuid[];
BEGIN
  SELECT coalesce(pg_catalog.array_agg(w.id), '{}') INTO ids
    FROM app.worlds w WHERE w.owner_id IS NULL AND (include_archived OR w.archived_at IS NULL);
  RETURN ids;
END
$$;
COMMENT ON FUNCTION app.installation_world_ids(boolean) IS
  'The worlds no player owns (archived ones only when asked): content_admin edits the unarchived ones, and reads their members and bans.';
REVOKE EXECUTE ON FUNCTION app.installation_world_ids(boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.installation_world_ids(boolean) TO content_admin;

-- What content_admin reads: the installation's worlds, archived ones included, and what anyone reads
-- (public worlds). Not private, unlisted or archived player worlds: looking after the installation
-- needs no look into a player's private space (a DBA has SQL as the owner for that).
CREATE FUNCTION app.admin_readable_world_ids() RETURNS uuid[]
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  ids uuid[];
BEGIN
  SELECT coalesce(pg_catalog.array_agg(w.id), '{}') INTO ids
    FROM app.worlds w WHERE w.owner_id IS NULL OR w.visibility = 'public' AND w.archived_at IS NULL;
  RETURN ids;
END
$$;
COMMENT ON FUNCTION app.admin_readable_world_ids() IS
  'The worlds content_admin reads: the installation''s own, archived ones included, and the public ones.';
REVOKE EXECUTE ON FUNCTION app.admin_readable_world_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.admin_readable_world_ids() TO content_admin;

-- The role uid holds in world w: owner, editor, member, or NULL.
CREATE FUNCTION app.world_role(w uuid, uid uuid) RETURNS text
  LANGUAGE sql STABLE PARALLEL SAFE
  SECURITY DEFINER
  SET search_path = ''
  AS $$ SELECT m.role FROM app.world_members m WHERE m.world_id = w AND m.user_id = uid $$;
COMMENT ON FUNCTION app.world_role(uuid, uuid) IS 'owner, editor, member, or NULL for a non-member.';
REVOKE EXECUTE ON FUNCTION app.world_role(uuid, uuid) FROM PUBLIC;

CREATE FUNCTION app.world_banned(w uuid, uid uuid) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
  SELECT EXISTS (SELECT FROM app.world_bans b
                  WHERE b.world_id = w AND b.user_id = uid AND (b.until IS NULL OR b.until > pg_catalog.now()))
$$;
COMMENT ON FUNCTION app.world_banned(uuid, uuid) IS 'True while uid is banned from world w.';
REVOKE EXECUTE ON FUNCTION app.world_banned(uuid, uuid) FROM PUBLIC;

-- May uid be in a room of world w right now? Not when it is archived (its owner included) or uid is
-- banned; a public or unlisted world lets anyone in who has its slug, a private one its members.
CREATE FUNCTION app.world_may_enter(w app.worlds, uid uuid) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
  SELECT w.archived_at IS NULL
     AND NOT app.world_banned(w.id, uid)
     AND (w.visibility IN ('public', 'unlisted') OR app.world_role(w.id, uid) IS NOT NULL)
$$;
COMMENT ON FUNCTION app.world_may_enter(app.worlds, uuid) IS
  'True when uid may be in the world''s rooms: not archived, not banned, and public, unlisted (by slug) or a member.';
REVOKE EXECUTE ON FUNCTION app.world_may_enter(app.worlds, uuid) FROM PUBLIC;

-- The world by slug as uid may see it, or NULL: public and unlisted ones to anyone with the slug (a
-- signed-in uid becomes a visitor of an unlisted one), private ones to members, archived ones to their
-- owner, none to the banned. NULL, not an error: the callers answer "unknown", so existence never leaks.
CREATE FUNCTION app.world_by_slug(slug text, uid uuid) RETURNS app.worlds
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  AS $$
DECLARE
  w app.worlds;
BEGIN
  SELECT * INTO w FROM app.worlds x WHERE x.slug = world_by_slug.slug;
  IF NOT FOUND
     OR uid IS NOT NULL AND app.world_banned(w.id, uid)
     OR w.archived_at IS NOT NULL AND (uid IS NULL OR w.owner_id IS DISTINCT FROM uid)
     OR w.visibility = 'private' AND app.world_role(w.id, uid) IS NULL THEN
    RETURN NULL;
  END IF;
  IF w.visibility = 'unlisted' AND uid IS NOT NULL AND app.world_role(w.id, uid) IS NULL THEN
    INSERT INTO app.world_visitors (world_id, user_id) VALUES (w.id, uid) ON CONFLICT DO NOTHING;
  END IF;
  RETURN w;
END
$$;
COMMENT ON FUNCTION app.world_by_slug(text, uuid) IS
  'The world uid may see under this slug (recording a visit to an unlisted one), or NULL.';
REVOKE EXECUTE ON FUNCTION app.world_by_slug(text, uuid) FROM PUBLIC;

COMMIT;
