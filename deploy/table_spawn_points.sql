-- Deploy arkagentic:table_spawn_points to pg
-- requires: table_rooms table_agents
-- Where players and agents appear in a room.

BEGIN;

CREATE TABLE app.spawn_points (
  id        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  room_id   uuid NOT NULL REFERENCES app.rooms (id) ON DELETE CASCADE,
  slug      app.slug NOT NULL,
  x         integer NOT NULL,
  y         integer NOT NULL,
  type      text NOT NULL CONSTRAINT spawn_points_type_known CHECK (type IN ('player', 'agent')),
  agent_id  uuid REFERENCES app.agents (id) ON DELETE CASCADE,
  direction app.direction NOT NULL DEFAULT 'down',
  CONSTRAINT spawn_points_slug_key UNIQUE (room_id, slug),
  CONSTRAINT spawn_points_agent_iff_agent_type CHECK ((type = 'agent') = (agent_id IS NOT NULL))
);
COMMENT ON TABLE app.spawn_points IS 'Spawn positions; agent_id is set exactly when type is agent.';

CREATE INDEX spawn_points_agent_id_idx ON app.spawn_points (agent_id);

ALTER TABLE app.spawn_points ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.spawn_points FORCE ROW LEVEL SECURITY;

GRANT SELECT ON app.spawn_points TO web_anon, player, agent_service, content_admin;
GRANT INSERT, UPDATE, DELETE ON app.spawn_points TO content_admin;

COMMIT;
