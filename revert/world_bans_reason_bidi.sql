-- Revert arkagentic:world_bans_reason_bidi from pg
-- (controls the deploy removed from old reasons are not put back)

BEGIN;

ALTER TABLE app.world_bans DROP CONSTRAINT world_bans_reason_bidi;

COMMIT;
