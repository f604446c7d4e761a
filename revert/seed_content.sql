-- Revert arkagentic:seed_content from pg
-- Removes the seeded rows by their natural keys (dependent buildings, spawns and prompts cascade).

BEGIN;

DELETE FROM app.buildings
 WHERE room_id IN (SELECT id FROM app.rooms WHERE slug IN
         ('town', 'room-scout', 'room-sage', 'room-chronicler', 'room-trends', 'room-maven'));
DELETE FROM app.rooms WHERE slug IN ('town', 'room-scout', 'room-sage', 'room-chronicler', 'room-trends', 'room-maven');
DELETE FROM app.agents WHERE slug IN ('scout', 'sage', 'chronicler', 'trends', 'maven');
DELETE FROM app.avatar_sprites s WHERE key IN ('brendan', 'may')
   AND NOT EXISTS (SELECT FROM app.users u WHERE u.avatar_sprite = s.key);

COMMIT;
