-- Presence budget (issue 8, section 3): turns on the spot and status changes spend the move
-- allowance, so one client cannot have every watcher sent frames without limit; the same rule for
-- REST (api.move) and the bridge (realtime.apply_moves, realtime.set_status).
--
-- Time: tests.allow() puts moved_at in the future, so nothing refills until the first spend (the
-- refill is clamped at 0); an accepted spend stamps moved_at now, and what refills after it depends on
-- how long this machine took between statements. So no figure here assumes a refill "of microseconds":
-- tests.refill_since() bounds it by the time measured from a mark (tests.mark()) taken before the spends,
-- which holds however loaded the machine is.
BEGIN;
\ir helpers.psql

SELECT plan(14);

-- as the owner
INSERT INTO app.rooms (slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y)
VALUES ('budget', 'Budget', 'town', 20, 20, 5, 5);
SELECT tests.create_user('Ann');
SELECT tests.create_user('Ben');

CREATE FUNCTION tests.allow(who text, budget real) RETURNS void
  LANGUAGE sql AS $$
  UPDATE app.player_presence SET move_budget = budget, moved_at = clock_timestamp() + interval '1 hour'
   WHERE user_id = tests.id_of(who)
$$;
CREATE FUNCTION tests.budget_of(who text) RETURNS real
  LANGUAGE sql STABLE AS $$ SELECT move_budget FROM app.player_presence WHERE user_id = tests.id_of(who) $$;
CREATE FUNCTION tests.status_of(who text) RETURNS text
  LANGUAGE sql STABLE AS $$ SELECT status FROM app.player_presence WHERE user_id = tests.id_of(who) $$;
CREATE TABLE tests.marks (at timestamptz NOT NULL);
CREATE FUNCTION tests.mark() RETURNS void
  LANGUAGE sql AS $$ DELETE FROM tests.marks; INSERT INTO tests.marks VALUES (clock_timestamp()) $$;
-- The most the allowance can have refilled in room 'budget' since the mark, plus float rounding.
CREATE FUNCTION tests.refill_since_mark() RETURNS real
  LANGUAGE sql STABLE AS $$
  SELECT (extract(epoch FROM clock_timestamp() - m.at) * r.max_speed)::real + 1e-4
    FROM tests.marks m, app.rooms r WHERE r.slug = 'budget'
$$;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA tests TO player, bridge;

SELECT tests.as_bridge();
SELECT lives_ok(format($$SELECT realtime.join(%L, 'budget', 'sock-a')$$, tests.id_of('Ann')), 'Ann joins');
SELECT lives_ok(format($$SELECT realtime.join(%L, 'budget', 'sock-b')$$, tests.id_of('Ben')), 'Ben joins');

-- Moves ==========================================================================================
SELECT tests.as_owner();
SELECT tests.allow('Ann', 1);
SELECT tests.mark();
SELECT tests.as_bridge();
SELECT is(realtime.apply_moves(jsonb_build_array(
            jsonb_build_object('user_id', tests.id_of('Ann'), 'x', 5, 'y', 5, 'direction', 'up'),
            jsonb_build_object('user_id', tests.id_of('Ann'), 'x', 5, 'y', 5, 'direction', 'left'),
            jsonb_build_object('user_id', tests.id_of('Ann'), 'x', 5, 'y', 5, 'direction', 'down'),
            jsonb_build_object('user_id', tests.id_of('Ann'), 'x', 5, 'y', 5, 'direction', 'right'))), '[]'::jsonb,
  'four turns on the spot fit an allowance of one tile');
SELECT tests.as_owner();
SELECT ok(tests.budget_of('Ann') <= tests.refill_since_mark(),
  'each turn on the spot cost a quarter tile: what is left is at most what refilled since the first');
-- The fifth turn meets an allowance below a quarter tile that cannot refill (moved_at in the future).
SELECT tests.allow('Ann', 0.2);
SELECT tests.as_bridge();
SELECT is(realtime.apply_moves(jsonb_build_array(
            jsonb_build_object('user_id', tests.id_of('Ann'), 'x', 5, 'y', 5, 'direction', 'up'))) -> 0 ->> 'reason',
  'too_fast', 'a turn beyond the allowance is refused');

SELECT tests.as_owner();
SELECT tests.allow('Ann', 2);
SELECT tests.mark();
SELECT tests.authenticate_as(tests.id_of('Ann'));
SELECT lives_ok($$SELECT api.move(6, 5, 'right')$$, 'REST: a one-tile step costs one tile, as before');
SELECT lives_ok($$SELECT api.move(6, 5, 'down')$$, 'REST: a turn on the spot is accepted');
SELECT tests.as_owner();
SELECT ok(tests.budget_of('Ann') BETWEEN 0.75 - 1e-4 AND 0.75 + tests.refill_since_mark(),
  'REST spends the same: 2 - 1 - 0.25, plus at most what refilled since the first step');

-- Status ==========================================================================================
SELECT tests.allow('Ben', 1.5);
SELECT tests.as_bridge();
SELECT lives_ok(format($$SELECT realtime.set_status(%L, 'away')$$, tests.id_of('Ben')), 'a status change within the allowance');
SELECT tests.as_owner();
SELECT is(tests.budget_of('Ben'), 0.5::real, 'a status change costs one tile');
SELECT tests.as_bridge();
SELECT lives_ok(format($$SELECT realtime.set_status(%L, 'away')$$, tests.id_of('Ben')),
  'setting the status one already has is accepted ...');
SELECT tests.as_owner();
SELECT is(tests.budget_of('Ben'), 0.5::real, '... and costs nothing');
SELECT tests.as_bridge();
SELECT tests.api_throws_ok(format($$SELECT realtime.set_status(%L, 'busy')$$, tests.id_of('Ben')), 'PT429',
  'too many status changes; slow down', 'a status change beyond the allowance is refused with PT429');
SELECT tests.as_owner();
SELECT is(tests.status_of('Ben'), 'away', 'the refused change changed nothing');

SELECT * FROM finish();
ROLLBACK;
