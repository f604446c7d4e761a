-- The grant and row-level security matrix.
-- (a) What each role may do to each table and view, and which functions it may execute, read from
--     one table of expectations each.
-- (b) What that means with real rows, with requests simulated the way PostgREST makes them.
BEGIN;
\ir helpers.psql

SELECT plan(2530);

-- (a) Privileges ================================================================================

-- as the owner

-- One row per relation and privilege; one column per role. A privilege held on some columns only
-- (UPDATE of api.me, api.user_settings) counts as allowed; the columns are checked further down.
CREATE TABLE tests.relation_grants (relation text, privilege text,
  web_anon boolean, player boolean, agent_service boolean, content_admin boolean, bridge boolean);
INSERT INTO tests.relation_grants VALUES
  --  relation               privilege  web_anon player agent_service content_admin bridge
    ('api.agent_prompts',    'SELECT',  false,   true,  true,         true,         false),
    ('api.agent_prompts',    'INSERT',  false,   false, false,        false,        false),
    ('api.agent_prompts',    'UPDATE',  false,   false, false,        false,        false),
    ('api.agent_prompts',    'DELETE',  false,   false, false,        false,        false),
    ('api.agent_inbox',      'SELECT', false,   false, true ,        false,        false),
    ('api.agent_inbox',      'INSERT', false,   false, false,        false,        false),
    ('api.agent_inbox',      'UPDATE', false,   false, false,        false,        false),
    ('api.agent_inbox',      'DELETE', false,   false, false,        false,        false),
    ('api.agents',           'SELECT',  true,    true,  true,         true,         false),
    ('api.agents',           'INSERT',  false,   false, false,        true,         false),
    ('api.agents',           'UPDATE',  false,   true,  false,        true,         false),
    ('api.agents',           'DELETE',  false,   false, false,        true,         false),
    ('api.agent_sprites',    'SELECT',  true,    true,  true,         true,         false),
    ('api.agent_sprites',    'INSERT',  false,   false, false,        true,         false),
    ('api.agent_sprites',    'UPDATE',  false,   false, false,        true,         false),
    ('api.agent_sprites',    'DELETE',  false,   false, false,        true,         false),
    ('api.avatar_sprites',   'SELECT',  true,    true,  true,         true,         false),
    ('api.avatar_sprites',   'INSERT',  false,   false, false,        true,         false),
    ('api.avatar_sprites',   'UPDATE',  false,   false, false,        true,         false),
    ('api.avatar_sprites',   'DELETE',  false,   false, false,        true,         false),
    ('api.bench_baseline',   'SELECT',  true,    false, false,        false,        false),
    ('api.bench_baseline',   'INSERT',  false,   false, false,        false,        false),
    ('api.bench_baseline',   'UPDATE',  false,   false, false,        false,        false),
    ('api.bench_baseline',   'DELETE',  false,   false, false,        false,        false),
    ('api.blocked_users',    'SELECT',  false,   true,  false,        false,        false),
    ('api.blocked_users',    'INSERT',  false,   false, false,        false,        false),
    ('api.blocked_users',    'UPDATE',  false,   false, false,        false,        false),
    ('api.blocked_users',    'DELETE',  false,   false, false,        false,        false),
    ('api.buildings',        'SELECT',  true,    true,  true,         true,         false),
    ('api.buildings',        'INSERT',  false,   true , false,        true,         false),
    ('api.buildings',        'UPDATE',  false,   true , false,        true,         false),
    ('api.buildings',        'DELETE',  false,   true , false,        true,         false),
    ('api.chat_messages',   'SELECT', false,   true,  true,         false,        false),
    ('api.chat_messages',   'INSERT', false,   false, false,        false,        false),
    ('api.chat_messages',   'UPDATE', false,   false, false,        false,        false),
    ('api.chat_messages',   'DELETE', false,   false, false,        false,        false),
    ('api.chat_sessions',   'SELECT', false,   true,  true,         false,        false),
    ('api.chat_sessions',   'INSERT', false,   false, false,        false,        false),
    ('api.chat_sessions',   'UPDATE', false,   false, false,        false,        false),
    ('api.chat_sessions',   'DELETE', false,   false, false,        false,        false),
    ('api.me',               'SELECT',  false,   true,  false,        false,        false),
    ('api.me',               'INSERT',  false,   false, false,        false,        false),
    ('api.me',               'UPDATE',  false,   true,  false,        false,        false),
    ('api.me',               'DELETE',  false,   false, false,        false,        false),
    ('api.presence',        'SELECT', false,   true,  false,        false,        false),
    ('api.presence',        'INSERT', false,   false, false,        false,        false),
    ('api.presence',        'UPDATE', false,   false, false,        false,        false),
    ('api.presence',        'DELETE', false,   false, false,        false,        false),
    ('api.rooms',            'SELECT',  true,    true,  true,         true,         false),
    ('api.rooms',            'INSERT',  false,   true , false,        true,         false),
    ('api.rooms',            'UPDATE',  false,   true , false,        true,         false),
    ('api.rooms',            'DELETE',  false,   true , false,        true,         false),
    ('api.spawn_points',     'SELECT',  true,    true,  true,         true,         false),
    ('api.spawn_points',     'INSERT',  false,   true , false,        true,         false),
    ('api.spawn_points',     'UPDATE',  false,   true , false,        true,         false),
    ('api.spawn_points',     'DELETE',  false,   true , false,        true,         false),
    ('api.user_settings',    'SELECT',  false,   true,  false,        false,        false),
    ('api.user_settings',    'INSERT',  false,   false, false,        false,        false),
    ('api.user_settings',    'UPDATE',  false,   true,  false,        false,        false),
    ('api.user_settings',    'DELETE',  false,   false, false,        false,        false),
    ('api.users',            'SELECT',  false,   true,  false,        false,        false),
    ('api.users',            'INSERT',  false,   false, false,        false,        false),
    ('api.users',            'UPDATE',  false,   false, false,        false,        false),
    ('api.users',            'DELETE',  false,   false, false,        false,        false),
    -- World management (issue 11): row-level security on app and api.worlds' listing rule decide the rows.
    ('api.worlds',            'SELECT', true,    true,  true,         true,         false),
    ('api.worlds',            'INSERT', false,   false, false,        false,        false),
    ('api.worlds',            'UPDATE', false,   true,  false,        true,         false),
    ('api.worlds',            'DELETE', false,   false, false,        false,        false),
    ('api.world_members',     'SELECT', false,   true,  false,        false,        false),
    ('api.world_members',     'INSERT', false,   false, false,        false,        false),
    ('api.world_members',     'UPDATE', false,   false, false,        false,        false),
    ('api.world_members',     'DELETE', false,   false, false,        false,        false),
    ('api.world_invitations', 'SELECT', false,   true,  false,        false,        false),
    ('api.world_invitations', 'INSERT', false,   false, false,        false,        false),
    ('api.world_invitations', 'UPDATE', false,   false, false,        false,        false),
    ('api.world_invitations', 'DELETE', false,   false, false,        false,        false),
    ('api.world_bans',        'SELECT', false,   true,  false,        false,        false),
    ('api.world_bans',        'INSERT', false,   false, false,        false,        false),
    ('api.world_bans',        'UPDATE', false,   false, false,        false,        false),
    ('api.world_bans',        'DELETE', false,   false, false,        false,        false),
    ('app.agent_prompts',    'SELECT',  false,   true,  true,         true,         false),
    ('app.agent_prompts',    'INSERT',  false,   false, false,        true,         false),
    ('app.agent_prompts',    'UPDATE',  false,   false, false,        true,         false),
    ('app.agent_prompts',    'DELETE',  false,   false, false,        false,        false),
    ('app.agents',           'SELECT',  true,    true,  true,         true,         false),
    ('app.agents',           'INSERT',  false,   false, false,        true,         false),
    ('app.agents',           'UPDATE',  false,   true,  false,        true,         false),
    ('app.agents',           'DELETE',  false,   false, false,        true,         false),
    ('app.agent_prompt_activations', 'SELECT', false, true, true,     true,         false),
    ('app.agent_prompt_activations', 'INSERT', false, false, false,   false,        false),
    ('app.agent_prompt_activations', 'UPDATE', false, false, false,   false,        false),
    ('app.agent_prompt_activations', 'DELETE', false, false, false,   false,        false),
    ('app.agent_sprites',    'SELECT',  true,    true,  true,         true,         false),
    ('app.agent_sprites',    'INSERT',  false,   false, false,        true,         false),
    ('app.agent_sprites',    'UPDATE',  false,   false, false,        true,         false),
    ('app.agent_sprites',    'DELETE',  false,   false, false,        true,         false),
    ('app.avatar_sprites',   'SELECT',  true,    true,  true,         true,         false),
    ('app.avatar_sprites',   'INSERT',  false,   false, false,        true,         false),
    ('app.avatar_sprites',   'UPDATE',  false,   false, false,        true,         false),
    ('app.avatar_sprites',   'DELETE',  false,   false, false,        true,         false),
    ('app.buildings',        'SELECT',  true,    true,  true,         true,         false),
    ('app.buildings',        'INSERT',  false,   true , false,        true,         false),
    ('app.buildings',        'UPDATE',  false,   true , false,        true,         false),
    ('app.buildings',        'DELETE',  false,   true , false,        true,         false),
    ('app.chat_log', 'SELECT', false,   false, false,        false,        false),
    ('app.chat_log', 'INSERT', false,   false, false,        false,        false),
    ('app.chat_log', 'UPDATE', false,   false, false,        false,        false),
    ('app.chat_log', 'DELETE', false,   false, false,        false,        false),
    ('app.chat_log_state', 'SELECT', false,   false, false,        false,        false),
    ('app.chat_log_state', 'INSERT', false,   false, false,        false,        false),
    ('app.chat_log_state', 'UPDATE', false,   false, false,        false,        false),
    ('app.chat_log_state', 'DELETE', false,   false, false,        false,        false),
    ('app.chat_message_recipients', 'SELECT', false,   true,  false,        false,        false),
    ('app.chat_message_recipients', 'INSERT', false,   false, false,        false,        false),
    ('app.chat_message_recipients', 'UPDATE', false,   false, false,        false,        false),
    ('app.chat_message_recipients', 'DELETE', false,   false, false,        false,        false),
    ('app.chat_messages',    'SELECT',  false,   true,  true,         false,        false),
    ('app.chat_messages',    'INSERT',  false,   false, false,        false,        false),
    ('app.chat_messages',    'UPDATE',  false,   false, false,        false,        false),
    ('app.chat_messages',    'DELETE',  false,   false, false,        false,        false),
    ('app.chat_read_markers', 'SELECT', false,   true,  true,         false,        false),
    ('app.chat_read_markers', 'INSERT', false,   false, false,        false,        false),
    ('app.chat_read_markers', 'UPDATE', false,   false, false,        false,        false),
    ('app.chat_read_markers', 'DELETE', false,   false, false,        false,        false),
    ('app.chat_sessions',    'SELECT',  false,   true,  true,         false,        false),
    ('app.chat_sessions',    'INSERT',  false,   false, false,        false,        false),
    ('app.chat_sessions',    'UPDATE',  false,   false, false,        false,        false),
    ('app.chat_sessions',    'DELETE',  false,   false, false,        false,        false),
    ('app.chat_unread_counts', 'SELECT', false,  true,  true,         false,        false),
    ('app.chat_unread_counts', 'INSERT', false,  false, false,        false,        false),
    ('app.chat_unread_counts', 'UPDATE', false,  false, false,        false,        false),
    ('app.chat_unread_counts', 'DELETE', false,  false, false,        false,        false),
    ('app.player_presence',  'SELECT',  false,   false, false,        false,        false),
    ('app.player_presence',  'INSERT',  false,   false, false,        false,        false),
    ('app.player_presence',  'UPDATE',  false,   false, false,        false,        false),
    ('app.player_presence',  'DELETE',  false,   false, false,        false,        false),
    ('app.rate_limit_rules', 'SELECT', false,   false, false,        false,        false),
    ('app.rate_limit_rules', 'INSERT', false,   false, false,        false,        false),
    ('app.rate_limit_rules', 'UPDATE', false,   false, false,        false,        false),
    ('app.rate_limit_rules', 'DELETE', false,   false, false,        false,        false),
    ('app.rate_limit_state', 'SELECT', false,   false, false,        false,        false),
    ('app.rate_limit_state', 'INSERT', false,   false, false,        false,        false),
    ('app.rate_limit_state', 'UPDATE', false,   false, false,        false,        false),
    ('app.rate_limit_state', 'DELETE', false,   false, false,        false,        false),
    ('app.rooms',            'SELECT',  true,    true,  true,         true,         false),
    ('app.rooms',            'INSERT',  false,   true , false,        true,         false),
    ('app.rooms',            'UPDATE',  false,   true , false,        true,         false),
    ('app.rooms',            'DELETE',  false,   true , false,        true,         false),
    ('app.spawn_points',     'SELECT',  true,    true,  true,         true,         false),
    ('app.spawn_points',     'INSERT',  false,   true , false,        true,         false),
    ('app.spawn_points',     'UPDATE',  false,   true , false,        true,         false),
    ('app.spawn_points',     'DELETE',  false,   true , false,        true,         false),
    ('app.user_blocks',      'SELECT',  false,   true,  false,        false,        false),
    ('app.user_blocks',      'INSERT',  false,   false, false,        false,        false),
    ('app.user_blocks',      'UPDATE',  false,   false, false,        false,        false),
    ('app.user_blocks',      'DELETE',  false,   false, false,        false,        false),
    ('app.user_settings',    'SELECT',  false,   true,  false,        false,        false),
    ('app.user_settings',    'INSERT',  false,   false, false,        false,        false),
    ('app.user_settings',    'UPDATE',  false,   true,  false,        false,        false),
    ('app.user_settings',    'DELETE',  false,   false, false,        false,        false),
    ('app.users',            'SELECT',  false,   true,  false,        false,        false),
    ('app.users',            'INSERT',  false,   false, false,        false,        false),
    ('app.users',            'UPDATE',  false,   true,  false,        false,        false),
    ('app.users',            'DELETE',  false,   false, false,        false,        false),
    ('auth.credentials',     'SELECT',  false,   false, false,        false,        false),
    ('auth.credentials',     'INSERT',  false,   false, false,        false,        false),
    ('auth.credentials',     'UPDATE',  false,   false, false,        false,        false),
    ('auth.credentials',     'DELETE',  false,   false, false,        false,        false),
    ('auth.jwt_secret',      'SELECT',  false,   false, false,        false,        false),
    ('auth.jwt_secret',      'INSERT',  false,   false, false,        false,        false),
    ('auth.jwt_secret',      'UPDATE',  false,   false, false,        false,        false),
    ('auth.jwt_secret',      'DELETE',  false,   false, false,        false,        false),
    ('auth.login_throttle',  'SELECT',  false,   false, false,        false,        false),
    ('auth.login_throttle',  'INSERT',  false,   false, false,        false,        false),
    ('auth.login_throttle',  'UPDATE',  false,   false, false,        false,        false),
    ('auth.login_throttle',  'DELETE',  false,   false, false,        false,        false),
    ('auth.token_revocations', 'SELECT', false,  false, false,        false,        false),
    ('auth.token_revocations', 'INSERT', false,  false, false,        false,        false),
    ('auth.token_revocations', 'UPDATE', false,  false, false,        false,        false),
    ('auth.token_revocations', 'DELETE', false,  false, false,        false,        false),
    -- The identity limits (issue 9, section 3): reached only through SECURITY DEFINER api functions.
    ('app.identity_settings',  'SELECT', false,  false, false,        false,        false),
    ('app.identity_settings',  'INSERT', false,  false, false,        false,        false),
    ('app.identity_settings',  'UPDATE', false,  false, false,        false,        false),
    ('app.identity_settings',  'DELETE', false,  false, false,        false,        false),
    ('app.rate_limit_buckets', 'SELECT', false,  false, false,        false,        false),
    ('app.rate_limit_buckets', 'INSERT', false,  false, false,        false,        false),
    ('app.rate_limit_buckets', 'UPDATE', false,  false, false,        false,        false),
    ('app.rate_limit_buckets', 'DELETE', false,  false, false,        false,        false),
    ('auth.register_throttle', 'SELECT', false,  false, false,        false,        false),
    ('auth.register_throttle', 'INSERT', false,  false, false,        false,        false),
    ('auth.register_throttle', 'UPDATE', false,  false, false,        false,        false),
    ('auth.register_throttle', 'DELETE', false,  false, false,        false,        false),
    -- Worlds (issue 11): row-level security decides which rows (tests/db/15-world-rls.sql); memberships,
    -- invitations, bans and visits change only through SECURITY DEFINER api functions.
    ('app.worlds',             'SELECT', true,   true,  true,         true,         false),
    ('app.worlds',             'INSERT', false,  false, false,        false,        false),
    ('app.worlds',             'UPDATE', false,  true,  false,        true,         false),
    ('app.worlds',             'DELETE', false,  false, false,        false,        false),
    ('app.world_members',      'SELECT', false,  true,  false,        true,         false),
    ('app.world_members',      'INSERT', false,  false, false,        false,        false),
    ('app.world_members',      'UPDATE', false,  false, false,        false,        false),
    ('app.world_members',      'DELETE', false,  false, false,        false,        false),
    ('app.world_invitations',  'SELECT', false,  true,  false,        false,        false),
    ('app.world_invitations',  'INSERT', false,  false, false,        false,        false),
    ('app.world_invitations',  'UPDATE', false,  false, false,        false,        false),
    ('app.world_invitations',  'DELETE', false,  false, false,        false,        false),
    ('app.world_bans',         'SELECT', false,  true,  false,        true,         false),
    ('app.world_bans',         'INSERT', false,  false, false,        false,        false),
    ('app.world_bans',         'UPDATE', false,  false, false,        false,        false),
    ('app.world_bans',         'DELETE', false,  false, false,        false,        false),
    ('app.world_visitors',     'SELECT', false,  true,  false,        false,        false),
    ('app.world_visitors',     'INSERT', false,  false, false,        false,        false),
    ('app.world_visitors',     'UPDATE', false,  false, false,        false,        false),
    ('app.world_visitors',     'DELETE', false,  false, false,        false,        false),
    ('app.world_settings',     'SELECT', false,  false, false,        false,        false),
    ('app.world_settings',     'INSERT', false,  false, false,        false,        false),
    ('app.world_settings',     'UPDATE', false,  false, false,        false,        false),
    ('app.world_settings',     'DELETE', false,  false, false,        false,        false),
    -- Meetings (issue 14): live meetings for whoever may see the room, history by RLS, the Jitsi secret for nobody.
    ('api.meetings',             'SELECT', true, true, false, false, false),
    ('api.meetings',             'INSERT', false, false, false, false, false),
    ('api.meetings',             'UPDATE', false, false, false, false, false),
    ('api.meetings',             'DELETE', false, false, false, false, false),
    ('api.meeting_history',      'SELECT', false, true, false, false, false),
    ('api.meeting_history',      'INSERT', false, false, false, false, false),
    ('api.meeting_history',      'UPDATE', false, false, false, false, false),
    ('api.meeting_history',      'DELETE', false, false, false, false, false),
    ('app.meeting_sessions',     'SELECT', false, true, false, false, false),
    ('app.meeting_sessions',     'INSERT', false, false, false, false, false),
    ('app.meeting_sessions',     'UPDATE', false, false, false, false, false),
    ('app.meeting_sessions',     'DELETE', false, false, false, false, false),
    ('app.meeting_attendance',   'SELECT', false, true, false, false, false),
    ('app.meeting_attendance',   'INSERT', false, false, false, false, false),
    ('app.meeting_attendance',   'UPDATE', false, false, false, false, false),
    ('app.meeting_attendance',   'DELETE', false, false, false, false, false),
    ('auth.jitsi_config',        'SELECT', false, false, false, false, false),
    ('auth.jitsi_config',        'INSERT', false, false, false, false, false),
    ('auth.jitsi_config',        'UPDATE', false, false, false, false, false),
    ('auth.jitsi_config',        'DELETE', false, false, false, false, false),
    -- Maps (issue 12): the registry for all and kept by content_admin; versions written only by the
    -- SECURITY DEFINER api functions, read by row-level security (the current one with the room, every one by the
    -- world's owners and editors: tests/db/15-world-rls.sql).
    --  relation               privilege  web_anon player agent_service content_admin bridge
    ('api.tilesets',           'SELECT', true,   true,  true,         true,         false),
    ('api.tilesets',           'INSERT', false,  false, false,        true,         false),
    ('api.tilesets',           'UPDATE', false,  false, false,        true,         false),
    ('api.tilesets',           'DELETE', false,  false, false,        true,         false),
    ('api.room_maps',          'SELECT', true,   true,  true,         true,         false),
    ('api.room_maps',          'INSERT', false,  false, false,        false,        false),
    ('api.room_maps',          'UPDATE', false,  false, false,        false,        false),
    ('api.room_maps',          'DELETE', false,  false, false,        false,        false),
    ('api.map_versions',       'SELECT', false,  true,  false,        true,         false),
    ('api.map_versions',       'INSERT', false,  false, false,        false,        false),
    ('api.map_versions',       'UPDATE', false,  false, false,        false,        false),
    ('api.map_versions',       'DELETE', false,  false, false,        false,        false),
    ('app.tilesets',           'SELECT', true,   true,  true,         true,         false),
    ('app.tilesets',           'INSERT', false,  false, false,        true,         false),
    ('app.tilesets',           'UPDATE', false,  false, false,        true,         false),
    ('app.tilesets',           'DELETE', false,  false, false,        true,         false),
    ('app.map_versions',       'SELECT', true,   true,  true,         true,         false),
    ('app.map_versions',       'INSERT', false,  false, false,        false,        false),
    ('app.map_versions',       'UPDATE', false,  false, false,        false,        false),
    ('app.map_versions',       'DELETE', false,  false, false,        false,        false);

SELECT set_eq($$SELECT DISTINCT relation FROM tests.relation_grants$$,
  $$SELECT format('%s.%s', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname IN ('api', 'app', 'auth', 'realtime') AND c.relkind IN ('r', 'p', 'v')$$,
  'the privilege matrix lists every table and view in api, app, auth and realtime');

SELECT is(tests.may(r.role, g.relation, g.privilege), r.allowed,
          format('%s %s %s %s', r.role, CASE WHEN r.allowed THEN 'may' ELSE 'may not' END, g.privilege, g.relation))
  FROM tests.relation_grants g
 CROSS JOIN LATERAL (VALUES (1, 'web_anon', g.web_anon), (2, 'player', g.player), (3, 'agent_service', g.agent_service),
                            (4, 'content_admin', g.content_admin), (5, 'bridge', g.bridge)) AS r(n, role, allowed)
 ORDER BY g.relation, array_position(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE'], g.privilege), r.n;

-- Column grants: PATCH may change exactly these columns.
SELECT results_eq($$
  SELECT a.attname::text COLLATE "default" FROM pg_attribute a
   WHERE a.attrelid = 'api.me'::regclass AND a.attnum > 0 AND has_column_privilege('player', a.attrelid, a.attnum, 'UPDATE')
   ORDER BY a.attnum$$,
  ARRAY['display_name', 'avatar_sprite'],
  'player may UPDATE exactly display_name and avatar_sprite of api.me');
SELECT results_eq($$
  SELECT a.attname::text COLLATE "default" FROM pg_attribute a
   WHERE a.attrelid = 'api.user_settings'::regclass AND a.attnum > 0 AND has_column_privilege('player', a.attrelid, a.attnum, 'UPDATE')
   ORDER BY a.attnum$$,
  ARRAY['audio_enabled', 'video_enabled', 'volume', 'theme', 'show_player_names'],
  'player may UPDATE exactly the five preference columns of api.user_settings (not user_id, not updated_at)');
SELECT results_eq($$
  SELECT a.attname::text COLLATE "default" FROM pg_attribute a
   WHERE a.attrelid = 'app.agent_prompts'::regclass AND a.attnum > 0
     AND has_column_privilege('content_admin', a.attrelid, a.attnum, 'UPDATE')
   ORDER BY a.attnum$$,
  ARRAY['is_active'],
  'content_admin may UPDATE only is_active of app.agent_prompts: published texts stay as they are');
SELECT results_eq($$
  SELECT r.rolname::text COLLATE "default" || ':' || a.attname::text FROM pg_attribute a, pg_roles r
   WHERE a.attrelid = 'app.agents'::regclass AND a.attnum > 0 AND r.rolname IN ('player', 'content_admin')
     AND has_column_privilege(r.rolname, a.attrelid, a.attnum, 'UPDATE')
   ORDER BY r.rolname, a.attnum$$,
  ARRAY['content_admin:name', 'content_admin:role', 'content_admin:emoji', 'content_admin:sprite_key', 'content_admin:greeting',
        'content_admin:routing_keywords', 'content_admin:is_active',
        'player:name', 'player:role', 'player:emoji', 'player:sprite_key', 'player:greeting', 'player:routing_keywords', 'player:is_active'],
  'PATCH /agents changes display fields only: not the slug, the world or the moderation (api.suspend_agent)');
SELECT results_eq($$
  SELECT a.attname::text COLLATE "default" FROM pg_attribute a
   WHERE a.attrelid = 'app.worlds'::regclass AND a.attnum > 0 AND has_column_privilege('player', a.attrelid, a.attnum, 'UPDATE')
   ORDER BY a.attnum$$,
  ARRAY['slug', 'name', 'description', 'visibility'],
  'player may UPDATE exactly slug, name, description and visibility of app.worlds (not the owner, not archived_at)');
SELECT results_eq($$
  SELECT a.attname::text COLLATE "default" FROM pg_attribute a
   WHERE a.attrelid = 'app.world_invitations'::regclass AND a.attnum > 0 AND has_column_privilege('player', a.attrelid, a.attnum, 'SELECT')
   ORDER BY a.attnum$$,
  ARRAY['id', 'world_id', 'role', 'created_by', 'created_at', 'expires_at', 'max_uses', 'uses', 'revoked_at', 'email'],
  'player may read every column of app.world_invitations but token_hash');
SELECT results_eq($$
  SELECT a.attname::text COLLATE "default" FROM pg_attribute a
   WHERE a.attrelid = 'api.worlds'::regclass AND a.attnum > 0 AND has_column_privilege('player', a.attrelid, a.attnum, 'UPDATE')
   ORDER BY a.attnum$$,
  ARRAY['slug', 'name', 'description', 'visibility'],
  'player may PATCH exactly slug, name, description and visibility of api.worlds (app.worlds_edit_rules keeps two to the owner)');

-- The map owns a room's current version and which buildings and spawn points it made: POST and PATCH
-- through the views set neither (only publish_map does).
SELECT is_empty($$
  SELECT r.role, x.relation, x.col, p.priv FROM unnest(ARRAY['web_anon', 'player', 'agent_service', 'content_admin', 'bridge']) AS r(role),
         (VALUES ('api.rooms', 'map_version'), ('api.buildings', 'derived'), ('api.spawn_points', 'derived')) AS x(relation, col),
         unnest(ARRAY['INSERT', 'UPDATE']) AS p(priv)
   WHERE has_column_privilege(r.role, x.relation, x.col, p.priv)$$,
  'no API role may set map_version through api.rooms, or derived through api.buildings and api.spawn_points');
SELECT results_eq($$
  SELECT a.attname::text COLLATE "default" FROM pg_attribute a
   WHERE a.attrelid = 'api.rooms'::regclass AND a.attnum > 0 AND has_column_privilege('player', a.attrelid, a.attnum, 'UPDATE')
   ORDER BY a.attnum$$,
  ARRAY['id', 'slug', 'name', 'tilemap_key', 'width_tiles', 'height_tiles', 'default_spawn_x', 'default_spawn_y', 'is_main',
        'max_speed', 'proximity_radius', 'world_id'],
  'a player PATCHes every column of api.rooms but map_version (row-level security decides which rooms)');

-- One row per function; one column per role.
CREATE TABLE tests.function_grants (function regprocedure,
  web_anon boolean, player boolean, agent_service boolean, content_admin boolean, bridge boolean);
INSERT INTO tests.function_grants VALUES
  --  function                                              web_anon player agent_service content_admin bridge
    ('api.bench_noop()',                                     true,    true,  false,        false,        false),
    ('api.block_user(uuid)',                                 false,   true,  false,        false,        false),
    ('api.enter_room(text, text)',                           false,   true,  false,        false,        false),
    ('api.leave_room()',                                     false,   true,  false,        false,        false),
    ('api.logout()',                                         false,   true,  true,         true,         false),
    ('api.logout_everywhere()',                              false,   true,  true,         true,         false),
    ('api.login(text, text)',                                true,    true,  false,        false,        false),
    ('api.login_anonymous(text, text)',                      true,    true,  false,        false,        false),
    ('api.mark_read(uuid, bigint)',                          false,   true,  false,        false,        false),
    ('api.move(integer, integer, text)',                     false,   true,  false,        false,        false),
    ('api.post_agent_reply(uuid, text)',                     false,   false, true,         false,        false),
    ('api.publish_prompt(text, text, text, text)',           false,   true,  false,        true,         false),
    ('api.activate_prompt(text, integer, text)',             false,   true,  false,        true,         false),
    ('api.create_agent(text, text, text, text, text, text, text, text, text[])', false, true, false, false,   false),
    ('api.import_character_card(text, jsonb, text, text, text, text)', false, true, false, false,     false),
    ('api.export_character_card(text, text)',                false,   true,  true,         true,         false),
    ('api.suspend_agent(text, text, text)',                  false,   false, false,        true,         false),
    ('api.restore_agent(text, text)',                        false,   false, false,        true,         false),
    ('api.refresh_token()',                                  false,   true,  false,        false,        false),
    ('api.register(text, text)',                             false,   true,  false,        false,        false),
    ('api.route_agent(text, text)',                          true,    true,  true,         true,         false),
    ('api.say_nearby(text, uuid)',                           false,   true,  false,        false,        false),
    ('api.send_message(uuid, text, uuid)',                   false,   true,  false,        false,        false),
    ('api.start_chat(text, uuid, text)',                     false,   true,  false,        false,        false),
    ('api.unblock_user(uuid)',                               false,   true,  false,        false,        false),
    ('api.create_world(text, text, text, text)',             false,   true,  false,        false,        false),
    ('api.get_world(text)',                                  true,    true,  false,        false,        false),
    ('api.archive_world(text)',                              false,   true,  false,        false,        false),
    ('api.restore_world(text)',                              false,   true,  false,        false,        false),
    ('api.invite(text, text, integer, integer, text)',       false,   true,  false,        false,        false),
    ('api.revoke_invitation(uuid)',                          false,   true,  false,        false,        false),
    ('api.accept_invitation(text)',                          false,   true,  false,        false,        false),
    ('api.set_member_role(text, uuid, text)',                false,   true,  false,        false,        false),
    ('api.transfer_ownership(text, uuid)',                   false,   true,  false,        false,        false),
    ('api.remove_member(text, uuid)',                        false,   true,  false,        false,        false),
    ('api.leave_world(text)',                                false,   true,  false,        false,        false),
    ('api.ban(text, uuid, text, timestamptz)',               false,   true,  false,        false,        false),
    ('api.unban(text, uuid)',                                false,   true,  false,        false,        false),
    ('app.agent_prompts_guard()',                            false,   false, false,        false,        false),
    ('app.agents_keep_history()',                            false,   false, false,        false,        false),
    ('app.assert_inside_room(uuid, integer, integer, text)', false,   true,  false,        true,         false),
    ('app.block_target(uuid, uuid)',                         false,   false, false,        false,        false),
    ('app.buildings_inside_room()',                          false,   false, false,        false,        false),
    ('app.chat_message_json(app.chat_messages)',             false,   false, false,        false,        false),
    ('app.chat_retry(uuid, uuid, uuid)',                     false,   false, false,        false,        false),
    ('app.chat_store(uuid, text, uuid, text, text, uuid[], uuid)', false,   false, false,        false,        false),
    ('app.chat_unread_add_participants()',                   false,   false, false,        false,        false),
    ('app.chat_unread_count_messages()',                     false,   false, false,        false,        false),
    ('app.chat_unread_follow_marker()',                      false,   false, false,        false,        false),
    ('app.check_avatar_sprite(text)',                        false,   true,  false,        false,        false),
    ('app.chat_content_ok(text, text)',                      false,   true,  false,        true,         false),
    ('app.check_chat_content(text, integer)',                false,   false, false,        false,        false),
    ('app.check_display_name(text)',                         false,   true,  false,        false,        false),
    ('app.check_email(text)',                                false,   false, false,        false,        false),
    ('app.check_password(text)',                             false,   false, false,        false,        false),
    ('app.display_name_problem(text)',                      false,   true,  false,        true,         false),
    ('app.http_reason_phrase(integer)',                      true,    true,  true,         true,         false),
    ('app.point_inside_room()',                              false,   false, false,        false,        false),
    ('app.presence_enter(uuid, text, text, text)',           false,   false, false,        false,        false),
    ('app.presence_leave(uuid, text)',                       false,   false, false,        false,        false),
    ('app.presence_move(uuid, integer, integer, text, timestamptz)', false,   false, false,        false,        false),
    ('app.presence_notify(jsonb)',                           false,   false, false,        false,        false),
    ('app.presence_player(uuid)',                            false,   false, false,        false,        false),
    ('app.presence_set_status(uuid, text)',                  false,   false, false,        false,        false),
    ('app.presence_state(uuid)',                             false,   false, false,        false,        false),
    ('app.raise_api_error(integer, text, text, text, jsonb, jsonb)', true, true, true,      true,         false),
    ('app.agent_id_in_world(uuid, text)',                    true,    true,  true,         true,         false),
    ('app.request_role()',                                   false,   false, false,        false,        false),
    ('app.agent_manageable(uuid)',                           false,   false, false,        false,        false),
    ('app.agent_visible(app.agents, uuid)',                  false,   false, false,        false,        false),
    ('app.agent_world(text)',                                false,   false, false,        false,        false),
    ('app.agent_lookup(text, text)',                         false,   false, false,        false,        false),
    ('app.chat_agent(text, text, uuid)',                     false,   false, false,        false,        false),
    ('app.agent_chat_open(uuid, uuid)',                      false,   false, false,        false,        false),
    ('app.check_agent_name(text)',                           false,   false, false,        false,        false),
    ('app.check_agent_fields(text, text, text, text, text, text[])', false, false, false,    false,        false),
    ('app.check_prompt(text, text)',                         false,   false, false,        false,        false),
    ('app.author_role()',                                    false,   false, false,        false,        false),
    ('app.agent_prompt_activate(app.agents, integer)',       false,   false, false,        false,        false),
    ('app.agent_prompt_publish(app.agents, text, text, jsonb)', false, false, false,       false,        false),
    ('app.agent_create(app.worlds, text, text, text, text, text, text, text[], text, jsonb)', false, false, false, false, false),
    ('app.agent_to_moderate(text, text)',                    false,   false, false,        false,        false),
    ('app.card_data(jsonb)',                                 false,   false, false,        false,        false),
    ('app.card_agent_fields(jsonb)',                         false,   false, false,        false,        false),
    ('app.slug_from_name(text)',                             false,   false, false,        false,        false),
    ('app.agent_card(app.agents, app.agent_prompts)',        false,   false, false,        false,        false),
    ('app.agents_keep_world()',                              false,   false, false,        false,        false),
    ('app.agent_rows_world()',                               false,   false, false,        false,        false),
    ('app.agent_prompts_append_only()',                      false,   false, false,        false,        false),
    ('app.worlds_drop_agents()',                             false,   false, false,        false,        false),
    ('app.rate_limit_hit(uuid, text)',                       false,   false, false,        false,        false),
    ('app.rooms_keep_contents_inside()',                     false,   false, false,        false,        false),
    ('app.rooms_keep_history()',                             false,   false, false,        false,        false),
    ('app.touch_updated_at()',                               false,   false, false,        false,        false),
    ('app.users_validate()',                                 false,   false, false,        false,        false),
    ('auth.base64url(bytea)',                                false,   false, false,        false,        false),
    ('auth.check_request()',                                 true,    true,  true,         true,         false),
    ('auth.claims()',                                        true,    true,  true,         true,         true),
    ('auth.issue_session_token(uuid, uuid, integer, interval)', false, false, false,       false,        false),
    ('auth.prune_token_revocations()',                       false,   false, false,        false,        false),
    ('auth.raise_token_revoked()',                           false,   false, false,        false,        false),
    ('auth.revoke_subject(text)',                            false,   false, false,        false,        false),
    ('auth.token_generation(text)',                          false,   false, false,        false,        false),
    ('auth.token_revoked(jsonb)',                            false,   false, false,        false,        false),
    ('auth.token_subject(jsonb)',                            false,   false, false,        false,        false),
    ('auth.issue_service_token(text, interval)',             false,   false, false,        false,        false),
    ('auth.issue_token(uuid, interval)',                     false,   false, false,        false,        false),
    ('auth.set_jwt_secret(text)',                            false,   false, false,        false,        false),
    ('auth.sign(jsonb)',                                     false,   false, false,        false,        false),
    ('auth.user_id()',                                       true,    true,  true,         true,         true),
    ('realtime.agent_chat_replay(bigint, integer)',          false,   false, false,        false,        true),
    ('realtime.agent_messages_after(bigint, integer)',       false,   false, false,        false,        true),
    ('realtime.apply_moves(jsonb)',                          false,   false, false,        false,        true),
    ('realtime.chat_head()',                                 false,   false, false,        false,        true),
    ('realtime.chat_replay(uuid, bigint, integer)',          false,   false, false,        false,        true),
    ('realtime.chat_stamp(boolean)',                         false,   false, false,        false,        true),
    ('realtime.chat_stream(bigint, integer)',                false,   false, false,        false,        true),
    ('realtime.chat_tail(bigint, integer)',                  false,   false, false,        false,        true),
    ('realtime.join(uuid, text, text, text)',                false,   false, false,        false,        true),
    ('realtime.leave(uuid, text)',                           false,   false, false,        false,        true),
    ('realtime.messages_after(uuid, bigint, integer)',       false,   false, false,        false,        true),
    ('realtime.revoked_tokens(jsonb)',                       false,   false, false,        false,        true),
    ('realtime.rejoin_room(text, jsonb, text)',              false,   false, false,        false,        true),
    ('realtime.default_world()',                             false,   false, false,        false,        true),
    ('realtime.room_state(text, text)',                      false,   false, false,        false,        true),
    ('realtime.set_status(uuid, text)',                      false,   false, false,        false,        true),
    ('realtime.sweep(interval, interval)',                   false,   false, false,        false,        true),
    ('realtime.touch(uuid[])',                               false,   false, false,        false,        true),
    -- The identity limits (issue 9, section 3): called only by SECURITY DEFINER api functions, or by the owner.
    ('app.client_address_bucket()',                          false,   false, false,        false,        false),
    ('app.duration_words(interval)',                         false,   false, false,        false,        false),
    ('app.identity_housekeeping(boolean)',                   false,   false, false,        false,        false),
    ('app.purge_abandoned_anonymous_users(integer, interval)', false, false, false,        false,        false),
    ('app.rate_limit_hit_bucket(text, text)',                false,   false, false,        false,        false),
    ('app.set_trusted_client_address_header(text)',          false,   false, false,        false,        false),
    ('auth.register_attempt(text, text)',                    false,   false, false,        false,        false),
    -- Worlds (issue 11): the access functions the policies call, and the triggers.
    ('app.readable_world_ids()',                             true,    true,  true,         true,         false),
    ('app.readable_world_ids(uuid)',                         false,   false, false,        false,        false),
    ('app.editable_world_ids()',                             false,   true,  false,        false,        false),
    ('app.member_world_ids()',                               false,   true,  false,        false,        false),
    ('app.installation_world_ids(boolean)',                  false,   false, false,        true,         false),
    ('app.admin_readable_world_ids()',                       false,   false, false,        true,         false),
    ('app.world_role(uuid, uuid)',                           false,   false, false,        false,        false),
    ('app.world_banned(uuid, uuid)',                         false,   false, false,        false,        false),
    ('app.world_may_enter(app.worlds, uuid)',                false,   false, false,        false,        false),
    ('app.world_by_slug(text, uuid)',                        false,   false, false,        false,        false),
    ('app.world_owner_check()',                              false,   false, false,        false,        false),
    ('app.worlds_edit_rules()',                              false,   false, false,        false,        false),
    ('app.rooms_world()',                                    false,   false, false,        false,        false),
    ('app.rooms_keep_main()',                                false,   false, false,        false,        false),
    ('app.room_contents_world()',                            false,   false, false,        false,        false),
    ('app.room_where(uuid)',                                 false,   false, false,        false,        false),
    ('app.world_evict(uuid, uuid, text, text)',              false,   false, false,        false,        false),
    ('app.world_evict_trigger()',                            false,   false, false,        false,        false),
    ('app.world_invitations_follow_inviter()',               false,   false, false,        false,        false),
    ('app.room_evict_before_delete()',                       false,   false, false,        false,        false),
    ('app.listed_world_ids()',                               true,    true,  true,         true,         false),
    ('app.my_world_role(uuid)',                              true,    true,  true,         true,         false),
    ('app.world_visible(text, uuid, boolean)',               false,   false, false,        false,        false),
    ('app.world_managed(text, uuid, text[], text)',          false,   false, false,        false,        false),
    ('app.world_caller()',                                   false,   false, false,        false,        false),
    ('app.world_member_role(app.worlds, uuid)',              false,   false, false,        false,        false),
    ('app.invitation_refused()',                             false,   false, false,        false,        false),
    -- Meetings (issue 14): tokens for players, events for jitsi_service (below) and the bridge; the rest owner only.
    ('api.jitsi_token(uuid)', false, true, false, false, false),
    ('api.jitsi_event(text, jsonb)', false, false, false, false, false),
    ('realtime.jitsi_event(text, jsonb)', false, false, false, false, true),
    ('auth.hs256(jsonb, text)', false, false, false, false, false),
    ('auth.jitsi_sign(jsonb)', false, false, false, false, false),
    ('auth.set_jitsi_config(text, text, text, text)', false, false, false, false, false),
    ('app.jitsi_epoch(jsonb)', false, false, false, false, false),
    ('app.jitsi_event(text, jsonb)', false, false, false, false, false),
    ('app.meeting_jitsi_name(text, text)', false, false, false, false, false),
    ('app.meeting_building_by_jitsi_name(text)', false, false, false, false, false),
    ('app.meeting_open_session(uuid)', false, false, false, false, false),
    ('app.meeting_close_if_empty(uuid)', false, false, false, false, false),
    ('app.meeting_frame(text, uuid, uuid)', false, false, false, false, false),
    ('app.meeting_zones_follow(uuid[])', false, false, false, false, false),
    ('app.meeting_call_record(uuid, uuid, text, timestamptz, timestamptz)', false, false, false, false, false),
    ('app.meeting_zones_after_insert()', false, false, false, false, false),
    ('app.meeting_zones_after_update()', false, false, false, false, false),
    ('app.meeting_zones_after_delete()', false, false, false, false, false),
    ('app.meeting_zones_building()', false, false, false, false, false),
    ('app.meeting_zone_holds(app.buildings, uuid, integer, integer, text)', false, false, false, false, false),
    ('app.move_blocked(uuid, integer, integer, integer, integer)', false, false, false, false, false),
    ('app.move_verdict(app.player_presence, app.rooms, integer, integer, text, timestamptz)', false, false, false, false, false),
    -- Maps (issue 12): players and content_admin publish, restore and validate (app.map_world decides where);
    -- app.map_editor_world_ids serves the policies; the rest runs under those functions, or the owner's psql.
    ('api.publish_map(text, text, jsonb, text)',             false,   true,  false,        true,         false),
    ('api.restore_map(text, text, integer)',                 false,   true,  false,        true,         false),
    ('api.validate_map(jsonb, text, text)',                  false,   true,  false,        true,         false),
    ('app.map_editor_world_ids()',                           true,    true,  true,         true,         false),
    ('app.dba_publish_map(text, text, jsonb, text)',         false,   false, false,        false,        false),
    ('app.map_publish(app.worlds, text, jsonb, text, text, uuid, integer)', false, false, false, false,   false),
    ('app.map_world(text)',                                  false,   false, false,        false,        false),
    ('app.map_refuse(jsonb)',                                false,   false, false,        false,        false),
    ('app.map_check(jsonb, uuid, uuid)',                     false,   false, false,        false,        false),
    ('app.map_problem(text, text, text)',                    false,   false, false,        false,        false),
    ('app.map_int(jsonb)',                                   false,   false, false,        false,        false),
    ('app.map_num(jsonb)',                                   false,   false, false,        false,        false),
    ('app.map_prop(jsonb, text)',                            false,   false, false,        false,        false),
    ('app.map_slugify(text)',                                false,   false, false,        false,        false),
    ('app.map_versions_immutable()',                         false,   false, false,        false,        false),
    ('app.dba_rederive_map(text, text)',                     false,   false, false,        false,        false),
    ('app.map_derive(uuid, integer, text, jsonb, bit varying, jsonb, jsonb, jsonb)', false, false, false, false, false),
    ('app.rooms_map_size()',                                 false,   false, false,        false,        false),
    ('app.rows_off_walls()',                                 false,   false, false,        false,        false),
    ('app.tile_blocked(uuid, integer, integer, integer)',    false,   false, false,        false,        false);

SELECT set_eq($$SELECT function::oid FROM tests.function_grants$$,
  $$SELECT p.oid FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname IN ('api', 'app', 'auth', 'realtime')$$,
  'the EXECUTE matrix lists every function in api, app, auth and realtime');

SELECT is(has_function_privilege(r.role, f.function, 'EXECUTE'), r.allowed,
          format('%s %s EXECUTE %s', r.role, CASE WHEN r.allowed THEN 'may' ELSE 'may not' END, f.function))
  FROM tests.function_grants f
 CROSS JOIN LATERAL (VALUES (1, 'web_anon', f.web_anon), (2, 'player', f.player), (3, 'agent_service', f.agent_service),
                            (4, 'content_admin', f.content_admin), (5, 'bridge', f.bridge)) AS r(n, role, allowed)
 ORDER BY f.function::text, r.n;

-- jitsi_service (issue 14) may do nothing to any relation, and execute only api.jitsi_event and
-- PostgREST's pre-request check.
SELECT is_empty($$SELECT g.relation, g.privilege FROM tests.relation_grants g WHERE tests.may('jitsi_service', g.relation, g.privilege)$$,
  'jitsi_service may not read or write any table or view');
SELECT results_eq($$SELECT f.function::text FROM tests.function_grants f WHERE has_function_privilege('jitsi_service', f.function, 'EXECUTE') ORDER BY 1$$,
  ARRAY['api.jitsi_event(text,jsonb)', 'auth.check_request()'],
  'jitsi_service may execute exactly api.jitsi_event and auth.check_request');

-- (b) Behaviour with real rows ==================================================================

-- Reading any table in app or auth that the current role holds no SELECT grant on fails with 42501.
-- Driven from pg_class, so a table added later is covered.
CREATE FUNCTION tests.cannot_read_ungranted_tables() RETURNS SETOF text
  LANGUAGE plpgsql AS $$
DECLARE
  t record;
BEGIN
  FOR t IN
    SELECT n.nspname, c.relname, has_schema_privilege(n.oid, 'USAGE') AS schema_usable
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname IN ('app', 'auth') AND c.relkind IN ('r', 'p') AND NOT has_table_privilege(c.oid, 'SELECT')
     ORDER BY n.nspname, c.relname
  LOOP
    RETURN NEXT throws_ok(
      format('SELECT * FROM %I.%I', t.nspname, t.relname), '42501',
      CASE WHEN t.schema_usable THEN format('permission denied for table %s', t.relname)
           ELSE format('permission denied for schema %s', t.nspname) END,
      format('%s cannot read %I.%I', current_user, t.nspname, t.relname));
  END LOOP;
END
$$;
GRANT EXECUTE ON FUNCTION tests.cannot_read_ungranted_tables() TO web_anon, player, agent_service, content_admin, bridge;

-- as the owner: two players, and an agent that content_admin has switched off.
SELECT tests.create_user('Alice');
SELECT tests.create_user('Bob', 'may');
UPDATE app.user_settings SET volume = 30, theme = 'light' WHERE user_id = tests.id_of('Bob');
INSERT INTO app.agents (slug, name, role, emoji, sprite_key, greeting, is_active)
VALUES ('ghost', 'Ghost', 'Retired Agent', '👻', 'archie', 'Boo.', false);
INSERT INTO app.agent_prompts (agent_id, version, system_prompt, is_active)
SELECT id, 1, 'You are retired.', true FROM app.agents WHERE slug = 'ghost';

-- as web_anon ----------------------------------------------------------------------------------
SELECT tests.clear_authentication();

SELECT results_eq('SELECT slug::text FROM api.agents ORDER BY slug',
  ARRAY['chronicler', 'maven', 'sage', 'scout', 'trends'],
  'web_anon sees only the active agents');
SELECT isnt_empty('SELECT * FROM api.rooms', 'web_anon reads rooms');
SELECT isnt_empty('SELECT * FROM api.buildings', 'web_anon reads buildings');
SELECT isnt_empty('SELECT * FROM api.spawn_points', 'web_anon reads spawn points');
SELECT isnt_empty('SELECT * FROM api.avatar_sprites', 'web_anon reads avatar sprites');
SELECT results_eq('SELECT id, status FROM api.bench_baseline', $$VALUES (1, 'ok')$$,
  'web_anon reads the benchmark baseline row');
SELECT throws_ok('SELECT * FROM api.agent_prompts', '42501', 'permission denied for view agent_prompts',
  'web_anon may not read api.agent_prompts');
SELECT throws_ok('SELECT * FROM api.users', '42501', 'permission denied for view users',
  'web_anon may not read api.users');
SELECT throws_ok('SELECT * FROM api.me', '42501', 'permission denied for view me',
  'web_anon may not read api.me');
SELECT throws_ok('SELECT * FROM api.user_settings', '42501', 'permission denied for view user_settings',
  'web_anon may not read api.user_settings');
SELECT throws_ok($$UPDATE api.agents SET greeting = 'hacked'$$, '42501', 'permission denied for view agents',
  'web_anon may not UPDATE api.agents');
SELECT results_eq('SELECT name::text, image, tile_width, tile_height, columns, tilecount, image_width, image_height FROM api.tilesets',
  $$VALUES ('ark-town', 'tilesets/ark-town.png', 32, 32, 8, 64, 256, 256)$$,
  'web_anon reads the tileset registry: the seed''s one tileset');
SELECT results_eq($$SELECT room_slug::text FROM api.room_maps WHERE world_slug = 'ark' ORDER BY room_slug$$,
  ARRAY['room-chronicler', 'room-maven', 'room-sage', 'room-scout', 'room-trends', 'town'],
  'web_anon reads the current map of every room of the ark world');
SELECT throws_ok('SELECT * FROM api.map_versions', '42501', 'permission denied for view map_versions',
  'web_anon may not read the map history');
SELECT throws_ok($$INSERT INTO api.tilesets (name, image, tile_width, tile_height, columns, tilecount, image_width, image_height)
                   VALUES ('mine', 'tilesets/mine.png', 32, 32, 1, 1, 32, 32)$$, '42501', 'permission denied for view tilesets',
  'web_anon may not register a tileset');
SELECT * FROM tests.cannot_read_ungranted_tables();

-- as a player ----------------------------------------------------------------------------------
SELECT tests.authenticate_as(tests.id_of('Alice'));

SELECT results_eq('SELECT id, display_name::text, avatar_sprite, email, is_anonymous FROM api.me',
  format($$VALUES (%L::uuid, 'Alice', 'brendan', NULL::text, true)$$, tests.id_of('Alice')),
  'a player sees exactly their own profile in api.me');
SELECT results_eq('SELECT user_id FROM api.user_settings', ARRAY[tests.id_of('Alice')],
  'a player sees exactly their own row of api.user_settings');
SELECT results_eq('SELECT id FROM app.users', ARRAY[tests.id_of('Alice')],
  'RLS shows a player only their own row of app.users');
SELECT results_eq(format($$SELECT display_name::text, avatar_sprite FROM api.users WHERE id IN (%L, %L) ORDER BY display_name$$,
                         tests.id_of('Alice'), tests.id_of('Bob')),
  $$VALUES ('Alice', 'brendan'), ('Bob', 'may')$$,
  'api.users shows a player everyone''s public profile');
SELECT throws_ok('SELECT email FROM api.users', '42703', 'column "email" does not exist',
  'api.users has no email column');
SELECT results_eq('SELECT slug::text FROM api.agents ORDER BY slug',
  ARRAY['chronicler', 'maven', 'sage', 'scout', 'trends'],
  'a player sees only the active agents');
SELECT is_empty('SELECT * FROM api.agent_prompts',
  'a player who edits no world reads no prompt (tests/db/17-agents.sql has the world roles)');

SELECT is(tests.row_count($$UPDATE api.user_settings SET volume = 0 WHERE user_id = tests.id_of('Bob')$$), 0::bigint,
  'a player''s UPDATE of another player''s settings affects 0 rows');
SELECT is(tests.row_count($$UPDATE api.user_settings SET volume = 0$$), 1::bigint,
  'a player''s unfiltered UPDATE of api.user_settings reaches only their own row');
SELECT results_eq('SELECT volume, theme FROM api.user_settings', $$VALUES (0, 'dark')$$,
  'a player changes their own settings');
SELECT throws_ok($$UPDATE api.user_settings SET user_id = tests.id_of('Bob')$$, '42501',
  'permission denied for view user_settings', 'a player may not change user_id of their settings');
SELECT throws_ok($$INSERT INTO api.user_settings (user_id) VALUES (gen_random_uuid())$$, '42501',
  'permission denied for view user_settings', 'a player may not INSERT api.user_settings');
SELECT throws_ok('DELETE FROM api.user_settings', '42501',
  'permission denied for view user_settings', 'a player may not DELETE api.user_settings');

SELECT is(tests.row_count($$UPDATE api.me SET display_name = 'Mallory' WHERE id = tests.id_of('Bob')$$), 0::bigint,
  'a player''s UPDATE of another player through api.me affects 0 rows');
SELECT is(tests.row_count($$UPDATE app.users SET display_name = 'Mallory' WHERE id = tests.id_of('Bob')$$), 0::bigint,
  'a player''s UPDATE of another player''s row of app.users affects 0 rows');
SELECT is(tests.row_count($$UPDATE api.me SET display_name = 'Alicia', avatar_sprite = 'may'$$), 1::bigint,
  'a player renames themselves and changes sprite through api.me');
SELECT throws_ok($$UPDATE api.me SET email = 'alice@example.org'$$, '42501', 'permission denied for view me',
  'a player may not set their email through api.me (only api.register does)');
SELECT throws_ok($$UPDATE api.me SET is_anonymous = false$$, '42501', 'permission denied for view me',
  'a player may not clear is_anonymous through api.me');
SELECT throws_ok($$UPDATE api.me SET id = gen_random_uuid()$$, '42501', 'permission denied for view me',
  'a player may not change their id');
SELECT throws_ok('DELETE FROM api.me', '42501', 'permission denied for view me',
  'a player may not DELETE api.me');

-- Since worlds (issue 11) a player holds the grants and row-level security decides: a player who owns
-- or edits no world changes no room, building or spawn point (the world roles: 15-world-rls.sql).
SELECT throws_ok($$INSERT INTO api.rooms (slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y)
                   VALUES ('player-room', 'Mine', 'town', 10, 10, 1, 1)$$,
  '42501', 'new row violates row-level security policy for table "rooms"', 'a player may not INSERT api.rooms of the ark world');
SELECT is(tests.row_count($$UPDATE api.buildings SET name = 'Mine'$$), 0::bigint,
  'a player''s UPDATE of api.buildings of the ark world affects 0 rows');
SELECT is(tests.row_count('DELETE FROM api.spawn_points'), 0::bigint,
  'a player''s DELETE of api.spawn_points of the ark world affects 0 rows');
SELECT throws_ok($$INSERT INTO api.agents (slug, name, role, emoji, sprite_key, greeting)
                   VALUES ('mine', 'Mine', 'Mine', 'x', 'x', 'x')$$,
  '42501', 'permission denied for view agents', 'a player may not INSERT api.agents');
SELECT is(tests.row_count($$UPDATE api.agents SET is_active = true WHERE slug = 'ghost'$$), 0::bigint,
  'a player''s UPDATE of an installation agent reaches no row');
SELECT is_empty('SELECT * FROM api.map_versions', 'a player who edits no world reads no map history');
SELECT is((SELECT count(*) FILTER (WHERE EXISTS (SELECT FROM app.rooms r WHERE r.id = v.room_id AND r.map_version = v.version))
                  || ' of ' || count(*) FROM app.map_versions v), '6 of 6',
  'a player reads the current map version of each of the ark world''s six rooms, and no other version');
SELECT throws_ok($$UPDATE app.map_versions SET name = 'Mine'$$, '42501', 'permission denied for table map_versions',
  'a player may not UPDATE app.map_versions');
SELECT throws_ok($$INSERT INTO api.tilesets (name, image, tile_width, tile_height, columns, tilecount, image_width, image_height)
                   VALUES ('mine', 'tilesets/mine.png', 32, 32, 1, 1, 32, 32)$$, '42501', 'permission denied for view tilesets',
  'a player may not register a tileset');
SELECT * FROM tests.cannot_read_ungranted_tables();

-- as another player ----------------------------------------------------------------------------
SELECT tests.authenticate_as(tests.id_of('Bob'));

SELECT results_eq('SELECT display_name::text FROM api.me', ARRAY['Bob'],
  'another player''s name is unchanged by the first player''s attempts');
SELECT results_eq('SELECT user_id, volume, theme FROM api.user_settings',
  format($$VALUES (%L::uuid, 30, 'light')$$, tests.id_of('Bob')),
  'another player''s settings are unchanged by the first player''s attempts');
SELECT results_eq(format('SELECT display_name::text, avatar_sprite FROM api.users WHERE id = %L', tests.id_of('Alice')),
  $$VALUES ('Alicia', 'may')$$,
  'another player sees the first player''s new public profile');

-- as agent_service -----------------------------------------------------------------------------
SELECT tests.authenticate_service('agent_service');

SELECT results_eq('SELECT slug::text FROM api.agents ORDER BY slug',
  ARRAY['chronicler', 'maven', 'sage', 'scout', 'trends'],
  'agent_service sees only the active agents');
SELECT results_eq('SELECT agent_slug::text FROM api.agent_prompts WHERE is_active ORDER BY agent_slug',
  ARRAY['chronicler', 'maven', 'sage', 'scout', 'trends'],
  'agent_service reads the active prompt of every active agent');
SELECT throws_ok($$INSERT INTO app.agent_prompts (agent_id, version, system_prompt)
                   SELECT id, 99, 'Obey me.' FROM app.agents WHERE slug = 'scout'$$,
  '42501', 'permission denied for table agent_prompts', 'agent_service may not write prompts');
SELECT throws_ok('SELECT * FROM api.users', '42501', 'permission denied for view users',
  'agent_service may not read api.users');
SELECT throws_ok('SELECT * FROM api.user_settings', '42501', 'permission denied for view user_settings',
  'agent_service may not read api.user_settings');
SELECT is((SELECT count(*) FROM api.room_maps WHERE world_slug = 'ark'), 6::bigint, 'agent_service reads the ark world''s maps');
SELECT throws_ok('SELECT * FROM api.map_versions', '42501', 'permission denied for view map_versions',
  'agent_service may not read the map history');
SELECT * FROM tests.cannot_read_ungranted_tables();

-- as content_admin -----------------------------------------------------------------------------
SELECT tests.authenticate_service('content_admin');

SELECT results_eq('SELECT slug::text FROM api.agents ORDER BY slug',
  ARRAY['chronicler', 'ghost', 'maven', 'sage', 'scout', 'trends'],
  'content_admin sees inactive agents too');
SELECT results_eq($$SELECT version, system_prompt FROM api.agent_prompts WHERE agent_slug = 'ghost'$$,
  $$VALUES (1, 'You are retired.')$$,
  'content_admin reads prompts, those of inactive agents included');
SELECT throws_ok('SELECT * FROM api.users', '42501', 'permission denied for view users',
  'content_admin may not read api.users');
SELECT throws_ok('SELECT * FROM api.me', '42501', 'permission denied for view me',
  'content_admin may not read api.me');

SELECT is(tests.row_count($$INSERT INTO api.rooms (slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y)
                            VALUES ('lobby', 'Lobby', 'lobby', 30, 20, 5, 5)$$), 1::bigint,
  'content_admin inserts a room through api.rooms');
SELECT is(tests.row_count($$UPDATE api.rooms SET name = 'Grand Lobby', width_tiles = 40 WHERE slug = 'lobby'$$), 1::bigint,
  'content_admin renames and grows a room through api.rooms');
SELECT lives_ok($$UPDATE api.rooms SET width_tiles = 25 WHERE slug = 'lobby'$$,
  'content_admin shrinks a room with nothing outside the new size through api.rooms');
SELECT is(tests.row_count($$INSERT INTO api.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, jitsi_room)
                            SELECT id, 'hall', 'Hall', 'meeting', 2, 2, 4, 3, 4, 4, 'ark-hall' FROM api.rooms WHERE slug = 'lobby'$$),
  1::bigint, 'content_admin inserts a building through api.buildings');
SELECT is(tests.row_count($$UPDATE api.buildings SET x = 3, door_x = 5 WHERE slug = 'hall'$$), 1::bigint,
  'content_admin moves a building through api.buildings');
SELECT is(tests.row_count($$INSERT INTO api.spawn_points (room_id, slug, x, y, type)
                            SELECT id, 'door', 1, 1, 'player' FROM api.rooms WHERE slug = 'lobby'$$),
  1::bigint, 'content_admin inserts a spawn point through api.spawn_points');
SELECT is(tests.row_count($$UPDATE api.spawn_points SET direction = 'left' WHERE slug = 'door'$$), 1::bigint,
  'content_admin updates a spawn point through api.spawn_points');
SELECT is(tests.row_count($$INSERT INTO api.agents (slug, name, role, emoji, sprite_key, greeting, routing_keywords)
                            VALUES ('herald', 'Herald', 'Announcer', '📯', 'archie', 'Hear ye.', '{announce}')$$),
  1::bigint, 'content_admin inserts an agent through api.agents');
SELECT is(tests.row_count($$UPDATE api.agents SET is_active = true WHERE slug = 'ghost'$$), 1::bigint,
  'content_admin reactivates an agent through api.agents');
SELECT is(tests.row_count($$INSERT INTO api.avatar_sprites (key, name, sort_order) VALUES ('norman', 'Norman', 3)$$),
  1::bigint, 'content_admin inserts an avatar sprite through api.avatar_sprites');
SELECT is(tests.row_count($$DELETE FROM api.spawn_points WHERE slug = 'door'$$), 1::bigint,
  'content_admin deletes a spawn point through api.spawn_points');
SELECT is(tests.row_count($$DELETE FROM api.buildings WHERE slug = 'hall'$$), 1::bigint,
  'content_admin deletes a building through api.buildings');
SELECT is(tests.row_count($$DELETE FROM api.agents WHERE slug = 'herald'$$), 1::bigint,
  'content_admin deletes an agent through api.agents');
SELECT is(tests.row_count($$DELETE FROM api.rooms WHERE slug = 'lobby'$$), 1::bigint,
  'content_admin deletes a room through api.rooms');
SELECT results_eq($$SELECT count(*), count(*) FILTER (WHERE publisher_role = 'dba' AND published_by IS NULL) FROM api.map_versions$$,
  $$VALUES (6::bigint, 6::bigint)$$, 'content_admin reads the map history of the ark world: the seed''s six versions, published as dba');
SELECT is(tests.row_count($$INSERT INTO api.tilesets (name, image, tile_width, tile_height, columns, tilecount, image_width, image_height)
                            VALUES ('ark-extra', 'tilesets/ark-extra.png', 16, 16, 4, 16, 64, 64)$$), 1::bigint,
  'content_admin registers a tileset through api.tilesets');
SELECT is(tests.row_count($$UPDATE api.tilesets SET tilecount = 12 WHERE name = 'ark-extra'$$), 1::bigint,
  'content_admin updates a tileset');
SELECT throws_ok($$INSERT INTO api.tilesets (name, image, tile_width, tile_height, columns, tilecount, image_width, image_height)
                   VALUES ('remote', 'https://example.org/x.png', 16, 16, 4, 16, 64, 64)$$, '23514', NULL,
  'a tileset image is a relative path: no URL a map could make clients fetch');
SELECT throws_ok($$INSERT INTO api.tilesets (name, image, tile_width, tile_height, columns, tilecount, image_width, image_height)
                   VALUES ('parent', 'tilesets/../../secret.png', 16, 16, 4, 16, 64, 64)$$, '23514', NULL,
  'and none that climbs out of the assets');
SELECT is(tests.row_count($$DELETE FROM api.tilesets WHERE name = 'ark-extra'$$), 1::bigint,
  'content_admin deletes a tileset');
SELECT throws_ok($$UPDATE app.map_versions SET name = 'Mine'$$, '42501', 'permission denied for table map_versions',
  'content_admin may not UPDATE app.map_versions either');
SELECT * FROM tests.cannot_read_ungranted_tables();

-- as bridge (it logs in as itself and reaches data only through realtime functions) ------------
SELECT tests.as_owner();
SET LOCAL ROLE bridge;
SELECT * FROM tests.cannot_read_ungranted_tables();

-- as the owner: what the requests above really wrote -------------------------------------------
SELECT tests.as_owner();

SELECT results_eq(format('SELECT display_name::text FROM app.users WHERE id = %L', tests.id_of('Bob')), ARRAY['Bob'],
  'Bob''s row is untouched');
SELECT results_eq(format('SELECT volume FROM app.user_settings WHERE user_id = %L', tests.id_of('Bob')), ARRAY[30],
  'Bob''s settings are untouched');
SELECT results_eq($$SELECT is_active FROM app.agents WHERE slug = 'ghost'$$, ARRAY[true],
  'content_admin''s reactivation reached app.agents');
SELECT is_empty($$SELECT FROM app.rooms WHERE slug = 'lobby'$$, 'content_admin''s room is gone again');

SELECT * FROM finish();
ROLLBACK;
