-- Revert arkagentic:domains_app from pg

BEGIN;

DROP DOMAIN app.presence_status;
DROP DOMAIN app.direction;
DROP DOMAIN app.display_name;
DROP DOMAIN app.slug;

COMMIT;
