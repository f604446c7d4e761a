-- Verify arkagentic:extension_pgcrypto on pg

BEGIN;

SELECT 1/count(*) FROM pg_extension WHERE extname = 'pgcrypto';
SELECT public.crypt('x', public.gen_salt('bf', 4));

ROLLBACK;
