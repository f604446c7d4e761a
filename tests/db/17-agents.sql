-- Custom agents (issue 13): the world-role matrix over agents and agent_prompts (read, PATCH, publish,
-- suspend, export, chat), the immutability of prompt versions and activations, activate_prompt's
-- audit, create_agent's limits and input checks, moderation, routing and chat within a world, Character
-- Card V2 import and export, app.agent_id_in_world, and activate_prompt racing itself and publish_prompt
-- over real connections: exactly one version stays active.
BEGIN;
\ir helpers.psql

SELECT plan(125);

CREATE TABLE tests.v (name text PRIMARY KEY, value text);
CREATE FUNCTION tests.v(name text) RETURNS text LANGUAGE sql STABLE AS $$ SELECT value FROM tests.v x WHERE x.name = v.name $$;
GRANT SELECT, INSERT ON tests.v TO web_anon, player, agent_service, content_admin;
GRANT EXECUTE ON FUNCTION tests.v(text) TO web_anon, player, agent_service, content_admin;

-- Races, through real connections (they commit: set up and cleaned up before anything else) ========

-- as the owner
SELECT tests.use_dblink();
SELECT tests.remote_connect(c) FROM unnest(ARRAY['setup', 'first', 'second']) c;
CREATE FUNCTION tests.remote_cleanup() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM tests.remote_exec('setup', $q$
    DO $d$
    BEGIN
      DELETE FROM app.agent_prompt_activations x USING app.worlds w WHERE w.id = x.world_id AND w.slug = 'tap17-race';
      DELETE FROM app.agent_prompts x USING app.worlds w WHERE w.id = x.world_id AND w.slug = 'tap17-race';
      DELETE FROM app.agents x USING app.worlds w WHERE w.id = x.world_id AND w.slug = 'tap17-race';
      DELETE FROM app.worlds WHERE slug = 'tap17-race';
      DELETE FROM app.users WHERE display_name = 'Tap17 Racer';
    END $d$ $q$);
END
$$;
SELECT tests.remote_cleanup();  -- an aborted run's
INSERT INTO tests.v VALUES ('racer', tests.remote_value('setup',
  $$INSERT INTO app.users (display_name, avatar_sprite, email, is_anonymous) VALUES ('Tap17 Racer', 'brendan', 'tap17-racer@example.org', false) RETURNING id$$));
INSERT INTO tests.v VALUES ('first_pid', tests.remote_value('first', 'SELECT pg_backend_pid()')),
                           ('second_pid', tests.remote_value('second', 'SELECT pg_backend_pid()'));
SELECT tests.remote_begin('setup', 'player', tests.v('racer')::uuid);
SELECT tests.remote_value('setup', $$SELECT api.create_world('tap17-race', 'Race', 'private')$$);
SELECT tests.remote_value('setup', $$SELECT slug FROM api.create_agent('tap17-race', 'racer', 'Racer', 'Runner', '🏁', 'archie', 'Ready.', 'Version 1.')$$);
SELECT tests.remote_value('setup', $$SELECT version FROM api.publish_prompt('racer', 'Version 2.', 'tap17-race')$$);
SELECT tests.remote_value('setup', $$SELECT version FROM api.publish_prompt('racer', 'Version 3.', 'tap17-race')$$);
SELECT tests.remote_exec('setup', 'COMMIT');

-- Two rollbacks at once, to versions 1 and 2: the second waits for the agent's row lock, then moves the
-- pointer from where the first left it.
SELECT tests.remote_begin('first', 'player', tests.v('racer')::uuid);
SELECT tests.remote_value('first', $$SELECT version FROM api.activate_prompt('racer', 1, 'tap17-race')$$);
SELECT tests.remote_begin('second', 'player', tests.v('racer')::uuid);
SELECT tests.dblink_send_query('second', $$SELECT version FROM api.activate_prompt('racer', 2, 'tap17-race')$$);
SELECT is(tests.blocked_by(tests.v('second_pid')::integer), ARRAY[tests.v('first_pid')::integer],
  'a second activate_prompt of the same agent waits for the first one''s lock on the agent');
SELECT tests.remote_exec('first', 'COMMIT');
SELECT is((SELECT v FROM tests.dblink_get_result('second') AS t(v text)), '2', 'the waiting activation then succeeds');
SELECT count(*) FROM tests.dblink_get_result('second') AS t(v text);  -- the end of the results frees the connection
SELECT tests.remote_exec('second', 'COMMIT');
SELECT is(tests.remote_value('setup', $$SELECT string_agg(version || ':' || is_active, ',' ORDER BY version) FROM app.agent_prompts p
                                         JOIN app.worlds w ON w.id = p.world_id WHERE w.slug = 'tap17-race'$$),
  '1:false,2:true,3:false', 'after two racing rollbacks exactly one version is active: the later one');

-- A publication racing a rollback: the same lock; the publication made later is the active one.
SELECT tests.remote_begin('first', 'player', tests.v('racer')::uuid);
SELECT tests.remote_value('first', $$SELECT version FROM api.activate_prompt('racer', 1, 'tap17-race')$$);
SELECT tests.remote_begin('second', 'player', tests.v('racer')::uuid);
SELECT tests.dblink_send_query('second', $$SELECT version FROM api.publish_prompt('racer', 'Version 4.', 'tap17-race', 'raced')$$);
SELECT is(tests.blocked_by(tests.v('second_pid')::integer), ARRAY[tests.v('first_pid')::integer],
  'a publication waits for a rollback of the same agent');
SELECT tests.remote_exec('first', 'COMMIT');
SELECT is((SELECT v FROM tests.dblink_get_result('second') AS t(v text)), '4', 'the waiting publication appends version 4');
SELECT count(*) FROM tests.dblink_get_result('second') AS t(v text);
SELECT tests.remote_exec('second', 'COMMIT');
SELECT is(tests.remote_value('setup', $$SELECT string_agg(version || ':' || is_active, ',' ORDER BY version) FROM app.agent_prompts p
                                         JOIN app.worlds w ON w.id = p.world_id WHERE w.slug = 'tap17-race'$$),
  '1:false,2:false,3:false,4:true', 'after a publication raced a rollback exactly one version is active: the new one');
SELECT is(tests.remote_value('setup', $$SELECT string_agg(x.version::text, ',' ORDER BY x.id) FROM app.agent_prompt_activations x
                                         JOIN app.worlds w ON w.id = x.world_id WHERE w.slug = 'tap17-race'$$),
  '1,2,3,1,2,1,4', 'every pointer move is in the audit, in commit order');
SELECT tests.remote_cleanup();
SELECT tests.remote_disconnect(c) FROM unnest(ARRAY['setup', 'first', 'second']) c;

-- Fixtures, as the owner ===========================================================================

SELECT tests.create_user(n) FROM unnest(ARRAY['owner', 'editor', 'member', 'outsider', 'visitor', 'banned']) AS n;
CREATE TABLE tests.w (name text PRIMARY KEY, ord integer NOT NULL, id uuid, slug text);
INSERT INTO tests.w VALUES ('installation', 4, NULL, NULL);
WITH new AS (
  INSERT INTO app.worlds (slug, name, owner_id, visibility)
  VALUES ('tap17-private', 'Private', tests.id_of('owner'), 'private'),
         ('tap17-unlisted', 'Unlisted', tests.id_of('owner'), 'unlisted'),
         ('tap17-public', 'Public', tests.id_of('owner'), 'public')
  RETURNING id, slug)
INSERT INTO tests.w SELECT substr(slug, 7), CASE substr(slug, 7) WHEN 'private' THEN 1 WHEN 'unlisted' THEN 2 ELSE 3 END, id, slug FROM new;
INSERT INTO app.world_members (world_id, user_id, role)
SELECT w.id, tests.id_of(m.who), m.who FROM tests.w w CROSS JOIN (VALUES ('owner'), ('editor'), ('member')) m(who) WHERE w.id IS NOT NULL;
INSERT INTO app.world_visitors (world_id, user_id) SELECT id, tests.id_of('visitor') FROM tests.w WHERE name = 'unlisted';
INSERT INTO app.world_bans (world_id, user_id, reason) SELECT id, tests.id_of('banned'), 'spam' FROM tests.w WHERE id IS NOT NULL;
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;

-- In each world (and the installation): tap17-a, active; tap17-s, suspended; tap17-i, inactive. One
-- prompt version each.
INSERT INTO app.agents (world_id, slug, name, role, emoji, sprite_key, greeting, routing_keywords, is_active, moderation_status, moderation_reason)
SELECT w.id, 'tap17-' || k, 'Agent ' || k, 'Tester', '🧪', 'archie', 'Hello.', '{tap17word}', k <> 'i',
       CASE k WHEN 's' THEN 'suspended' ELSE 'active' END, CASE k WHEN 's' THEN 'a test' END
  FROM tests.w w CROSS JOIN unnest(ARRAY['a', 's', 'i']) k;
INSERT INTO app.agent_prompts (agent_id, version, system_prompt, is_active)
SELECT id, 1, 'You are ' || name || '.', true FROM app.agents WHERE slug LIKE 'tap17-%';
INSERT INTO app.agent_prompt_activations (agent_id, version, activated_by_role)
SELECT id, 1, 'owner' FROM app.agents WHERE slug LIKE 'tap17-%';
CREATE TABLE tests.agent_ids AS SELECT id FROM app.agents WHERE slug LIKE 'tap17-%';
GRANT SELECT ON tests.w, tests.agent_ids TO web_anon, player, agent_service, content_admin;

-- The matrix: world roles x worlds x operations ======================================================

-- What each operation gives: n=<rows seen>, rows=<rows changed>, ok, or the error code.
CREATE TABLE tests.agent_ops (op text PRIMARY KEY, ord integer, sql text);
INSERT INTO tests.agent_ops VALUES
  ('agents',  1, $$SELECT count(*) FROM api.agents WHERE world_id IS NOT DISTINCT FROM %1$L AND slug LIKE 'tap17-%%'$$),
  ('prompts', 2, $$SELECT count(*) FROM api.agent_prompts WHERE world_id IS NOT DISTINCT FROM %1$L AND agent_slug LIKE 'tap17-%%'$$),
  ('audit',   3, $$SELECT count(*) FROM app.agent_prompt_activations x
                    WHERE x.world_id IS NOT DISTINCT FROM %1$L AND x.agent_id IN (SELECT t.id FROM tests.agent_ids t)$$),
  ('patch',   4, $$UPDATE api.agents SET greeting = 'Patched.' WHERE world_id IS NOT DISTINCT FROM %1$L AND slug LIKE 'tap17-%%'$$),
  ('publish', 5, $$SELECT api.publish_prompt('tap17-a', 'A new version.', %2$L)$$),
  ('suspend', 6, $$SELECT api.suspend_agent('tap17-a', 'matrix', %2$L)$$),
  ('export',  7, $$SELECT api.export_character_card('tap17-a', %2$L)$$),
  ('chat',    8, $$SELECT api.start_chat('tap17-a', NULL, %2$L)$$);

-- Expectations, one row per role and world: agents prompts audit patch publish suspend export chat.
CREATE TABLE tests.agent_access (role text, world text, expected text, PRIMARY KEY (role, world));
INSERT INTO tests.agent_access VALUES
  ('owner',         'private',      'n=3 n=3 n=3 rows=3 ok 42501 ok ok'),
  ('owner',         'unlisted',     'n=3 n=3 n=3 rows=3 ok 42501 ok ok'),
  ('owner',         'public',       'n=3 n=3 n=3 rows=3 ok 42501 ok ok'),
  ('owner',         'installation', 'n=1 n=0 n=0 rows=0 PT403 42501 PT403 ok'),
  ('editor',        'private',      'n=3 n=3 n=3 rows=3 ok 42501 ok ok'),
  ('editor',        'unlisted',     'n=3 n=3 n=3 rows=3 ok 42501 ok ok'),
  ('editor',        'public',       'n=3 n=3 n=3 rows=3 ok 42501 ok ok'),
  ('editor',        'installation', 'n=1 n=0 n=0 rows=0 PT403 42501 PT403 ok'),
  ('member',        'private',      'n=1 n=0 n=0 rows=0 PT403 42501 PT403 ok'),
  ('member',        'unlisted',     'n=1 n=0 n=0 rows=0 PT403 42501 PT403 ok'),
  ('member',        'public',       'n=1 n=0 n=0 rows=0 PT403 42501 PT403 ok'),
  ('member',        'installation', 'n=1 n=0 n=0 rows=0 PT403 42501 PT403 ok'),
  ('outsider',      'private',      'n=0 n=0 n=0 rows=0 PT404 42501 PT404 PT404'),
  -- An unlisted world is open to whoever has its slug: asking for it makes the outsider a visitor.
  ('outsider',      'unlisted',     'n=0 n=0 n=0 rows=0 PT403 42501 PT403 ok'),
  ('outsider',      'public',       'n=1 n=0 n=0 rows=0 PT403 42501 PT403 ok'),
  ('outsider',      'installation', 'n=1 n=0 n=0 rows=0 PT403 42501 PT403 ok'),
  ('visitor',       'private',      'n=0 n=0 n=0 rows=0 PT404 42501 PT404 PT404'),
  ('visitor',       'unlisted',     'n=1 n=0 n=0 rows=0 PT403 42501 PT403 ok'),
  ('visitor',       'public',       'n=1 n=0 n=0 rows=0 PT403 42501 PT403 ok'),
  ('visitor',       'installation', 'n=1 n=0 n=0 rows=0 PT403 42501 PT403 ok'),
  ('banned',        'private',      'n=0 n=0 n=0 rows=0 PT404 42501 PT404 PT404'),
  ('banned',        'unlisted',     'n=0 n=0 n=0 rows=0 PT404 42501 PT404 PT404'),
  ('banned',        'public',       'n=0 n=0 n=0 rows=0 PT404 42501 PT404 PT404'),
  ('banned',        'installation', 'n=1 n=0 n=0 rows=0 PT403 42501 PT403 ok'),
  ('web_anon',      'private',      'n=0 42501 42501 42501 42501 42501 42501 42501'),
  ('web_anon',      'unlisted',     'n=0 42501 42501 42501 42501 42501 42501 42501'),
  ('web_anon',      'public',       'n=1 42501 42501 42501 42501 42501 42501 42501'),
  ('web_anon',      'installation', 'n=1 42501 42501 42501 42501 42501 42501 42501'),
  -- agent_service answers every world's active agents (a suspended one too: its replies are refused).
  ('agent_service', 'private',      'n=2 n=2 n=3 42501 42501 42501 ok 42501'),
  ('agent_service', 'unlisted',     'n=2 n=2 n=3 42501 42501 42501 ok 42501'),
  ('agent_service', 'public',       'n=2 n=2 n=3 42501 42501 42501 ok 42501'),
  ('agent_service', 'installation', 'n=2 n=2 n=3 42501 42501 42501 ok 42501'),
  -- content_admin: the installation's agents, and a public world's to look at; suspends any agent.
  ('content_admin', 'private',      'n=0 n=0 n=0 rows=0 PT404 ok PT404 42501'),
  ('content_admin', 'unlisted',     'n=0 n=0 n=0 rows=0 PT404 ok PT404 42501'),
  ('content_admin', 'public',       'n=3 n=0 n=0 rows=0 PT403 ok PT403 42501'),
  ('content_admin', 'installation', 'n=3 n=3 n=3 rows=3 ok ok ok 42501');

CREATE TABLE tests.agent_cells (role text, world text, op text, ord integer, outcome text);
GRANT SELECT, INSERT ON tests.agent_cells, tests.agent_ops TO web_anon, player, agent_service, content_admin;

-- Runs every cell as its role in a subtransaction that is rolled back, so no cell sees another's writes.
CREATE FUNCTION tests.run_agent_cells() RETURNS void
  LANGUAGE plpgsql AS $$
DECLARE
  r text;
  w tests.w;
  o tests.agent_ops;
  n bigint;
  st text;
  msg text;
  results text[] := '{}';
BEGIN
  FOREACH r IN ARRAY ARRAY['owner', 'editor', 'member', 'outsider', 'visitor', 'banned', 'web_anon', 'agent_service', 'content_admin'] LOOP
    FOR w IN SELECT * FROM tests.w ORDER BY ord LOOP
      FOR o IN SELECT * FROM tests.agent_ops ORDER BY ord LOOP
        CASE r
          WHEN 'web_anon' THEN PERFORM tests.clear_authentication();
          WHEN 'agent_service' THEN PERFORM tests.authenticate_service('agent_service');
          WHEN 'content_admin' THEN PERFORM tests.authenticate_service('content_admin');
          ELSE PERFORM tests.authenticate_as((SELECT a.id FROM tests.actors a WHERE a.name = r));
        END CASE;
        BEGIN
          IF o.op = 'patch' THEN
            EXECUTE format(o.sql, w.id, w.slug);
            GET DIAGNOSTICS n = ROW_COUNT;
            msg := 'rows=' || n;
          ELSIF o.op IN ('agents', 'prompts', 'audit') THEN
            EXECUTE format(o.sql, w.id, w.slug) INTO n;
            msg := 'n=' || n;
          ELSE
            EXECUTE format(o.sql, w.id, w.slug);
            msg := 'ok';
          END IF;
          RAISE EXCEPTION USING ERRCODE = 'P0099', MESSAGE = msg;
        EXCEPTION WHEN OTHERS THEN
          GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
          results := results || ARRAY[r, w.name, o.op, o.ord::text,
            CASE WHEN st = 'P0099' THEN msg WHEN st = 'PGRST' THEN msg::jsonb ->> 'code' ELSE st END];
        END;
      END LOOP;
    END LOOP;
  END LOOP;
  PERFORM tests.as_owner();
  INSERT INTO tests.agent_cells
  SELECT results[i], results[i + 1], results[i + 2], results[i + 3]::integer, results[i + 4]
    FROM generate_series(1, cardinality(results), 5) i;
END
$$;
GRANT EXECUTE ON FUNCTION tests.run_agent_cells() TO web_anon, player, agent_service, content_admin;
SELECT tests.run_agent_cells();

SELECT is((SELECT count(*) FROM tests.agent_access), 9 * 4::bigint, 'the matrix expects every role in every world');
SELECT is(string_agg(c.outcome, ' ' ORDER BY c.ord), a.expected, format('%s in the %s world: %s', a.role, a.world,
            (SELECT string_agg(op, ' ' ORDER BY ord) FROM tests.agent_ops)))
  FROM tests.agent_access a JOIN tests.agent_cells c ON c.role = a.role AND c.world = a.world
 GROUP BY a.role, a.world, a.expected
 ORDER BY a.role, a.world;

-- Prompt versions are immutable and append-only =====================================================

-- as the owner (no grant stops it; the triggers do)
SELECT throws_ok($$UPDATE app.agent_prompts SET system_prompt = 'rewritten' WHERE agent_id IN (SELECT id FROM tests.agent_ids)$$,
  '23514', 'a published prompt version cannot be changed', 'a version''s text cannot be rewritten, not even by the owner');
SELECT throws_ok($$UPDATE app.agent_prompts SET note = 'backdated' WHERE agent_id IN (SELECT id FROM tests.agent_ids)$$,
  '23514', 'a published prompt version cannot be changed', 'a version''s note cannot be changed');
SELECT throws_ok($$UPDATE app.agent_prompts SET card = '{}' WHERE agent_id IN (SELECT id FROM tests.agent_ids)$$,
  '23514', 'a published prompt version cannot be changed', 'a version''s card cannot be changed');
SELECT throws_ok($$UPDATE app.agent_prompt_activations SET activated_at = now() - interval '1 year'$$,
  '23514', 'a published prompt version cannot be changed', 'an activation cannot be rewritten');
SELECT throws_ok($$UPDATE app.agents SET world_id = NULL WHERE id IN (SELECT id FROM tests.agent_ids) AND world_id IS NOT NULL$$,
  '23514', 'an agent cannot move to another world', 'an agent stays in its world');
SELECT throws_ok($$INSERT INTO app.agent_prompts (agent_id, version, system_prompt) SELECT id, 1, 'again' FROM app.agents WHERE slug = 'tap17-a' AND world_id IS NULL$$,
  '23514', NULL, 'a version number is never used twice');
-- as the owner of the public world
SELECT tests.authenticate_as(tests.id_of('owner'));
SELECT throws_ok($$DELETE FROM app.agent_prompts$$, '42501', 'permission denied for table agent_prompts', 'an editor deletes no version');
SELECT throws_ok($$UPDATE app.agent_prompts SET is_active = false$$, '42501', 'permission denied for table agent_prompts',
  'an editor moves the pointer only through activate_prompt');
SELECT throws_ok($$UPDATE api.agents SET moderation_status = 'active' WHERE slug = 'tap17-s'$$, '42501', 'permission denied for table agents',
  'an editor cannot lift a suspension by PATCH');
SELECT throws_ok($$UPDATE api.agents SET slug = 'renamed' WHERE slug = 'tap17-a'$$, '42501', 'permission denied for table agents',
  'PATCH /agents changes display fields only, not the slug');
SELECT throws_ok($$UPDATE api.agents SET sprite_key = 'nobody' WHERE slug = 'tap17-a' AND world_id IS NOT NULL$$, '23503', NULL,
  'a sprite_key outside the registry is refused');
SELECT throws_ok($$UPDATE api.agents SET name = E'Evil\u202egpj' WHERE slug = 'tap17-a' AND world_id IS NOT NULL$$, '23514', NULL,
  'a name with a bidi control is refused');
SELECT throws_ok($$UPDATE api.agents SET greeting = repeat('x', 2001) WHERE slug = 'tap17-a' AND world_id IS NOT NULL$$, '23514', NULL,
  'a greeting over 2000 characters is refused');
SELECT throws_ok($$UPDATE api.agents SET routing_keywords = ARRAY[repeat('k', 33)] WHERE slug = 'tap17-a' AND world_id IS NOT NULL$$, '23514', NULL,
  'a keyword over 32 characters is refused');
SELECT throws_ok($$UPDATE api.agents SET routing_keywords = ARRAY['two words'] WHERE slug = 'tap17-a' AND world_id IS NOT NULL$$, '23514', NULL,
  'a keyword with a space is refused (each keyword is matched whole)');

-- publish, activate and the audit ======================================================================

SELECT results_eq($$SELECT version, is_active, note, created_by, created_by_role, activated_by, activated_by_role
                      FROM api.publish_prompt('tap17-a', 'Version two.', 'tap17-public', 'clearer tone')$$,
  format($$VALUES (2, true, 'clearer tone', %1$L::uuid, 'player', %1$L::uuid, 'player')$$, tests.id_of('owner')),
  'publish_prompt appends version 2 with its note and author, made active by its author');
SELECT tests.authenticate_as(tests.id_of('editor'));
SELECT results_eq($$SELECT version, is_active, system_prompt, activated_by FROM api.activate_prompt('tap17-a', 1, 'tap17-public')$$,
  format($$VALUES (1, true, 'You are Agent a.', %L::uuid)$$, tests.id_of('editor')),
  'activate_prompt rolls back to version 1, recorded as the editor''s move');
SELECT results_eq($$SELECT version, is_active FROM api.agent_prompts WHERE agent_slug = 'tap17-a' AND world_id = (SELECT id FROM tests.w WHERE name = 'public') ORDER BY version$$,
  $$VALUES (1, true), (2, false)$$, 'exactly one version is active after a rollback; version 2 stays');
SELECT results_eq($$SELECT x.version, x.activated_by FROM app.agent_prompt_activations x JOIN app.agents a ON a.id = x.agent_id
                     WHERE a.slug = 'tap17-a' AND a.world_id = (SELECT id FROM tests.w WHERE name = 'public') ORDER BY x.id$$,
  format($$VALUES (1, NULL::uuid), (2, %L::uuid), (1, %L::uuid)$$, tests.id_of('owner'), tests.id_of('editor')),
  'the audit keeps every move of the pointer: who and which version');
SELECT tests.api_throws_ok($$SELECT api.activate_prompt('tap17-a', 9, 'tap17-public')$$, 'PT404', 'unknown prompt version',
  'activate_prompt refuses a version that does not exist');
SELECT throws_ok($$SELECT api.activate_prompt('tap17-a', 0, 'tap17-public')$$, '22023', 'version must be a positive integer',
  'activate_prompt refuses version 0');
SELECT throws_ok($$SELECT api.publish_prompt('tap17-a', 'x', 'tap17-public', repeat('n', 501))$$, '22023', 'malformed prompt note',
  'a note over 500 characters is refused');
SELECT throws_ok($$SELECT api.publish_prompt('tap17-a', repeat('p', 32001), 'tap17-public')$$, '22023', 'a system prompt has 1 to 32000 characters',
  'a prompt over 32000 characters is refused');

-- create_agent ==========================================================================================

SELECT results_eq($$SELECT slug::text, name, world_id, moderation_status FROM api.create_agent('tap17-public', 'tide', '  Tide Keeper ', 'Oceanographer', '🌊',
                     'steven', 'The tide is high.', 'You know the tides.', '{tide,tides,moon}')$$,
  $$VALUES ('tide', 'Tide Keeper', (SELECT id FROM tests.w WHERE name = 'public'), 'active')$$,
  'an editor creates an agent in their world; the name is trimmed');
SELECT results_eq($$SELECT version, is_active, system_prompt FROM api.agent_prompts WHERE agent_slug = 'tide'$$,
  $$VALUES (1, true, 'You know the tides.')$$, 'the new agent has its first prompt version, active');
SELECT tests.api_throws_ok($$SELECT api.create_agent('tap17-public', 'tide', 'Tide', 'R', 'x', 'archie', 'Hi.', 'P.')$$, 'PT409',
  'this agent slug is taken in this world', 'a slug taken in the world is a 409');
SELECT lives_ok($$SELECT api.create_agent('tap17-private', 'tide', 'Tide', 'R', 'x', 'archie', 'Hi.', 'P.')$$,
  'the same slug in another world is free');
SELECT lives_ok($$SELECT api.create_agent('tap17-private', 'scout', 'My Scout', 'R', 'x', 'archie', 'Hi.', 'P.')$$,
  'a world may have its own agent with an installation agent''s slug');
SELECT throws_ok($$SELECT api.create_agent('tap17-public', 'x1', E'Zero\u200bWidth', 'R', 'x', 'archie', 'Hi.', 'P.')$$, '22023',
  'an agent name must not contain control, invisible, format, bidi or unassigned characters', 'an invisible character in a name is refused');
SELECT throws_ok($$SELECT api.create_agent('tap17-public', 'x1', repeat('n', 65), 'R', 'x', 'archie', 'Hi.', 'P.')$$, '22023',
  'an agent name has 1 to 64 characters', 'a name over 64 characters is refused');
SELECT throws_ok($$SELECT api.create_agent('tap17-public', 'x1', 'N', repeat('r', 65), 'x', 'archie', 'Hi.', 'P.')$$, '22023',
  'malformed agent role', 'a role over 64 characters is refused');
SELECT throws_ok($$SELECT api.create_agent('tap17-public', 'x1', 'N', 'R', 'x', 'nobody', 'Hi.', 'P.')$$, '22023',
  'unknown agent sprite', 'a sprite outside the registry is refused');
SELECT throws_ok($$SELECT api.create_agent('tap17-public', 'x1', 'N', 'R', 'x', 'archie', repeat('g', 2001), 'P.')$$, '22023',
  'malformed agent greeting', 'a greeting over 2000 characters is refused');
SELECT throws_ok($$SELECT api.create_agent('tap17-public', 'x1', 'N', 'R', 'x', 'archie', E'Hi\u0007', 'P.')$$, '22023',
  'malformed agent greeting', 'a greeting with a control character is refused');
SELECT throws_ok($$SELECT api.create_agent('tap17-public', 'x1', 'N', 'R', 'x', 'archie', 'Hi.', 'P.', ARRAY(SELECT 'k' || g FROM generate_series(1, 33) g))$$,
  '22023', 'malformed routing keywords', '33 keywords are refused');
SELECT throws_ok($$SELECT api.create_agent('tap17-public', 'x1', 'N', 'R', 'x', 'archie', 'Hi.', 'P.', ARRAY['Upper'])$$,
  '22023', 'malformed routing keywords', 'an upper-case keyword is refused');
SELECT throws_ok($$SELECT api.create_agent('tap17-public', 'Bad Slug', 'N', 'R', 'x', 'archie', 'Hi.', 'P.')$$,
  '22023', 'malformed agent slug', 'a malformed slug is refused');
SELECT throws_ok($$SELECT api.create_agent('tap17-public', 'x1', 'N', 'R', 'x', 'archie', 'Hi.', '   ')$$,
  '22023', 'a system prompt has 1 to 32000 characters', 'a blank prompt is refused');
SELECT throws_ok($$SELECT api.create_agent(NULL, 'x1', 'N', 'R', 'x', 'archie', 'Hi.', 'P.')$$,
  '22023', 'world_slug is required', 'create_agent needs a world');
SELECT tests.authenticate_as(tests.id_of('member'));
SELECT tests.api_throws_ok($$SELECT api.create_agent('tap17-public', 'x1', 'N', 'R', 'x', 'archie', 'Hi.', 'P.')$$, 'PT403',
  'only the world''s owner and editors manage its agents', 'a member may not create agents');
SELECT tests.authenticate_as(tests.id_of('outsider'));
SELECT tests.api_throws_ok($$SELECT api.create_agent('tap17-private', 'x1', 'N', 'R', 'x', 'archie', 'Hi.', 'P.')$$, 'PT404',
  'unknown world', 'an outsider learns nothing of a private world');
-- The limit (a setting): the public world has tap17-a, -s, -i and tide; allow 5.
SELECT tests.as_owner();
UPDATE app.world_settings SET max_agents_per_world = 5;
SELECT tests.authenticate_as(tests.id_of('owner'));
SELECT lives_ok($$SELECT api.create_agent('tap17-public', 'fifth', 'Fifth', 'R', 'x', 'archie', 'Hi.', 'P.')$$, 'the fifth agent fits');
SELECT tests.api_throws_ok($$SELECT api.create_agent('tap17-public', 'sixth', 'Sixth', 'R', 'x', 'archie', 'Hi.', 'P.')$$, 'PT409',
  'this world has as many agents as it may', 'the sixth is refused: app.world_settings.max_agents_per_world');
SELECT tests.as_owner();
SELECT is((SELECT max_agents_per_world FROM app.world_settings), 5, 'the limit is the setting (default 20)');
UPDATE app.world_settings SET max_agents_per_world = 20;

-- Moderation =============================================================================================

-- as a member of the public world, chatting with tide
SELECT tests.authenticate_as(tests.id_of('member'));
INSERT INTO tests.v VALUES ('tide_session', (SELECT id::text FROM api.start_chat('tide', NULL, 'tap17-public')));
SELECT lives_ok(format($$SELECT api.send_message(%L, 'Hello tide')$$, tests.v('tide_session')), 'the member talks to tide');
SELECT tests.authenticate_service('content_admin');
SELECT results_eq($$SELECT moderation_status, moderation_reason FROM api.suspend_agent('tide', 'impersonation', 'tap17-public')$$,
  $$VALUES ('suspended', 'impersonation')$$, 'content_admin suspends a world''s agent with a reason');
SELECT throws_ok($$SELECT api.suspend_agent('tide', '', 'tap17-public')$$, '22023', 'a suspension needs a reason of 1 to 500 characters',
  'a suspension needs a reason');
SELECT tests.authenticate_as(tests.id_of('member'));
SELECT is_empty($$SELECT FROM api.agents WHERE slug = 'tide' AND world_id = (SELECT id FROM tests.w WHERE name = 'public')$$, 'a suspended agent disappears from GET /agents for players');
SELECT tests.api_throws_ok(format($$SELECT api.send_message(%L, 'Are you there?')$$, tests.v('tide_session')), 'PT403',
  'this agent is suspended', 'a suspended agent refuses new messages with a clear error');
SELECT results_eq(format($$SELECT content FROM api.chat_messages WHERE session_id = %L ORDER BY id$$, tests.v('tide_session')),
  ARRAY['The tide is high.', 'Hello tide'], 'its chat stays readable to the participant');
SELECT tests.api_throws_ok($$SELECT api.start_chat('tide', NULL, 'tap17-public')$$, 'PT404', 'unknown agent',
  'a suspended agent cannot be chatted with anew');
SELECT tests.authenticate_service('agent_service');
SELECT tests.api_throws_ok(format($$SELECT api.post_agent_reply(%L, 'I am back')$$, tests.v('tide_session')), 'PT403',
  'this agent is suspended', 'the worker''s reply is refused too');
SELECT tests.authenticate_as(tests.id_of('editor'));
SELECT results_eq($$SELECT moderation_status, moderation_reason FROM api.agents WHERE slug = 'tide' AND world_id = (SELECT id FROM tests.w WHERE name = 'public')$$,
  $$VALUES ('suspended', 'impersonation')$$, 'the world''s editors still see their suspended agent, with status and reason');
SELECT tests.authenticate_service('content_admin');
SELECT results_eq($$SELECT moderation_status, moderation_reason FROM api.restore_agent('tide', 'tap17-public')$$,
  $$VALUES ('active', NULL::text)$$, 'content_admin restores it');
SELECT tests.authenticate_as(tests.id_of('member'));
SELECT lives_ok(format($$SELECT api.send_message(%L, 'Welcome back')$$, tests.v('tide_session')), 'a restored agent takes messages again');

-- Routing and chat within a world ====================================================================

-- The public world's agent tide shares the keyword 'research' with scout: a tie goes to the world's.
SELECT tests.authenticate_as(tests.id_of('owner'));
SELECT is(tests.row_count($$UPDATE api.agents SET routing_keywords = '{research}' WHERE slug = 'tide' AND world_id = (SELECT id FROM tests.w WHERE name = 'public')$$), 1::bigint, 'the owner PATCHes the keywords');
SELECT results_eq($$SELECT api.route_agent('please research this', 'tap17-public')$$,
  $$VALUES ('{"agent_slug": "tide", "score": 1, "world_slug": "tap17-public"}'::jsonb)$$, 'on a tie the world''s agent wins');
SELECT results_eq($$SELECT api.route_agent('please research this')$$,
  $$VALUES ('{"agent_slug": "scout", "score": 1}'::jsonb)$$, 'without a world only the installation''s agents route');
SELECT results_eq($$SELECT api.route_agent('find research papers', 'tap17-public')$$,
  $$VALUES ('{"agent_slug": "scout", "score": 3}'::jsonb)$$, 'a higher score beats the world''s agent');
SELECT tests.authenticate_as(tests.id_of('outsider'));
SELECT tests.api_throws_ok($$SELECT api.route_agent('tap17word', 'tap17-private')$$, 'PT404', 'unknown world',
  'an outsider cannot route into a private world');
SELECT tests.api_throws_ok($$SELECT api.start_chat('tap17-a', NULL, 'tap17-private')$$, 'PT404', 'unknown agent',
  'an outsider cannot chat with a private world''s agent');
SELECT tests.authenticate_as(tests.id_of('member'));
SELECT results_eq($$SELECT agent_id FROM api.start_chat('scout', NULL, 'tap17-private')$$,
  $$SELECT id FROM app.agents WHERE slug = 'scout' AND world_id = (SELECT id FROM tests.w WHERE name = 'private')$$,
  'in a world, start_chat finds the world''s own scout before the installation''s');
SELECT results_eq($$SELECT agent_id FROM api.start_chat('sage', NULL, 'tap17-private')$$,
  $$SELECT id FROM app.agents WHERE slug = 'sage' AND world_id IS NULL$$,
  'and the installation''s agent where the world has none of that slug');
SELECT tests.as_owner();
SELECT is(app.agent_id_in_world((SELECT id FROM tests.w WHERE name = 'private'), 'scout'),
          (SELECT id FROM app.agents WHERE slug = 'scout' AND world_id = (SELECT id FROM tests.w WHERE name = 'private')),
  'app.agent_id_in_world: the world''s agent first');
SELECT is(app.agent_id_in_world((SELECT id FROM tests.w WHERE name = 'public'), 'scout'),
          (SELECT id FROM app.agents WHERE slug = 'scout' AND world_id IS NULL), 'app.agent_id_in_world: else the installation''s');
SELECT is(app.agent_id_in_world((SELECT id FROM tests.w WHERE name = 'public'), 'nobody'), NULL, 'app.agent_id_in_world: else NULL');
-- A member removed from a private world may no longer write to its agent; the chat stays readable.
SELECT tests.authenticate_as(tests.id_of('member'));
INSERT INTO tests.v VALUES ('private_session', (SELECT id::text FROM api.start_chat('tap17-a', NULL, 'tap17-private')));
SELECT tests.as_owner();
DELETE FROM app.world_members WHERE user_id = tests.id_of('member') AND world_id = (SELECT id FROM tests.w WHERE name = 'private');
SELECT tests.authenticate_as(tests.id_of('member'));
SELECT tests.api_throws_ok(format($$SELECT api.send_message(%L, 'still here?')$$, tests.v('private_session')), 'PT403',
  'you may no longer enter this agent''s world', 'a former member writes no more to a private world''s agent');
SELECT isnt_empty(format($$SELECT FROM api.chat_messages WHERE session_id = %L$$, tests.v('private_session')),
  'but reads the chat they had');

-- Character Card V2 ===================================================================================

SELECT tests.authenticate_as(tests.id_of('owner'));
INSERT INTO tests.v VALUES ('card', $${"spec": "chara_card_v2", "spec_version": "2.0", "data": {"name": "Captain Nemo", "description": "A submarine captain.",
  "personality": "brooding", "scenario": "Aboard the Nautilus.", "first_mes": "Welcome aboard.\r\nMind the hatch.", "mes_example": "",
  "creator_notes": "", "system_prompt": "", "post_history_instructions": "", "alternate_greetings": ["Ahoy"],
  "tags": ["Sea", "sci-fi", "Jules Verne"], "creator": "tap17", "character_version": "1", "extensions": {"depth_prompt": {"depth": 4, "prompt": "x"}, "fav": true}}}$$);
SELECT results_eq($$SELECT slug::text, name, greeting, routing_keywords, role, emoji, sprite_key FROM api.import_character_card('tap17-public', tests.v('card')::jsonb)$$,
  $$VALUES ('captain-nemo', 'Captain Nemo', E'Welcome aboard.\nMind the hatch.', '{sea,sci-fi}'::text[], 'Character', '🎭', 'archie')$$,
  'import: the slug from the name, first_mes as greeting, tags that fit as keywords, the documented defaults');
SELECT results_eq($$SELECT system_prompt FROM api.agent_prompts WHERE agent_slug = 'captain-nemo'$$,
  ARRAY[E'A submarine captain.\n\nPersonality: brooding\n\nScenario: Aboard the Nautilus.'],
  'import: the prompt is composed from system_prompt, description, personality and scenario');
SELECT is(api.export_character_card('captain-nemo', 'tap17-public'), tests.v('card')::jsonb, 'export gives the imported card back, extensions included');
SELECT tests.api_throws_ok($$SELECT api.import_character_card('tap17-public', tests.v('card')::jsonb)$$, 'PT409',
  'this agent slug is taken in this world', 'importing again under the same slug is a 409');
SELECT throws_ok($$SELECT api.import_character_card('tap17-public', jsonb_set(tests.v('card')::jsonb, '{spec}', '"chara_card_v3"'))$$, '22023',
  'not a Character Card V2: spec must be chara_card_v2', 'a wrong spec is a readable 400');
SELECT throws_ok($$SELECT api.import_character_card('tap17-public', tests.v('card')::jsonb #- '{data,name}', 'nameless')$$, '22023',
  'the character card has no name', 'a card without a name is a readable 400');
SELECT throws_ok($$SELECT api.import_character_card('tap17-public', jsonb_set(tests.v('card')::jsonb, '{data,description}', to_jsonb(repeat('d', 262144))), 'big')$$, '22023',
  'the character card is larger than 256 KB', 'a card over 256 KB is a readable 400');
SELECT is(tests.row_count($$UPDATE api.agents SET name = 'Nemo' WHERE slug = 'captain-nemo'$$), 1::bigint, 'the owner renames the imported agent');
SELECT is(api.export_character_card('captain-nemo', 'tap17-public') #>> '{data,name}', 'Nemo', 'export writes a later name into the card');
SELECT is(api.export_character_card('captain-nemo', 'tap17-public') -> 'data' -> 'extensions', tests.v('card')::jsonb -> 'data' -> 'extensions',
  'and keeps its extensions');
SELECT is(api.export_character_card('tap17-a', 'tap17-public') #>> '{data,extensions,arkagentic,sprite_key}', 'archie',
  'an agent made by create_agent exports as a new card, its appearance in extensions.arkagentic');


-- A deleted world takes its agents and their prompt history along =====================================
SELECT tests.as_owner();
SELECT lives_ok($$DELETE FROM app.worlds WHERE slug = 'tap17-unlisted'$$, 'a world with agents (and no chats with them) can be deleted');
SELECT is_empty($$SELECT FROM app.agents a WHERE a.slug LIKE 'tap17-%' AND a.world_id IS NOT NULL
                    AND NOT EXISTS (SELECT FROM app.worlds w WHERE w.id = a.world_id)$$, 'its agents went with it');

SELECT * FROM finish();
ROLLBACK;
