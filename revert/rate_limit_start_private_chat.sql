-- Revert arkagentic:rate_limit_start_private_chat from pg

BEGIN;

-- The senders' state rows go with it (ON DELETE CASCADE).
DELETE FROM app.rate_limit_rules WHERE action = 'start_private_chat';

COMMIT;
