-- Per-installation settings that must not live in Sqitch changes: role passwords and the JWT key.
-- Run by the deploy script after every `sqitch deploy`, as the owner:
--   psql -v jwt_secret=... -v authenticator_password=... -v bridge_password=... \
--        -v trusted_client_address_header=... -f db/configure.sql "$DATABASE_URL"
-- Idempotent; rotating a secret is running it again with a new value (and restarting PostgREST).

\set ON_ERROR_STOP on

BEGIN;

ALTER ROLE authenticator WITH LOGIN PASSWORD :'authenticator_password';
ALTER ROLE bridge WITH LOGIN PASSWORD :'bridge_password';
SELECT auth.set_jwt_secret(:'jwt_secret');
-- The header a reverse proxy in front of PostgREST sets to the client's address (X-Forwarded-For), or
-- empty when PostgREST is reached directly: login_anonymous then limits sign-ups per address too. The
-- deploy's TRUSTED_CLIENT_ADDRESS_HEADER is the source of truth; every deploy writes it.
SELECT app.set_trusted_client_address_header(:'trusted_client_address_header');

COMMIT;

-- PostgREST caches the schema; tell it to look again.
NOTIFY pgrst, 'reload schema';
