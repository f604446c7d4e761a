-- Per-installation settings that must not live in Sqitch changes: role passwords, the JWT key and Jitsi.
-- Run by the deploy script after every `sqitch deploy`, as the owner:
--   psql -v jwt_secret=... -v authenticator_password=... -v bridge_password=... \
--        -v trusted_client_address_header=... -v jitsi_domain=... -v jitsi_app_id=... \
--        -v jitsi_app_secret=... -v jitsi_audience=... -f db/configure.sql "$DATABASE_URL"
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
-- The installation's Jitsi (JITSI_DOMAIN, JITSI_APP_ID, JITSI_APP_SECRET, JITSI_AUDIENCE), kept like the
-- JWT key where no API role reads it; all empty: no Jitsi (api.jitsi_token answers 503). Every deploy
-- writes it, so unsetting the variables removes it.
SELECT auth.set_jitsi_config(:'jitsi_domain', :'jitsi_app_id', :'jitsi_app_secret', :'jitsi_audience');

COMMIT;

-- PostgREST caches the schema; tell it to look again.
NOTIFY pgrst, 'reload schema';
