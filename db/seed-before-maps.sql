-- Frozen: db/seed.sql as it was before custom maps (issue 12), which the Sqitch change seed_agents loads.
-- Edit db/seed.sql, not this file.
--
-- ArkAgentic seed content: the town, the agents, their rooms, buildings and spawn points.
--
-- This file is the one place the world's content is written down (it replaces the copies that were
-- hard-coded in constants.ts, agents.py and server.ts). Every statement is an upsert keyed by slug,
-- so the file can be applied again at any time:
--   * `make up` applies it on every start; the Sqitch change seed_content applied it on first deploy;
--   * by hand: psql "$DATABASE_URL" -f db/seed.sql
-- Rows named here are reset to what this file says; rows it does not name are left alone.
-- To add an agent or a room, add rows below (or INSERT them through SQL or PostgREST as
-- content_admin): no code changes anywhere.
-- Prompts are versioned: this file only creates version 1 for an agent that has none. Publish later
-- versions with api.publish_prompt, which keeps the history.

BEGIN;

INSERT INTO app.avatar_sprites (key, name, sort_order) VALUES
  ('brendan', 'Brendan', 1),
  ('may',     'May',     2)
ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, sort_order = EXCLUDED.sort_order;

-- The installation's world, public and owned by no player: content_admin edits it.
INSERT INTO app.worlds (slug, name, description, visibility)
VALUES ('ark', 'ArkAgentic', 'The town and its agents.', 'public')
ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description
WHERE (worlds.name, worlds.description) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.description);

-- Rooms of the ark world. The town is the main room; each agent has a room of its own.
INSERT INTO app.rooms (world_id, slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y, is_main)
SELECT ark.id, v.* FROM (VALUES
  ('town',            'Ark Town',          'town',            40, 30, 20, 16, true),
  ('room-scout',      'Scout''s Lab',      'room-scout',      20, 15, 10, 12, false),
  ('room-sage',       'Sage''s Study',     'room-sage',       20, 15, 10, 12, false),
  ('room-chronicler', 'Chronicler''s Desk','room-chronicler', 20, 15, 10, 12, false),
  ('room-trends',     'Trends Office',     'room-trends',     20, 15, 10, 12, false),
  ('room-maven',      'Maven''s Corner',   'room-maven',      20, 15, 10, 12, false)
  ) AS v(slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y, is_main)
  CROSS JOIN (SELECT id FROM app.worlds WHERE slug = 'ark') AS ark
ON CONFLICT (world_id, slug) DO UPDATE SET
  name = EXCLUDED.name, tilemap_key = EXCLUDED.tilemap_key,
  width_tiles = EXCLUDED.width_tiles, height_tiles = EXCLUDED.height_tiles,
  default_spawn_x = EXCLUDED.default_spawn_x, default_spawn_y = EXCLUDED.default_spawn_y,
  is_main = EXCLUDED.is_main;

-- The agent sprite registry (GET /agent_sprites): what an agent may wear.
INSERT INTO app.agent_sprites (key, name) VALUES
  ('archie', 'Archie'), ('steven', 'Steven'), ('maxie', 'Maxie'), ('joseph', 'Joseph'), ('birch', 'Birch')
ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name WHERE agent_sprites.name IS DISTINCT FROM EXCLUDED.name;

-- The installation's agents (world_id NULL; slugs unique among them).
INSERT INTO app.agents (slug, name, role, emoji, sprite_key, greeting, routing_keywords) VALUES
  ('scout', 'Scout', 'Research Specialist', '🔍', 'archie',
   'Hi, I''m Scout. Tell me what you want to find out and I''ll dig up sources.',
   '{research,find,search,sources,paper,papers,study,look,investigate}'),
  ('sage', 'Sage', 'Strategic Advisor', '🧙', 'steven',
   'Welcome, I''m Sage. Bring me a decision and we''ll weigh it together.',
   '{strategy,plan,decide,decision,advice,goal,goals,priority,priorities}'),
  ('chronicler', 'Chronicler', 'Content Writer', '✍️', 'maxie',
   'Hello, I''m the Chronicler. What shall we write today?',
   '{write,draft,blog,post,article,story,edit,copy,summary}'),
  ('trends', 'Trends', 'Market Analyst', '📈', 'joseph',
   'Hey, I''m Trends. Ask me what''s moving in your market.',
   '{market,trend,trends,data,numbers,growth,competitor,competitors,analysis}'),
  ('maven', 'Maven', 'Marketing Expert', '📣', 'birch',
   'Hi there, I''m Maven. Let''s get your idea in front of the right people.',
   '{marketing,launch,audience,brand,campaign,social,promote,seo}')
ON CONFLICT (world_id, slug) DO UPDATE SET
  name = EXCLUDED.name, role = EXCLUDED.role, emoji = EXCLUDED.emoji, sprite_key = EXCLUDED.sprite_key,
  greeting = EXCLUDED.greeting, routing_keywords = EXCLUDED.routing_keywords
-- Leave unchanged agents alone, so updated_at means a real change.
WHERE (agents.name, agents.role, agents.emoji, agents.sprite_key, agents.greeting, agents.routing_keywords)
      IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.role, EXCLUDED.emoji, EXCLUDED.sprite_key, EXCLUDED.greeting, EXCLUDED.routing_keywords);

-- Version 1 of each agent's system prompt, only where the agent has none yet.
INSERT INTO app.agent_prompts (agent_id, version, system_prompt, is_active)
SELECT a.id, 1, p.system_prompt, true
  FROM (VALUES
    ('scout',      'You are Scout, a research specialist in ArkAgentic town. Find reliable sources, cite them, and say plainly when you are unsure.'),
    ('sage',       'You are Sage, a strategic advisor in ArkAgentic town. Ask about goals and constraints, then lay out options with their trade-offs.'),
    ('chronicler', 'You are the Chronicler, a content writer in ArkAgentic town. Write clear, well-structured drafts in the user''s voice.'),
    ('trends',     'You are Trends, a market analyst in ArkAgentic town. Explain what the data shows, and separate facts from guesses.'),
    ('maven',      'You are Maven, a marketing expert in ArkAgentic town. Suggest concrete, low-cost ways to reach the right audience.')
  ) AS p(agent_slug, system_prompt)
  JOIN app.agents a ON a.slug = p.agent_slug AND a.world_id IS NULL
 WHERE NOT EXISTS (SELECT FROM app.agent_prompts x WHERE x.agent_id = a.id);

-- The town's buildings: one per agent, its door leading to the agent's room.
INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, agent_id, target_room_id)
SELECT town.id, b.slug, b.name, 'agent_room', b.x, b.y, 6, 5, b.x + 3, b.y + 4, a.id, r.id
  FROM (VALUES
    ('scout-lab',         'Scout''s Lab',       'scout',      'room-scout',       3,  3),
    ('sage-study',        'Sage''s Study',      'sage',       'room-sage',       17,  3),
    ('chronicler-desk',   'Chronicler''s Desk', 'chronicler', 'room-chronicler', 31,  3),
    ('trends-office',     'Trends Office',      'trends',     'room-trends',      8, 21),
    ('maven-corner',      'Maven''s Corner',    'maven',      'room-maven',      26, 21)
  ) AS b(slug, name, agent_slug, room_slug, x, y)
  JOIN app.agents a ON a.slug = b.agent_slug AND a.world_id IS NULL
  JOIN app.rooms r ON r.slug = b.room_slug AND r.world_id = (SELECT id FROM app.worlds WHERE slug = 'ark')
  CROSS JOIN (SELECT id FROM app.rooms WHERE slug = 'town' AND world_id = (SELECT id FROM app.worlds WHERE slug = 'ark')) AS town
ON CONFLICT (room_id, slug) DO UPDATE SET
  name = EXCLUDED.name, type = EXCLUDED.type, x = EXCLUDED.x, y = EXCLUDED.y,
  width = EXCLUDED.width, height = EXCLUDED.height, door_x = EXCLUDED.door_x, door_y = EXCLUDED.door_y,
  agent_id = EXCLUDED.agent_id, target_room_id = EXCLUDED.target_room_id;

-- Each agent room has an exit back to the town, on its bottom edge.
INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, target_room_id)
SELECT r.id, 'exit', 'Back to town', 'portal', 9, 14, 2, 1, 10, 14, town.id
  FROM app.rooms r
  CROSS JOIN (SELECT id FROM app.rooms WHERE slug = 'town' AND world_id = (SELECT id FROM app.worlds WHERE slug = 'ark')) AS town
 WHERE r.world_id = (SELECT id FROM app.worlds WHERE slug = 'ark') AND r.slug IN ('room-scout', 'room-sage', 'room-chronicler', 'room-trends', 'room-maven')
ON CONFLICT (room_id, slug) DO UPDATE SET
  name = EXCLUDED.name, type = EXCLUDED.type, x = EXCLUDED.x, y = EXCLUDED.y,
  width = EXCLUDED.width, height = EXCLUDED.height, door_x = EXCLUDED.door_x, door_y = EXCLUDED.door_y,
  target_room_id = EXCLUDED.target_room_id;

-- Spawn points: players in the town square and by each room's door; each agent at its desk.
INSERT INTO app.spawn_points (room_id, slug, x, y, type, agent_id, direction)
SELECT r.id, s.slug, s.x, s.y, s.type, a.id, s.direction
  FROM (VALUES
    ('town',            'town-square',  20, 16, 'player', NULL,         'down'),
    ('room-scout',      'entrance',     10, 12, 'player', NULL,         'up'),
    ('room-scout',      'agent',        10,  4, 'agent',  'scout',      'down'),
    ('room-sage',       'entrance',     10, 12, 'player', NULL,         'up'),
    ('room-sage',       'agent',        10,  4, 'agent',  'sage',       'down'),
    ('room-chronicler', 'entrance',     10, 12, 'player', NULL,         'up'),
    ('room-chronicler', 'agent',        10,  4, 'agent',  'chronicler', 'down'),
    ('room-trends',     'entrance',     10, 12, 'player', NULL,         'up'),
    ('room-trends',     'agent',        10,  4, 'agent',  'trends',     'down'),
    ('room-maven',      'entrance',     10, 12, 'player', NULL,         'up'),
    ('room-maven',      'agent',        10,  4, 'agent',  'maven',      'down')
  ) AS s(room_slug, slug, x, y, type, agent_slug, direction)
  JOIN app.rooms r ON r.slug = s.room_slug AND r.world_id = (SELECT id FROM app.worlds WHERE slug = 'ark')
  LEFT JOIN app.agents a ON a.slug = s.agent_slug AND a.world_id IS NULL
ON CONFLICT (room_id, slug) DO UPDATE SET
  x = EXCLUDED.x, y = EXCLUDED.y, type = EXCLUDED.type, agent_id = EXCLUDED.agent_id, direction = EXCLUDED.direction;

COMMIT;
