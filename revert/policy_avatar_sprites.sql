-- Revert arkagentic:policy_avatar_sprites from pg

BEGIN;

DROP POLICY avatar_sprites_admin_write ON app.avatar_sprites;
DROP POLICY avatar_sprites_read ON app.avatar_sprites;

COMMIT;
