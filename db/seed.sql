-- ArkAgentic seed content: the town, the agents, their rooms, and the rooms' maps (db/maps/), which make
-- the buildings and spawn points.
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

-- The tileset the seed's maps draw with (db/maps/tilesets/ark-town.png, made by db/maps/make_maps.py).
-- A map's embedded tileset must match a row here (GET /tilesets) by image, tile size and columns.
INSERT INTO app.tilesets (name, image, tile_width, tile_height, columns, tilecount, image_width, image_height)
VALUES ('ark-town', 'tilesets/ark-town.png', 32, 32, 8, 64, 256, 256)
ON CONFLICT (name) DO UPDATE SET
  image = EXCLUDED.image, tile_width = EXCLUDED.tile_width, tile_height = EXCLUDED.tile_height,
  columns = EXCLUDED.columns, tilecount = EXCLUDED.tilecount, image_width = EXCLUDED.image_width,
  image_height = EXCLUDED.image_height;

-- Buildings and spawn points come from the rooms' Tiled maps in db/maps/ (issue 12). Before maps this file
-- wrote them by hand; those rows now belong to the maps, which replace them on each publish.
UPDATE app.buildings b SET derived = true
  FROM app.rooms r JOIN app.worlds w ON w.id = r.world_id AND w.slug = 'ark'
 WHERE b.room_id = r.id AND NOT b.derived
   AND (r.slug, b.slug) IN (('town', 'scout-lab'), ('town', 'sage-study'), ('town', 'chronicler-desk'),
                            ('town', 'trends-office'), ('town', 'maven-corner'), ('room-scout', 'exit'),
                            ('room-sage', 'exit'), ('room-chronicler', 'exit'), ('room-trends', 'exit'),
                            ('room-maven', 'exit'));
UPDATE app.spawn_points s SET derived = true
  FROM app.rooms r JOIN app.worlds w ON w.id = r.world_id AND w.slug = 'ark'
 WHERE s.room_id = r.id AND NOT s.derived
   AND (r.slug = 'town' AND s.slug = 'town-square' OR r.slug LIKE 'room-%' AND s.slug IN ('entrance', 'agent'));

-- Each room's map: published as a new version when the file differs from the current one, else the room is
-- derived again from it, so that derived rows edited by hand return to what the map says. psql reads the
-- files relative to the directory it runs in: the repository (make up, Sqitch, the migrate image).
\set map_town `cat db/maps/town.json`
\set map_room_scout `cat db/maps/room-scout.json`
\set map_room_sage `cat db/maps/room-sage.json`
\set map_room_chronicler `cat db/maps/room-chronicler.json`
\set map_room_trends `cat db/maps/room-trends.json`
\set map_room_maven `cat db/maps/room-maven.json`
SELECT m.room_slug,
       CASE WHEN m.map IS DISTINCT FROM (SELECT v.map FROM app.rooms r JOIN app.worlds w ON w.id = r.world_id AND w.slug = 'ark'
                                           JOIN app.map_versions v ON v.room_id = r.id AND v.version = r.map_version
                                          WHERE r.slug = m.room_slug)
            THEN 'published version ' || (app.dba_publish_map('ark', m.room_slug, m.map) ->> 'version')
            ELSE 'derived again from version ' || app.dba_rederive_map('ark', m.room_slug)
       END AS map
  FROM (VALUES (1, 'room-scout', :'map_room_scout'::jsonb), (2, 'room-sage', :'map_room_sage'::jsonb),
               (3, 'room-chronicler', :'map_room_chronicler'::jsonb), (4, 'room-trends', :'map_room_trends'::jsonb),
               (5, 'room-maven', :'map_room_maven'::jsonb), (6, 'town', :'map_town'::jsonb)) AS m(n, room_slug, map)
 ORDER BY m.n;

COMMIT;
