-- Deploy arkagentic:table_player_presence_movement to pg
-- requires: table_player_presence
-- Movement state for the speed rule: a token bucket of tiles. It refills at the room's max_speed
-- and holds at most one second's walk plus one tile, so network jitter (two moves arriving close
-- together) passes while sustained speed and teleports do not.

BEGIN;

ALTER TABLE app.player_presence
  ADD COLUMN moved_at    timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN move_budget real NOT NULL DEFAULT 0 CONSTRAINT player_presence_move_budget_nonnegative CHECK (move_budget >= 0);
COMMENT ON COLUMN app.player_presence.moved_at IS 'When the last move was accepted (server clock).';
COMMENT ON COLUMN app.player_presence.move_budget IS 'Tiles the player may still move right now (refills at max_speed per second).';
COMMENT ON COLUMN app.player_presence.session_token IS 'The connection that owns this presence; a late disconnect of an older connection changes nothing.';

COMMIT;
