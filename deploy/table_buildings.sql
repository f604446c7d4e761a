-- Deploy arkagentic:table_buildings to pg
-- requires: table_rooms table_agents
-- Interactive zones in a room: agent rooms, meeting spots and portals.

BEGIN;

CREATE TABLE app.buildings (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  room_id        uuid NOT NULL REFERENCES app.rooms (id) ON DELETE CASCADE,
  slug           app.slug NOT NULL,
  name           text NOT NULL CONSTRAINT buildings_name_length CHECK (char_length(name) BETWEEN 1 AND 64),
  type           text NOT NULL CONSTRAINT buildings_type_known CHECK (type IN ('agent_room', 'meeting', 'portal')),
  x              integer NOT NULL CONSTRAINT buildings_x_nonnegative CHECK (x >= 0),
  y              integer NOT NULL CONSTRAINT buildings_y_nonnegative CHECK (y >= 0),
  width          integer NOT NULL CONSTRAINT buildings_width_positive CHECK (width >= 1),
  height         integer NOT NULL CONSTRAINT buildings_height_positive CHECK (height >= 1),
  door_x         integer NOT NULL,
  door_y         integer NOT NULL,
  agent_id       uuid REFERENCES app.agents (id) ON DELETE RESTRICT,
  target_room_id uuid REFERENCES app.rooms (id) ON DELETE RESTRICT,
  jitsi_room     text CONSTRAINT buildings_jitsi_room_shape CHECK (jitsi_room ~ '^[A-Za-z0-9_-]{1,64}$'),
  CONSTRAINT buildings_slug_key UNIQUE (room_id, slug),
  CONSTRAINT buildings_type_needs_target CHECK (CASE type
    WHEN 'agent_room' THEN agent_id IS NOT NULL
    WHEN 'portal'     THEN target_room_id IS NOT NULL
    WHEN 'meeting'    THEN jitsi_room IS NOT NULL
  END),
  CONSTRAINT buildings_no_self_portal CHECK (target_room_id IS DISTINCT FROM room_id)
);
COMMENT ON TABLE app.buildings IS 'Zones in a room. An agent_room needs agent_id, a portal target_room_id, a meeting jitsi_room.';
COMMENT ON COLUMN app.buildings.target_room_id IS 'The room the door leads to (required for portals; an agent_room leads to its agent''s room).';

CREATE INDEX buildings_agent_id_idx ON app.buildings (agent_id);
CREATE INDEX buildings_target_room_id_idx ON app.buildings (target_room_id);

ALTER TABLE app.buildings ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.buildings FORCE ROW LEVEL SECURITY;

GRANT SELECT ON app.buildings TO web_anon, player, agent_service, content_admin;
GRANT INSERT, UPDATE, DELETE ON app.buildings TO content_admin;

COMMIT;
