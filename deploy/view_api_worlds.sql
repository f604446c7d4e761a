-- Deploy arkagentic:view_api_worlds to pg
-- requires: function_api_worlds policy_worlds view_api_profiles
-- GET /worlds, PATCH /worlds, GET /world_members, GET /world_invitations and GET /world_bans (issue 11).
-- All security_invoker: row-level security on app decides which rows, and the grants and the trigger
-- app.worlds_edit_rules on app.worlds decide who may change which column. api.worlds adds the listing
-- rule on top: public worlds and the caller's member worlds, never a world they only visited.

BEGIN;

CREATE VIEW api.worlds WITH (security_invoker = true) AS
  SELECT id, slug, name, description, visibility, owner_id, created_at, archived_at,
         app.my_world_role(id) AS my_role
    FROM app.worlds
   WHERE id = ANY ((SELECT app.listed_world_ids())::uuid[]);
COMMENT ON VIEW api.worlds IS
  'Worlds: the public ones and the ones you are a member of (an archived one only for its owner); never an unlisted or private world you are not in. PATCH ?slug=eq.<slug>: owners change name, description, visibility and slug, editors name and description.';
COMMENT ON COLUMN api.worlds.id IS 'World id; rooms, buildings and spawn points carry it as world_id.';
COMMENT ON COLUMN api.worlds.slug IS 'URL-safe name, unique, e.g. my-world; the shareable link of an unlisted world.';
COMMENT ON COLUMN api.worlds.name IS 'Display name, 1 to 64 characters.';
COMMENT ON COLUMN api.worlds.description IS 'Free text, at most 500 characters.';
COMMENT ON COLUMN api.worlds.visibility IS 'public (listed, open), unlisted (open with the slug) or private (members only).';
COMMENT ON COLUMN api.worlds.owner_id IS 'The owning player; null for the installation''s own worlds such as ark.';
COMMENT ON COLUMN api.worlds.created_at IS 'When the world was created.';
COMMENT ON COLUMN api.worlds.archived_at IS 'When its owner archived it (only the owner sees an archived world); null otherwise.';
COMMENT ON COLUMN api.worlds.my_role IS 'Your role in it: owner, editor, member, or null. Read only.';
GRANT SELECT ON api.worlds TO web_anon, player, agent_service, content_admin;
GRANT UPDATE (slug, name, description, visibility) ON api.worlds TO player, content_admin;

CREATE VIEW api.world_members WITH (security_invoker = true) AS
  SELECT m.world_id, m.user_id, m.role, m.joined_at, u.display_name
    FROM app.world_members m
    LEFT JOIN api.users u ON u.id = m.user_id;
COMMENT ON VIEW api.world_members IS 'Who belongs to the worlds you are a member of, with their roles: GET /world_members?world_id=eq.<id>.';
COMMENT ON COLUMN api.world_members.world_id IS 'The world (GET /worlds).';
COMMENT ON COLUMN api.world_members.user_id IS 'The member (GET /users).';
COMMENT ON COLUMN api.world_members.role IS 'owner, editor or member.';
COMMENT ON COLUMN api.world_members.joined_at IS 'When they joined.';
COMMENT ON COLUMN api.world_members.display_name IS 'The member''s display name.';
GRANT SELECT ON api.world_members TO player;

CREATE VIEW api.world_invitations WITH (security_invoker = true) AS
  SELECT id, world_id, role, created_by, created_at, expires_at, max_uses, uses, revoked_at, email
    FROM app.world_invitations;
COMMENT ON VIEW api.world_invitations IS
  'Invitations of the worlds you own or edit: metadata only, never a token or its hash.';
COMMENT ON COLUMN api.world_invitations.id IS 'Invitation id, for /rpc/revoke_invitation.';
COMMENT ON COLUMN api.world_invitations.world_id IS 'The world it admits to.';
COMMENT ON COLUMN api.world_invitations.role IS 'The role it gives: editor or member.';
COMMENT ON COLUMN api.world_invitations.created_by IS 'Who created it.';
COMMENT ON COLUMN api.world_invitations.created_at IS 'When it was created.';
COMMENT ON COLUMN api.world_invitations.expires_at IS 'After this it is refused.';
COMMENT ON COLUMN api.world_invitations.max_uses IS 'How many players it may admit.';
COMMENT ON COLUMN api.world_invitations.uses IS 'How many it has admitted.';
COMMENT ON COLUMN api.world_invitations.revoked_at IS 'When it was revoked; null while valid.';
COMMENT ON COLUMN api.world_invitations.email IS 'When set, only the registered player with this email may accept.';
GRANT SELECT ON api.world_invitations TO player;

CREATE VIEW api.world_bans WITH (security_invoker = true) AS
  SELECT world_id, user_id, reason, banned_by, created_at, until
    FROM app.world_bans;
COMMENT ON VIEW api.world_bans IS 'Bans of the worlds you own or edit.';
COMMENT ON COLUMN api.world_bans.world_id IS 'The world.';
COMMENT ON COLUMN api.world_bans.user_id IS 'The banned player.';
COMMENT ON COLUMN api.world_bans.reason IS 'Why, as given by who banned them.';
COMMENT ON COLUMN api.world_bans.banned_by IS 'Who banned them.';
COMMENT ON COLUMN api.world_bans.created_at IS 'When they were banned.';
COMMENT ON COLUMN api.world_bans.until IS 'When the ban ends; null for good.';
GRANT SELECT ON api.world_bans TO player;

COMMIT;
