-- Deploy arkagentic:policy_avatar_sprites to pg
-- requires: table_avatar_sprites
-- Who sees and changes which rows of app.avatar_sprites.

BEGIN;

CREATE POLICY avatar_sprites_read ON app.avatar_sprites FOR SELECT
  TO web_anon, player, agent_service, content_admin USING (true);
CREATE POLICY avatar_sprites_admin_write ON app.avatar_sprites FOR ALL
  TO content_admin USING (true) WITH CHECK (true);

COMMIT;
