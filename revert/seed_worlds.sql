-- Revert arkagentic:seed_worlds from pg
-- Nothing to undo: the content is what seed_content loaded, and table_rooms_world's revert removes the
-- rooms of other worlds.

SELECT 1;
