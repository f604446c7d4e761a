-- Deploy arkagentic:table_agents to pg
-- requires: domains_app
-- The AI characters, replacing the three hard-coded copies in the client and servers.

BEGIN;

CREATE TABLE app.agents (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug             app.slug NOT NULL CONSTRAINT agents_slug_key UNIQUE,
  name             text NOT NULL CONSTRAINT agents_name_length CHECK (char_length(name) BETWEEN 1 AND 64),
  role             text NOT NULL CONSTRAINT agents_role_length CHECK (char_length(role) BETWEEN 1 AND 128),
  emoji            text NOT NULL CONSTRAINT agents_emoji_length CHECK (char_length(emoji) BETWEEN 1 AND 16),
  sprite_key       text NOT NULL CONSTRAINT agents_sprite_key_shape CHECK (sprite_key ~ '^[a-z0-9_-]{1,32}$'),
  greeting         text NOT NULL CONSTRAINT agents_greeting_length CHECK (char_length(greeting) BETWEEN 1 AND 4000),
  routing_keywords text[] NOT NULL DEFAULT '{}'
                   -- Lowercase single words, so matching is a plain equality on lowercased message words.
                   CONSTRAINT agents_routing_keywords_shape CHECK (
                     array_position(routing_keywords, NULL) IS NULL
                     AND array_to_string(routing_keywords, ' ') ~ '^([a-z0-9-]+( [a-z0-9-]+)*)?$'),
  is_active        boolean NOT NULL DEFAULT true,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE app.agents IS 'AI agents: display data and routing keywords. Prompts live in app.agent_prompts.';
COMMENT ON COLUMN app.agents.routing_keywords IS 'Lowercase words that route a message to this agent.';

CREATE INDEX agents_routing_keywords_idx ON app.agents USING gin (routing_keywords);

ALTER TABLE app.agents ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.agents FORCE ROW LEVEL SECURITY;

GRANT SELECT ON app.agents TO web_anon, player, agent_service, content_admin;
GRANT INSERT, UPDATE, DELETE ON app.agents TO content_admin;

COMMIT;
