-- Deploy arkagentic:table_player_presence to pg
-- requires: table_users table_rooms domains_app
-- Where each player is and whether they are connected. One row per user; the position survives leaving.

BEGIN;

CREATE TABLE app.player_presence (
  user_id       uuid PRIMARY KEY REFERENCES app.users (id) ON DELETE CASCADE,
  room_id       uuid NOT NULL REFERENCES app.rooms (id) ON DELETE CASCADE,
  x             integer NOT NULL,
  y             integer NOT NULL,
  direction     app.direction NOT NULL DEFAULT 'down',
  status        app.presence_status NOT NULL DEFAULT 'online',
  -- Opaque reconnection handle; never exposed through api.
  session_token text,
  last_update   timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE app.player_presence IS 'Last known room, position and status of each player.';

CREATE INDEX player_presence_room_idx ON app.player_presence (room_id) WHERE status <> 'offline';
CREATE INDEX player_presence_last_update_idx ON app.player_presence (last_update) WHERE status <> 'offline';

ALTER TABLE app.player_presence ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.player_presence FORCE ROW LEVEL SECURITY;

COMMIT;
