-- Deploy arkagentic:world_bans_reason_bidi to pg
-- requires: table_worlds
-- A ban reason is shown to the world's owner and editors (GET /world_bans). api.ban's hint promised "no
-- bidi controls", but neither it nor the table refused them, so an editor could store a reason that
-- renders in another order than it reads, as world names and chat messages may not. The table now
-- refuses the bidi override and isolate controls whoever writes the row; reasons stored before this rule
-- lose those characters first, and a NOT VALID constraint then validated checks every row.

BEGIN;

UPDATE app.world_bans b
   SET reason = pg_catalog.regexp_replace(b.reason, '[\u202a-\u202e\u2066-\u2069]', '', 'g')
 WHERE b.reason ~ '[\u202a-\u202e\u2066-\u2069]';

ALTER TABLE app.world_bans ADD CONSTRAINT world_bans_reason_bidi
  CHECK (reason !~ '[\u202a-\u202e\u2066-\u2069]') NOT VALID;
ALTER TABLE app.world_bans VALIDATE CONSTRAINT world_bans_reason_bidi;

COMMIT;
