-- An invitation is only as good as its creator's right to issue it (issue 11): when the creator is
-- demoted, removed, banned, leaves or hands the world over, the invitations their new role could not
-- issue are revoked in the same transaction, and their tokens get accept_invitation's one refusal.
BEGIN;
\ir helpers.psql

SELECT plan(14);

CREATE TABLE tests.v (name text PRIMARY KEY, value text);
CREATE FUNCTION tests.v(name text) RETURNS text LANGUAGE sql STABLE AS $$ SELECT value FROM tests.v x WHERE x.name = v.name $$;
CREATE FUNCTION tests.revoked(invitation text) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''
  AS $$ SELECT revoked_at IS NOT NULL FROM app.world_invitations WHERE id = (invitation::jsonb ->> 'invitation_id')::uuid $$;
CREATE FUNCTION tests.join_as(actor text, role text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM tests.authenticate_as(tests.id_of('Olga'));
  INSERT INTO tests.v SELECT 'join-' || actor, api.invite('tap17', role) ->> 'token';
  PERFORM tests.authenticate_as(tests.id_of(actor));
  PERFORM api.accept_invitation(tests.v('join-' || actor));
END $$;
CREATE FUNCTION tests.issue(actor text, role text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM tests.authenticate_as(tests.id_of(actor));
  INSERT INTO tests.v SELECT actor || '-' || role, api.invite('tap17', role)::text;
END $$;
GRANT SELECT, INSERT ON tests.v TO player;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA tests TO player;

SELECT tests.create_user(n) FROM unnest(ARRAY['Olga', 'Eddie', 'Erin', 'Emil', 'Elsa', 'Mia', 'Nell']) n;
UPDATE app.users SET is_anonymous = false, email = lower(display_name) || '@example.org'
 WHERE display_name IN ('Olga', 'Eddie', 'Erin', 'Emil', 'Elsa', 'Mia', 'Nell');

SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT api.create_world('tap17', 'Seventeen', 'private');
-- Four editors, each of whom will lose the right to invite in another way.
SELECT tests.join_as(e, 'editor') FROM unnest(ARRAY['Eddie', 'Erin', 'Emil', 'Elsa']) e;
SELECT tests.join_as('Mia', 'member');

-- Each editor issues a member invitation; the owner issues an editor and a member invitation.
SELECT tests.issue(e, 'member') FROM unnest(ARRAY['Eddie', 'Erin', 'Emil', 'Elsa', 'Olga']) e;
SELECT tests.issue('Olga', 'editor');

-- Olga demotes Eddie, removes Erin and bans Emil; Elsa leaves.
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT api.set_member_role('tap17', tests.id_of('Eddie'), 'member');
SELECT api.remove_member('tap17', tests.id_of('Erin'));
SELECT api.ban('tap17', tests.id_of('Emil'), 'spam');
SELECT tests.authenticate_as(tests.id_of('Elsa'));
SELECT api.leave_world('tap17');

SELECT ok(tests.revoked(tests.v('Eddie-member')), 'demoting an editor to member revokes the invitations they issued');
SELECT ok(tests.revoked(tests.v('Erin-member')), 'removing an editor revokes the invitations they issued');
SELECT ok(tests.revoked(tests.v('Emil-member')), 'banning an editor (which ends the membership) revokes the invitations they issued');
SELECT ok(tests.revoked(tests.v('Elsa-member')), 'an editor who leaves takes their invitations with them');
SELECT ok(NOT tests.revoked(tests.v('Olga-member')) AND NOT tests.revoked(tests.v('Olga-editor')),
  'the owner''s invitations are untouched by what happened to the editors');

-- The revoked tokens get the refusal every unusable token gets; nobody joins through them.
SELECT tests.authenticate_as(tests.id_of('Nell'));
SELECT tests.api_throws_ok(format($$SELECT api.accept_invitation(%L)$$, tests.v('Eddie-member')::jsonb ->> 'token'),
  'PT404', 'unknown invitation', 'the demoted editor''s invitation is refused like any unusable token');
SELECT tests.api_throws_ok(format($$SELECT api.accept_invitation(%L)$$, tests.v('Erin-member')::jsonb ->> 'token'),
  'PT404', 'unknown invitation', 'the removed editor''s invitation is refused');

-- A promotion changes nothing; handing the world over keeps the old owner's member invitations (an
-- editor may issue those) and revokes their editor invitation (an editor may not).
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT api.set_member_role('tap17', tests.id_of('Mia'), 'editor');
SELECT tests.issue('Mia', 'member');
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT api.set_member_role('tap17', tests.id_of('Mia'), 'editor');
SELECT ok(NOT tests.revoked(tests.v('Mia-member')), 'setting an editor''s role to editor again revokes nothing');
SELECT api.transfer_ownership('tap17', tests.id_of('Mia'));
SELECT ok(tests.revoked(tests.v('Olga-editor')), 'the old owner, now an editor, loses the editor invitation they issued');
SELECT ok(NOT tests.revoked(tests.v('Olga-member')), 'and keeps their member invitation, which an editor may issue');
SELECT ok(NOT tests.revoked(tests.v('Mia-member')), 'the new owner''s invitations are kept');

SELECT tests.authenticate_as(tests.id_of('Nell'));
SELECT is(api.accept_invitation(tests.v('Olga-member')::jsonb ->> 'token'), '{"world_slug": "tap17", "role": "member"}'::jsonb,
  'a kept invitation still works');

-- The revocation time is the demoting transaction's, as with revoke_invitation.
SELECT tests.as_owner();
SELECT is((SELECT revoked_at FROM app.world_invitations WHERE id = (tests.v('Eddie-member')::jsonb ->> 'invitation_id')::uuid),
  now(), 'revoked_at is the time of the transaction that took the right away');
SELECT is((SELECT count(*)::integer FROM app.world_invitations WHERE world_id = (SELECT id FROM app.worlds WHERE slug = 'tap17') AND revoked_at IS NOT NULL),
  5, 'exactly the five usable invitations whose issuer lost the right are revoked; used-up ones are left as they were');

SELECT * FROM finish();
ROLLBACK;
