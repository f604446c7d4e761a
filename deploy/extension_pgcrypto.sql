-- Deploy arkagentic:extension_pgcrypto to pg
-- pgcrypto gives crypt()/gen_salt() for bcrypt passwords and hmac() for signing JWTs in SQL.

BEGIN;

CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;

COMMIT;
