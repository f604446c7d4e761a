-- Revert arkagentic:table_avatar_sprites from pg

BEGIN;

DROP TABLE app.avatar_sprites;

COMMIT;
