-- Structure: schemas, tables, views, functions, row-level security, policies, roles and comments.
-- Checks that read the catalog cover objects added later too: a new table without forced RLS, a new
-- SECURITY DEFINER function without a pinned search_path or a new api column without a comment fails.
-- The exact lists (tables_are, views_are, functions_are, policies) name what is deployed today,
-- the foundation and the presence and chat changes after the v0.1.0 tag: a change that adds an object
-- adds it here too.
BEGIN;
\ir helpers.psql

SELECT plan(172);

-- as the owner

-- Schemas ---------------------------------------------------------------------------------------

SELECT has_schema('app', 'schema app holds the tables');
SELECT has_schema('api', 'schema api is what PostgREST serves');
SELECT has_schema('auth', 'schema auth holds identity');
SELECT has_schema('realtime', 'schema realtime holds the functions only the bridge calls');

-- USAGE on app and auth lets security_invoker views and policies reach the tables and auth.user_id();
-- the tables themselves are guarded by grants and RLS (02-rls-matrix). The bridge reaches nothing but
-- the SECURITY DEFINER functions in realtime.
SELECT schema_privs_are(n.nspname, r.rolname, CASE WHEN n.usable THEN '{USAGE}'::name[] ELSE '{}'::name[] END,
         format('%s has %s on schema %s', r.rolname, CASE WHEN n.usable THEN 'USAGE' ELSE 'no privilege' END, n.nspname))
  FROM (VALUES ('web_anon'::name, 1), ('player', 2), ('agent_service', 3), ('content_admin', 4), ('bridge', 5)) AS r(rolname, o)
 CROSS JOIN LATERAL (VALUES
    --  schema           usable by the role
    ('app'::name,      r.rolname <> 'bridge'),
    ('api',            r.rolname <> 'bridge'),
    ('auth',           r.rolname <> 'bridge'),
    ('realtime',       r.rolname = 'bridge')) AS n(nspname, usable)
 ORDER BY n.nspname, r.o;

SELECT is_empty($$
  SELECT n.nspname, a.privilege_type
    FROM pg_namespace n, aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a
   WHERE n.nspname IN ('app', 'api', 'auth', 'realtime') AND a.grantee = 0$$,
  'PUBLIC has no privilege on schemas app, api, auth and realtime');

-- Tables and views ------------------------------------------------------------------------------

SELECT tables_are('app', ARRAY['agent_prompt_activations', 'agent_prompts', 'agent_sprites', 'agents', 'avatar_sprites', 'buildings', 'chat_log', 'chat_log_state', 'chat_message_recipients', 'chat_messages',
                               'chat_read_markers', 'chat_sessions', 'chat_unread_counts', 'identity_settings', 'player_presence', 'rate_limit_buckets', 'meeting_attendance', 'meeting_sessions',
                               'rate_limit_rules', 'rate_limit_state', 'rooms', 'spawn_points', 'user_blocks', 'user_settings', 'users',
                               'world_bans', 'world_invitations', 'world_members', 'world_settings', 'world_visitors', 'worlds',
                               'map_versions', 'tilesets'],
                  'schema app has exactly the P0, P1, worlds, meetings and maps tables and the chat delivery and stream tables');
SELECT tables_are('auth', ARRAY['credentials', 'jwt_secret', 'login_throttle', 'register_throttle', 'token_revocations', 'jitsi_config'],
                  'schema auth has exactly credentials, jitsi_config, jwt_secret, login_throttle, register_throttle and token_revocations');
SELECT views_are('api', ARRAY['agent_inbox', 'agent_prompts', 'agent_sprites', 'agents', 'avatar_sprites', 'bench_baseline', 'blocked_users', 'buildings', 'chat_messages',
                              'chat_sessions', 'me', 'presence', 'rooms', 'spawn_points', 'user_settings', 'users', 'meeting_history', 'meetings',
                              'world_bans', 'world_invitations', 'world_members', 'worlds', 'map_versions', 'room_maps', 'tilesets'],
                 'schema api has exactly the REST views');
SELECT is_empty($$
  SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = 'realtime' AND c.relkind NOT IN ('c')$$,
  'schema realtime holds no tables or views, only functions');
SELECT is_empty($$
  SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = 'api' AND c.relkind NOT IN ('v', 'c')$$,
  'schema api holds views only: no tables, sequences or materialized views');

-- The shape of every REST resource: what PostgREST exposes, column by column.
SELECT columns_are('api', 'agent_prompts', ARRAY['id', 'agent_id', 'agent_slug', 'version', 'system_prompt', 'is_active', 'created_at',
                                                  'world_id', 'note', 'created_by', 'created_by_role', 'activated_at', 'activated_by', 'activated_by_role'],
                   'api.agent_prompts has the expected columns');
SELECT columns_are('api', 'agents', ARRAY['id', 'slug', 'name', 'role', 'emoji', 'sprite_key', 'greeting', 'routing_keywords', 'is_active',
                                           'world_id', 'moderation_status', 'moderation_reason', 'moderated_at'],
                   'api.agents has the expected columns and never a prompt');
SELECT columns_are('api', 'avatar_sprites', ARRAY['key', 'name', 'sort_order'],
                   'api.avatar_sprites has the expected columns');
SELECT columns_are('api', 'bench_baseline', ARRAY['id', 'status'],
                   'api.bench_baseline has the expected columns');
SELECT columns_are('api', 'worlds', ARRAY['id', 'slug', 'name', 'description', 'visibility', 'owner_id', 'created_at', 'archived_at', 'my_role'],
                   'api.worlds has the world columns and the caller''s role');
SELECT columns_are('api', 'world_members', ARRAY['world_id', 'user_id', 'role', 'joined_at', 'display_name'],
                   'api.world_members has the membership columns and the display name');
SELECT columns_are('api', 'world_invitations', ARRAY['id', 'world_id', 'role', 'created_by', 'created_at', 'expires_at', 'max_uses', 'uses', 'revoked_at', 'email'],
                   'api.world_invitations never shows a token or its hash');
SELECT columns_are('api', 'world_bans', ARRAY['world_id', 'user_id', 'reason', 'banned_by', 'created_at', 'until'],
                   'api.world_bans has the ban columns');
SELECT columns_are('api', 'blocked_users', ARRAY['user_id', 'created_at'],
                   'api.blocked_users has the expected columns and never the blocker');
SELECT columns_are('api', 'buildings', ARRAY['id', 'room_id', 'slug', 'name', 'type', 'x', 'y', 'width', 'height', 'door_x', 'door_y',
                                             'agent_id', 'target_room_id', 'jitsi_room', 'world_id', 'derived'],
                   'api.buildings has the expected columns');
SELECT columns_are('api', 'chat_messages', ARRAY['id', 'session_id', 'type', 'sender_type', 'sender_id', 'sender_name', 'content',
                                                 'created_at'],
                   'api.chat_messages has the expected columns');
SELECT columns_are('api', 'chat_sessions', ARRAY['id', 'type', 'user_id', 'agent_id', 'agent_slug', 'other_user_id', 'room_id',
                                                 'created_at', 'last_message_at', 'last_message', 'unread_count'],
                   'api.chat_sessions has the expected columns');
SELECT columns_are('api', 'me', ARRAY['id', 'display_name', 'avatar_sprite', 'email', 'is_anonymous', 'created_at', 'last_seen_at'],
                   'api.me has the expected columns');
SELECT columns_are('api', 'rooms', ARRAY['id', 'slug', 'name', 'tilemap_key', 'width_tiles', 'height_tiles', 'default_spawn_x',
                                         'default_spawn_y', 'is_main', 'max_speed', 'proximity_radius', 'world_id', 'map_version'],
                   'api.rooms has the expected columns');
SELECT columns_are('api', 'spawn_points', ARRAY['id', 'room_id', 'slug', 'x', 'y', 'type', 'agent_id', 'direction', 'world_id', 'derived'],
                   'api.spawn_points has the expected columns');
SELECT columns_are('api', 'tilesets', ARRAY['name', 'image', 'tile_width', 'tile_height', 'columns', 'tilecount', 'image_width', 'image_height'],
                   'api.tilesets has the registry''s columns');
SELECT columns_are('api', 'room_maps', ARRAY['room_id', 'world_slug', 'room_slug', 'version', 'map'],
                   'api.room_maps has the room, its world and slug, and its current map');
SELECT columns_are('api', 'map_versions', ARRAY['room_id', 'version', 'name', 'published_by', 'publisher_role', 'published_at', 'restored_from', 'summary'],
                   'api.map_versions has the history''s columns and never the map or its collision bits');
SELECT columns_are('api', 'user_settings', ARRAY['user_id', 'audio_enabled', 'video_enabled', 'volume', 'theme',
                                                 'show_player_names', 'updated_at'],
                   'api.user_settings has the expected columns');
SELECT columns_are('api', 'users', ARRAY['id', 'display_name', 'avatar_sprite', 'last_seen_at'],
                   'api.users has the four public columns and no email');
SELECT columns_are('api', 'presence', ARRAY['user_id', 'display_name', 'avatar_sprite', 'room_id', 'room_slug', 'x', 'y',
                                            'direction', 'status', 'last_update', 'world_id', 'world_slug'],
                   'api.presence shows positions and never a session token');
SELECT is_empty($$
  SELECT c.relname, a.attname FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = 'api' AND a.attnum > 0 AND NOT a.attisdropped
     AND a.attname ~ '(password|secret|hash|session_token)'$$,
  'no api view exposes a password, hash, secret or session token column');

-- Row-level security ----------------------------------------------------------------------------

-- Driven from pg_class, so a table added later without RLS fails here.
SELECT is_empty($$
  SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname IN ('app', 'auth') AND c.relkind IN ('r', 'p')
     AND NOT (c.relrowsecurity AND c.relforcerowsecurity)$$,
  'no table in app or auth lacks enabled and forced row-level security');

SELECT is(c.relrowsecurity AND c.relforcerowsecurity, true,
          format('%I.%I has row-level security enabled and forced', n.nspname, c.relname))
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname IN ('app', 'auth') AND c.relkind IN ('r', 'p')
 ORDER BY n.nspname, c.relname;

SELECT is_empty($$
  SELECT n.nspname, c.relname, a.privilege_type
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
         aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a
   WHERE n.nspname IN ('app', 'api', 'auth') AND a.grantee = 0$$,
  'no table or view in app, api or auth is granted to PUBLIC');

-- Policies --------------------------------------------------------------------------------------

SELECT policies_are('app', 'agent_prompts',
  ARRAY['agent_prompts_admin_insert', 'agent_prompts_admin_read', 'agent_prompts_admin_update', 'agent_prompts_editor_read', 'agent_prompts_service_read'],
  'app.agent_prompts has its five policies');
SELECT policies_are('app', 'agents', ARRAY['agents_admin_delete', 'agents_admin_insert', 'agents_admin_read', 'agents_admin_update',
                                           'agents_editor_read', 'agents_editor_update', 'agents_service_read', 'agents_world_read'],
  'app.agents has its eight world policies');
SELECT policies_are('app', 'agent_prompt_activations',
  ARRAY['agent_prompt_activations_admin_read', 'agent_prompt_activations_editor_read', 'agent_prompt_activations_service_read'],
  'app.agent_prompt_activations has its three read policies (only api functions write it)');
SELECT policies_are('app', 'agent_sprites',
  ARRAY['agent_sprites_admin_delete', 'agent_sprites_admin_insert', 'agent_sprites_admin_update', 'agent_sprites_read'],
  'app.agent_sprites has its four policies');
SELECT policies_are('app', 'avatar_sprites', ARRAY['avatar_sprites_admin_write', 'avatar_sprites_read'],
  'app.avatar_sprites has its two policies');
SELECT policies_are('app', 'buildings', ARRAY['buildings_admin_delete', 'buildings_admin_insert', 'buildings_admin_read', 'buildings_admin_update',
                                     'buildings_world_delete', 'buildings_world_insert', 'buildings_world_read', 'buildings_world_update'],
  'app.buildings has its eight world policies');
SELECT policies_are('app', 'chat_message_recipients', ARRAY['chat_message_recipients_own_read'],
  'app.chat_message_recipients has its one policy');
SELECT policies_are('app', 'chat_messages',
  ARRAY['chat_messages_agent_service_read', 'chat_messages_participant_read', 'chat_messages_recipient_read'],
  'app.chat_messages has its three policies');
SELECT policies_are('app', 'chat_read_markers', ARRAY['chat_read_markers_own_read'],
  'app.chat_read_markers has its one policy');
SELECT policies_are('app', 'chat_sessions', ARRAY['chat_sessions_agent_service_read', 'chat_sessions_participant_read'],
  'app.chat_sessions has its two policies');
SELECT policies_are('app', 'chat_unread_counts', ARRAY['chat_unread_counts_own_read'],
  'app.chat_unread_counts has its one policy');
SELECT policies_are('app', 'map_versions', ARRAY['map_versions_current_read', 'map_versions_editor_read'],
  'app.map_versions has its two read policies (only api functions write it)');
SELECT policies_are('app', 'tilesets', ARRAY['tilesets_admin_delete', 'tilesets_admin_insert', 'tilesets_admin_update', 'tilesets_read'],
  'app.tilesets has its four policies');
SELECT policies_are('app', 'player_presence', ARRAY['player_presence_own_read'],
  'app.player_presence has its one policy');
SELECT policies_are('app', 'rate_limit_rules', ARRAY[]::name[],
  'app.rate_limit_rules has no policy: only SECURITY DEFINER functions use it');
SELECT policies_are('app', 'rate_limit_state', ARRAY[]::name[],
  'app.rate_limit_state has no policy: only SECURITY DEFINER functions use it');
SELECT policies_are('app', 'rooms', ARRAY['rooms_admin_delete', 'rooms_admin_insert', 'rooms_admin_read', 'rooms_admin_update',
                                     'rooms_world_delete', 'rooms_world_insert', 'rooms_world_read', 'rooms_world_update'],
  'app.rooms has its eight world policies');
SELECT policies_are('app', 'spawn_points', ARRAY['spawn_points_admin_delete', 'spawn_points_admin_insert', 'spawn_points_admin_read', 'spawn_points_admin_update',
                                     'spawn_points_world_delete', 'spawn_points_world_insert', 'spawn_points_world_read', 'spawn_points_world_update'],
  'app.spawn_points has its eight world policies');
SELECT policies_are('app', 'user_blocks', ARRAY['user_blocks_blocker_read'],
  'app.user_blocks has its one policy: the blocker reads their own rows');
SELECT policies_are('app', 'user_settings', ARRAY['user_settings_own_read', 'user_settings_own_update'],
  'app.user_settings has its two policies');
SELECT policies_are('app', 'users', ARRAY['users_own_read', 'users_own_update'],
  'app.users has its two policies');
SELECT policies_are('app', 'worlds', ARRAY['worlds_admin_read', 'worlds_admin_write', 'worlds_edit', 'worlds_read'],
  'app.worlds has its four policies');
SELECT policies_are('app', 'world_members', ARRAY['world_members_admin_read', 'world_members_read'],
  'app.world_members has its two policies');
SELECT policies_are('app', 'world_invitations', ARRAY['world_invitations_read'],
  'app.world_invitations has its one policy: owners and editors read, without the token hash');
SELECT policies_are('app', 'world_bans', ARRAY['world_bans_admin_read', 'world_bans_read'],
  'app.world_bans has its two policies');
SELECT policies_are('app', 'world_visitors', ARRAY['world_visitors_own_read'],
  'app.world_visitors has its one policy');
SELECT policies_are('app', 'world_settings', ARRAY[]::name[],
  'app.world_settings has no policy: only SECURITY DEFINER functions read it');

-- Who each policy applies to and for which command, as one table.
SELECT results_eq($$
  SELECT tablename::text COLLATE "default", policyname::text COLLATE "default", cmd,
         array_to_string(ARRAY(SELECT unnest(roles) ORDER BY 1), ' ') COLLATE "default"
    FROM pg_policies WHERE schemaname = 'app' ORDER BY tablename, policyname$$,
  $$VALUES
    ('agent_prompt_activations', 'agent_prompt_activations_admin_read',   'SELECT', 'content_admin'),
    ('agent_prompt_activations', 'agent_prompt_activations_editor_read',  'SELECT', 'player'),
    ('agent_prompt_activations', 'agent_prompt_activations_service_read', 'SELECT', 'agent_service'),
    ('agent_prompts',   'agent_prompts_admin_insert',     'INSERT', 'content_admin'),
    ('agent_prompts',   'agent_prompts_admin_read',       'SELECT', 'content_admin'),
    ('agent_prompts',   'agent_prompts_admin_update',     'UPDATE', 'content_admin'),
    ('agent_prompts',   'agent_prompts_editor_read',      'SELECT', 'player'),
    ('agent_prompts',   'agent_prompts_service_read',     'SELECT', 'agent_service'),
    ('agent_sprites',   'agent_sprites_admin_delete',     'DELETE', 'content_admin'),
    ('agent_sprites',   'agent_sprites_admin_insert',     'INSERT', 'content_admin'),
    ('agent_sprites',   'agent_sprites_admin_update',     'UPDATE', 'content_admin'),
    ('agent_sprites',   'agent_sprites_read',             'SELECT', 'agent_service content_admin player web_anon'),
    ('agents',          'agents_admin_delete',            'DELETE', 'content_admin'),
    ('agents',          'agents_admin_insert',            'INSERT', 'content_admin'),
    ('agents',          'agents_admin_read',              'SELECT', 'content_admin'),
    ('agents',          'agents_admin_update',            'UPDATE', 'content_admin'),
    ('agents',          'agents_editor_read',             'SELECT', 'player'),
    ('agents',          'agents_editor_update',           'UPDATE', 'player'),
    ('agents',          'agents_service_read',            'SELECT', 'agent_service'),
    ('agents',          'agents_world_read',              'SELECT', 'player web_anon'),
    ('avatar_sprites',  'avatar_sprites_admin_write',     'ALL',    'content_admin'),
    ('avatar_sprites',  'avatar_sprites_read',            'SELECT', 'agent_service content_admin player web_anon'),
    ('buildings', 'buildings_admin_delete', 'DELETE', 'content_admin'),
    ('buildings', 'buildings_admin_insert', 'INSERT', 'content_admin'),
    ('buildings', 'buildings_admin_read', 'SELECT', 'content_admin'),
    ('buildings', 'buildings_admin_update', 'UPDATE', 'content_admin'),
    ('buildings', 'buildings_world_delete', 'DELETE', 'player'),
    ('buildings', 'buildings_world_insert', 'INSERT', 'player'),
    ('buildings', 'buildings_world_read', 'SELECT', 'agent_service player web_anon'),
    ('buildings', 'buildings_world_update', 'UPDATE', 'player'),
    ('chat_message_recipients', 'chat_message_recipients_own_read', 'SELECT', 'player'),
    ('chat_messages',   'chat_messages_agent_service_read', 'SELECT', 'agent_service'),
    ('chat_messages',   'chat_messages_participant_read', 'SELECT', 'player'),
    ('chat_messages',   'chat_messages_recipient_read',   'SELECT', 'player'),
    ('chat_read_markers', 'chat_read_markers_own_read',   'SELECT', 'player'),
    ('chat_sessions',   'chat_sessions_agent_service_read', 'SELECT', 'agent_service'),
    ('chat_sessions',   'chat_sessions_participant_read', 'SELECT', 'player'),
    ('chat_unread_counts', 'chat_unread_counts_own_read', 'SELECT', 'player'),
    ('map_versions', 'map_versions_current_read', 'SELECT', 'agent_service content_admin player web_anon'),
    ('map_versions', 'map_versions_editor_read', 'SELECT', 'content_admin player'),
    ('meeting_attendance', 'meeting_attendance_own_or_edited_world', 'SELECT', 'player'),
    ('meeting_sessions', 'meeting_sessions_readable_world', 'SELECT', 'player'),
    ('player_presence', 'player_presence_own_read',       'SELECT', 'player'),
    ('rooms', 'rooms_admin_delete', 'DELETE', 'content_admin'),
    ('rooms', 'rooms_admin_insert', 'INSERT', 'content_admin'),
    ('rooms', 'rooms_admin_read', 'SELECT', 'content_admin'),
    ('rooms', 'rooms_admin_update', 'UPDATE', 'content_admin'),
    ('rooms', 'rooms_world_delete', 'DELETE', 'player'),
    ('rooms', 'rooms_world_insert', 'INSERT', 'player'),
    ('rooms', 'rooms_world_read', 'SELECT', 'agent_service player web_anon'),
    ('rooms', 'rooms_world_update', 'UPDATE', 'player'),
    ('spawn_points', 'spawn_points_admin_delete', 'DELETE', 'content_admin'),
    ('spawn_points', 'spawn_points_admin_insert', 'INSERT', 'content_admin'),
    ('spawn_points', 'spawn_points_admin_read', 'SELECT', 'content_admin'),
    ('spawn_points', 'spawn_points_admin_update', 'UPDATE', 'content_admin'),
    ('spawn_points', 'spawn_points_world_delete', 'DELETE', 'player'),
    ('spawn_points', 'spawn_points_world_insert', 'INSERT', 'player'),
    ('spawn_points', 'spawn_points_world_read', 'SELECT', 'agent_service player web_anon'),
    ('spawn_points', 'spawn_points_world_update', 'UPDATE', 'player'),
    ('tilesets', 'tilesets_admin_delete', 'DELETE', 'content_admin'),
    ('tilesets', 'tilesets_admin_insert', 'INSERT', 'content_admin'),
    ('tilesets', 'tilesets_admin_update', 'UPDATE', 'content_admin'),
    ('tilesets', 'tilesets_read', 'SELECT', 'agent_service content_admin player web_anon'),
    ('user_blocks',     'user_blocks_blocker_read',       'SELECT', 'player'),
    ('user_settings',   'user_settings_own_read',         'SELECT', 'player'),
    ('user_settings',   'user_settings_own_update',       'UPDATE', 'player'),
    ('users',           'users_own_read',                 'SELECT', 'player'),
    ('users',           'users_own_update',               'UPDATE', 'player'),
    ('world_bans', 'world_bans_admin_read', 'SELECT', 'content_admin'),
    ('world_bans', 'world_bans_read', 'SELECT', 'player'),
    ('world_invitations', 'world_invitations_read', 'SELECT', 'player'),
    ('world_members', 'world_members_admin_read', 'SELECT', 'content_admin'),
    ('world_members', 'world_members_read', 'SELECT', 'player'),
    ('world_visitors', 'world_visitors_own_read', 'SELECT', 'player'),
    ('worlds', 'worlds_admin_read', 'SELECT', 'content_admin'),
    ('worlds', 'worlds_admin_write', 'UPDATE', 'content_admin'),
    ('worlds', 'worlds_edit', 'UPDATE', 'player'),
    ('worlds', 'worlds_read', 'SELECT', 'agent_service player web_anon')$$,
  'every app policy applies to the expected roles and command');

SELECT is_empty($$SELECT tablename, policyname FROM pg_policies WHERE schemaname = 'auth'$$,
  'no table in auth has a policy: with forced RLS and no grant, no API role sees a row');

-- Functions -------------------------------------------------------------------------------------

SELECT functions_are('api', ARRAY['bench_noop', 'block_user', 'enter_room', 'leave_room', 'login', 'login_anonymous', 'logout', 'logout_everywhere', 'mark_read', 'move', 'post_agent_reply',
                                  'publish_prompt', 'refresh_token', 'register', 'route_agent', 'say_nearby', 'send_message',
                                  'start_chat', 'unblock_user',
                                  'accept_invitation', 'archive_world', 'ban', 'create_world', 'get_world', 'invite', 'leave_world',
                                  'remove_member', 'restore_world', 'revoke_invitation', 'set_member_role', 'transfer_ownership', 'unban',
                                  'activate_prompt', 'create_agent', 'export_character_card', 'import_character_card', 'restore_agent', 'suspend_agent', 'jitsi_event', 'jitsi_token',
                                  'publish_map', 'restore_map', 'validate_map'],
  'schema api has exactly the RPC functions');
SELECT functions_are('auth', ARRAY['base64url', 'check_request', 'claims', 'hs256', 'issue_service_token', 'issue_session_token', 'issue_token',
                                   'jitsi_sign', 'prune_token_revocations', 'set_jitsi_config', 'raise_token_revoked', 'register_attempt', 'revoke_subject', 'set_jwt_secret', 'sign',
                                   'token_generation', 'token_revoked', 'token_subject', 'user_id'],
  'schema auth has exactly the identity functions');
SELECT functions_are('app', ARRAY['agent_prompts_guard', 'agents_keep_history', 'assert_inside_room', 'block_target', 'buildings_inside_room', 'chat_content_ok', 'chat_message_json',
                                  'chat_retry', 'chat_store', 'chat_unread_add_participants', 'chat_unread_count_messages', 'chat_unread_follow_marker',
                                  'check_avatar_sprite', 'check_chat_content', 'check_display_name', 'check_email',
                                  'check_password', 'client_address_bucket', 'display_name_problem', 'duration_words', 'http_reason_phrase',
                                  'identity_housekeeping', 'point_inside_room', 'presence_enter', 'presence_leave', 'presence_move',
                                  'presence_notify', 'presence_player', 'presence_set_status', 'presence_state', 'purge_abandoned_anonymous_users',
                                  'raise_api_error', 'rate_limit_hit', 'rate_limit_hit_bucket',
                                  'rooms_keep_contents_inside', 'rooms_keep_history', 'set_trusted_client_address_header', 'touch_updated_at',
                                  'users_validate', 'admin_readable_world_ids', 'editable_world_ids', 'installation_world_ids', 'member_world_ids', 'readable_world_ids',
                                  'room_contents_world', 'rooms_keep_main', 'rooms_world', 'world_banned', 'world_by_slug', 'world_may_enter', 'world_owner_check',
                                  'world_role', 'worlds_edit_rules', 'room_where', 'world_evict', 'world_evict_trigger', 'world_invitations_follow_inviter',
                                  'invitation_refused', 'listed_world_ids', 'my_world_role', 'world_caller', 'world_managed',
                                  'world_member_role', 'world_visible', 'jitsi_epoch', 'jitsi_event', 'meeting_building_by_jitsi_name', 'meeting_call_record',
                                  'meeting_close_if_empty', 'meeting_frame', 'meeting_jitsi_name', 'meeting_open_session', 'meeting_zone_holds', 'meeting_zones_after_delete',
                                  'meeting_zones_after_insert', 'meeting_zones_after_update', 'meeting_zones_building', 'meeting_zones_follow', 'room_evict_before_delete',
                                  'agent_card', 'agent_chat_open', 'agent_create', 'agent_id_in_world', 'agent_lookup', 'agent_manageable', 'agent_prompt_activate',
                                  'agent_prompt_publish', 'agent_prompts_append_only', 'agent_rows_world', 'agent_to_moderate', 'agent_visible', 'agent_world',
                                  'agents_keep_world', 'author_role', 'card_agent_fields', 'card_data', 'chat_agent', 'check_agent_fields', 'check_agent_name', 'check_prompt',
                                  'request_role', 'slug_from_name', 'worlds_drop_agents', 'move_blocked', 'move_verdict',
                                  'dba_publish_map', 'map_check', 'map_editor_world_ids', 'map_int', 'map_num', 'map_problem', 'map_prop',
                                  'map_publish', 'map_refuse', 'map_slugify', 'map_versions_immutable', 'map_world',
                                  'dba_rederive_map', 'map_derive', 'rooms_map_size', 'rows_off_walls', 'tile_blocked'],
  'schema app has exactly the validator, rule and trigger functions');
SELECT functions_are('realtime', ARRAY['agent_chat_replay', 'agent_messages_after', 'apply_moves', 'chat_head', 'chat_replay', 'chat_stamp', 'chat_stream', 'chat_tail', 'default_world', 'jitsi_event', 'join', 'leave', 'messages_after',
                                       'rejoin_room', 'revoked_tokens', 'room_state', 'set_status', 'sweep', 'touch'],
  'schema realtime has exactly the bridge functions');

-- SECURITY DEFINER is deliberate: each of these needs something its caller has no grant for (inserting
-- users, auth.credentials, auth.login_throttle, the signing key, presence and chat rows). In app the
-- definers are triggers that must see rows their caller cannot (the room shrink and history rules, the
-- world owner check, a new row's world) and the world access functions, which read memberships, visits
-- and bans for the policies; the other rules run with the rights of the api or realtime function that
-- calls them.
SELECT results_eq($$
  SELECT (n.nspname || '.' || p.proname) COLLATE "default" FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE n.nspname IN ('app', 'api', 'auth', 'realtime') AND p.prosecdef ORDER BY 1$$,
  ARRAY['api.accept_invitation', 'api.activate_prompt', 'api.archive_world', 'api.ban', 'api.block_user', 'api.create_agent', 'api.create_world',
        'api.enter_room', 'api.export_character_card', 'api.get_world', 'api.import_character_card', 'api.invite', 'api.jitsi_event',
        'api.jitsi_token', 'api.leave_room', 'api.leave_world', 'api.login', 'api.login_anonymous', 'api.logout', 'api.logout_everywhere',
        'api.mark_read', 'api.move', 'api.post_agent_reply', 'api.publish_map', 'api.publish_prompt', 'api.refresh_token', 'api.register', 'api.remove_member',
        'api.restore_agent', 'api.restore_map', 'api.restore_world', 'api.revoke_invitation', 'api.say_nearby', 'api.send_message', 'api.set_member_role',
        'api.start_chat', 'api.suspend_agent', 'api.transfer_ownership', 'api.unban', 'api.unblock_user', 'api.validate_map', 'app.admin_readable_world_ids',
        'app.agent_rows_world', 'app.agents_keep_history', 'app.editable_world_ids', 'app.installation_world_ids', 'app.listed_world_ids',
        'app.map_editor_world_ids', 'app.meeting_zones_after_delete', 'app.meeting_zones_after_insert', 'app.meeting_zones_after_update', 'app.meeting_zones_building',
        'app.member_world_ids', 'app.my_world_role', 'app.readable_world_ids', 'app.readable_world_ids', 'app.room_contents_world',
        'app.room_evict_before_delete', 'app.rooms_keep_contents_inside', 'app.rooms_keep_history', 'app.rooms_keep_main', 'app.rooms_map_size', 'app.rooms_world', 'app.rows_off_walls',
        'app.world_banned', 'app.world_by_slug', 'app.world_evict', 'app.world_evict_trigger', 'app.world_invitations_follow_inviter',
        'app.world_may_enter', 'app.world_owner_check', 'app.world_role', 'app.worlds_drop_agents', 'app.worlds_edit_rules', 'auth.check_request',
        'realtime.agent_chat_replay', 'realtime.agent_messages_after', 'realtime.apply_moves', 'realtime.chat_head', 'realtime.chat_replay',
        'realtime.chat_stamp', 'realtime.chat_stream', 'realtime.chat_tail', 'realtime.default_world', 'realtime.jitsi_event', 'realtime.join',
        'realtime.leave',
        'realtime.messages_after', 'realtime.rejoin_room', 'realtime.revoked_tokens', 'realtime.room_state', 'realtime.set_status', 'realtime.sweep', 'realtime.touch'],
  'the SECURITY DEFINER functions are exactly the expected api, realtime and trigger functions');
SELECT is_definer('api', 'login_anonymous', ARRAY['text', 'text'], 'api.login_anonymous is SECURITY DEFINER');
SELECT is_definer('api', 'register', ARRAY['text', 'text'], 'api.register is SECURITY DEFINER');
SELECT is_definer('api', 'login', ARRAY['text', 'text'], 'api.login is SECURITY DEFINER');
SELECT is_definer('api', 'refresh_token', ARRAY[]::name[], 'api.refresh_token is SECURITY DEFINER');
SELECT is_definer('api', 'publish_prompt', ARRAY['text', 'text', 'text', 'text'],
  'api.publish_prompt is SECURITY DEFINER: a world''s editors publish without a grant on app.agent_prompts, app.agent_manageable decides');
SELECT is_definer('api', 'publish_map', ARRAY['text', 'text', 'jsonb', 'text'],
  'api.publish_map is SECURITY DEFINER: editors append map versions without a grant on app.map_versions, app.map_world decides');
SELECT is_definer('api', 'restore_map', ARRAY['text', 'text', 'integer'], 'api.restore_map is SECURITY DEFINER, as publish_map');
SELECT is_definer('api', 'validate_map', ARRAY['jsonb', 'text', 'text'],
  'api.validate_map is SECURITY DEFINER: it reads the tileset registry, the agents and the rooms');
SELECT isnt_definer('app', 'map_publish', ARRAY['app.worlds', 'text', 'jsonb', 'text', 'text', 'uuid', 'integer'],
  'app.map_publish is not SECURITY DEFINER (only definer functions and the owner reach it)');
SELECT isnt_definer('app', 'dba_publish_map', ARRAY['text', 'text', 'jsonb', 'text'],
  'app.dba_publish_map is not SECURITY DEFINER: it is the owner''s, in psql');
SELECT isnt_definer('app', 'dba_rederive_map', ARRAY['text', 'text'],
  'app.dba_rederive_map is not SECURITY DEFINER: it is the owner''s, in psql');
SELECT isnt_definer('auth', 'sign', ARRAY['jsonb'], 'auth.sign is not SECURITY DEFINER (only definer functions reach it)');
SELECT isnt_definer('auth', 'issue_service_token', ARRAY['text', 'interval'], 'auth.issue_service_token is not SECURITY DEFINER');

-- Driven from pg_proc, so a SECURITY DEFINER function added later is covered.
SELECT is_empty($$
  SELECT n.nspname, p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE n.nspname IN ('app', 'api', 'auth', 'realtime') AND p.prosecdef
     AND NOT EXISTS (SELECT FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%')$$,
  'every SECURITY DEFINER function in app, api, auth and realtime pins its search_path');
SELECT is_empty($$
  SELECT n.nspname, p.proname, c FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace,
         unnest(p.proconfig) c
   WHERE n.nspname IN ('app', 'api', 'auth', 'realtime') AND p.prosecdef
     AND c LIKE 'search_path=%' AND c NOT IN ('search_path=""', 'search_path=pg_catalog')$$,
  'every pinned search_path of a SECURITY DEFINER function is empty (or pg_catalog): nothing a caller can create in');
SELECT is_empty($$
  SELECT n.nspname, p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace,
         aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
   WHERE n.nspname IN ('app', 'api', 'auth', 'realtime') AND a.grantee = 0 AND a.privilege_type = 'EXECUTE'$$,
  'no function in app, api, auth or realtime is executable by PUBLIC');
SELECT is_empty($$
  SELECT defaclrole::regrole, defaclnamespace FROM pg_default_acl
   WHERE defaclobjtype = 'f' AND defaclnamespace = 0 AND defaclrole = (SELECT nspowner FROM pg_namespace WHERE nspname = 'api')
     AND EXISTS (SELECT FROM aclexplode(defaclacl) a WHERE a.grantee = 0)$$,
  'the owner''s default privileges give PUBLIC no EXECUTE on new functions');
SELECT isnt_empty($$
  SELECT FROM pg_default_acl
   WHERE defaclobjtype = 'f' AND defaclnamespace = 0 AND defaclrole = (SELECT nspowner FROM pg_namespace WHERE nspname = 'api')$$,
  'the owner has default privileges for functions (EXECUTE revoked from PUBLIC)');

-- Roles -----------------------------------------------------------------------------------------

SELECT results_eq($$
  SELECT rolname::text COLLATE "default", rolcanlogin, rolinherit, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb
    FROM pg_roles
   WHERE rolname IN ('authenticator', 'web_anon', 'player', 'agent_service', 'content_admin', 'bridge')
   ORDER BY rolname$$,
  $$VALUES
    --  role             login  inherit super  bypassrls createrole createdb
    ('agent_service',  false, true,   false, false,    false,     false),
    ('authenticator',  true,  false,  false, false,    false,     false),
    ('bridge',         true,  false,  false, false,    false,     false),
    ('content_admin',  false, true,   false, false,    false,     false),
    ('player',         false, true,   false, false,    false,     false),
    ('web_anon',       false, true,   false, false,    false,     false)$$,
  'authenticator is LOGIN NOINHERIT, bridge LOGIN, the API roles NOLOGIN, and none is superuser or bypasses RLS');
SELECT is_member_of('web_anon', ARRAY['authenticator']::name[], 'authenticator can switch to web_anon');
SELECT is_member_of('player', ARRAY['authenticator']::name[], 'authenticator can switch to player');
SELECT is_member_of('agent_service', ARRAY['authenticator']::name[], 'authenticator can switch to agent_service');
SELECT is_member_of('content_admin', ARRAY['authenticator']::name[], 'authenticator can switch to content_admin');
SELECT isnt_member_of('bridge', ARRAY['authenticator']::name[], 'authenticator cannot switch to bridge');
SELECT results_eq($$
  SELECT m.roleid::regrole::text FROM pg_auth_members m
   WHERE m.member = 'authenticator'::regrole ORDER BY 1$$,
  ARRAY['agent_service', 'content_admin', 'jitsi_service', 'player', 'web_anon'],
  'authenticator is a member of exactly the five API roles');
SELECT is_empty($$
  SELECT m.member::regrole, m.roleid::regrole FROM pg_auth_members m
   WHERE m.member IN ('web_anon'::regrole, 'player'::regrole, 'agent_service'::regrole,
                      'content_admin'::regrole, 'bridge'::regrole)$$,
  'no API role and not bridge is a member of another role');

-- authenticator has no rights of its own: NOINHERIT keeps the API roles' grants from reaching it.
SELECT is_empty($$
  SELECT n.nspname, c.relname, p.priv FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
         unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']) p(priv)
   WHERE n.nspname IN ('app', 'api', 'auth') AND c.relkind IN ('r', 'v', 'p')
     AND (has_table_privilege('authenticator', c.oid, p.priv)
          OR (p.priv <> 'DELETE' AND has_any_column_privilege('authenticator', c.oid, p.priv)))$$,
  'authenticator itself may not read or write any table or view');
SELECT is_empty($$
  SELECT n.nspname, p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE n.nspname IN ('app', 'api', 'auth', 'realtime') AND has_function_privilege('authenticator', p.oid, 'EXECUTE')$$,
  'authenticator itself may not execute any function in app, api, auth or realtime');

-- Views -----------------------------------------------------------------------------------------

-- security_invoker makes the caller's grants and RLS apply. api.users and api.presence are the
-- deliberate projections of everyone's rows, and api.bench_baseline reads no table.
SELECT results_eq($$
  SELECT c.relname::text COLLATE "default" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = 'api' AND c.relkind = 'v'
     AND NOT coalesce('security_invoker=true' = ANY (c.reloptions), false)
   ORDER BY 1$$,
  ARRAY['bench_baseline', 'meetings', 'presence', 'users'],
  'every api view is security_invoker except api.users, api.presence, api.meetings and api.bench_baseline');
SELECT ok(coalesce('security_barrier=true' = ANY (reloptions), false),
          format('%s is a security_barrier view', oid::regclass))
  FROM pg_class WHERE oid IN ('api.users'::regclass, 'api.presence'::regclass, 'api.meetings'::regclass) ORDER BY relname;

-- Comments: PostgREST puts them in the OpenAPI document ----------------------------------------

SELECT is_empty($$
  SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = 'api' AND c.relkind = 'v' AND obj_description(c.oid, 'pg_class') IS NULL$$,
  'every api view has a comment');
SELECT is_empty($$
  SELECT c.relname, a.attname FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = 'api' AND c.relkind = 'v' AND a.attnum > 0 AND NOT a.attisdropped
     AND col_description(c.oid, a.attnum) IS NULL$$,
  'every column of every api view has a comment');
SELECT is_empty($$
  SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE n.nspname IN ('api', 'realtime') AND obj_description(p.oid, 'pg_proc') IS NULL$$,
  'every api and realtime function has a comment');
SELECT is_empty($$
  SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname IN ('app', 'auth') AND c.relkind IN ('r', 'p') AND obj_description(c.oid, 'pg_class') IS NULL$$,
  'every table in app and auth has a comment');

-- Indexes behind the rules and the queries ------------------------------------------------------

SELECT is_indexed('app', 'rooms', ARRAY['main_of_world'], 'app.rooms has the index that allows one main room per world');
SELECT is((SELECT contype::text || ' ' || condeferrable::text FROM pg_constraint WHERE conname = 'rooms_one_main_per_world'),
          'u true', 'rooms_one_main_per_world is a unique constraint checked at the end of each statement');
SELECT index_is_unique('app', 'agent_prompts', 'agent_prompts_one_active', 'agent_prompts_one_active is unique');
SELECT index_is_unique('app', 'users', 'users_email_key', 'users_email_key is unique');
SELECT is_indexed('app', 'chat_messages', ARRAY['session_id', 'id'], 'chat messages are indexed by session and id for paging');

-- Maps (issue 12): versions are keyed by room and number, never changed, and the room points at its current one.
SELECT col_is_pk('app', 'map_versions', ARRAY['room_id', 'version'], 'a map version is identified by its room and number');
SELECT fk_ok('app', 'rooms', ARRAY['id', 'map_version'], 'app', 'map_versions', ARRAY['room_id', 'version'],
  'a room''s current map is one of its own versions');
SELECT trigger_is('app', 'map_versions', 'map_versions_immutable', 'app', 'map_versions_immutable',
  'app.map_versions has the trigger that refuses UPDATE and DELETE');
-- tgtype bits: 1 ROW, 2 BEFORE, 4 INSERT, 8 DELETE, 16 UPDATE.
SELECT is((SELECT tgtype & (1 | 2 | 4 | 8 | 16) FROM pg_trigger WHERE tgname = 'map_versions_immutable' AND tgrelid = 'app.map_versions'::regclass)::integer,
  1 | 2 | 8 | 16, 'it runs BEFORE each row''s UPDATE or DELETE (not INSERT)');

SELECT * FROM finish();
ROLLBACK;
