-- Deploy arkagentic:table_user_blocks to pg
-- requires: table_users
-- requires: function_auth_claims
-- Who blocked whom (issue 9, section 3, private chat consent). A blocked player cannot open a private
-- chat with the blocker or post into one; api.start_chat and api.send_message look the pair up by the
-- primary key. Only the blocker reads their rows: nobody can learn who blocked them.

BEGIN;

CREATE TABLE app.user_blocks (
  blocker    uuid NOT NULL REFERENCES app.users (id) ON DELETE CASCADE,
  blocked    uuid NOT NULL REFERENCES app.users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (blocker, blocked),
  CONSTRAINT user_blocks_not_self CHECK (blocker <> blocked)
);
COMMENT ON TABLE app.user_blocks IS
  'blocker blocked blocked: blocked may not start a private chat with blocker or send into one. Read by the blocker only.';

-- Deleting an account removes the blocks that name it as the blocked one: without this index that
-- cascade scans the table.
CREATE INDEX user_blocks_blocked_idx ON app.user_blocks (blocked);

ALTER TABLE app.user_blocks ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.user_blocks FORCE ROW LEVEL SECURITY;

-- The blocker's own rows, for api.blocked_users (security_invoker). Writes go through api.block_user
-- and api.unblock_user only; no policy lets the blocked side see a row.
CREATE POLICY user_blocks_blocker_read ON app.user_blocks FOR SELECT
  TO player USING (blocker = (SELECT auth.user_id()));
GRANT SELECT ON app.user_blocks TO player;

COMMIT;
