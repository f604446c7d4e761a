-- Deploy arkagentic:table_jitsi_config to pg
-- requires: schema_auth
-- The installation's Jitsi (issue 14): its domain, the app id and secret its prosody token module
-- checks (JITSI_APP_ID, JITSI_APP_SECRET) and the audience. Per installation, so no Sqitch change holds
-- the values: db/configure.sql writes them at every deploy (auth.set_jitsi_config). No row: no Jitsi.
-- Like auth.jwt_secret it is granted to no role and has no policy, so row-level security (enabled and
-- forced) hides every row from everyone but the owner's SECURITY DEFINER functions.

BEGIN;

CREATE TABLE auth.jitsi_config (
  singleton  boolean PRIMARY KEY DEFAULT true CONSTRAINT jitsi_config_single_row CHECK (singleton),
  domain     text NOT NULL CONSTRAINT jitsi_config_domain_shape
               CHECK (domain ~ '^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(:[0-9]{1,5})?$'),
  app_id     text NOT NULL CONSTRAINT jitsi_config_app_id_shape CHECK (app_id ~ '^[!-~]{1,128}$'),
  app_secret text NOT NULL CONSTRAINT jitsi_config_secret_long_enough CHECK (octet_length(app_secret) >= 32),
  audience   text NOT NULL DEFAULT 'jitsi' CONSTRAINT jitsi_config_audience_shape CHECK (audience ~ '^[!-~]{1,128}$'),
  updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE auth.jitsi_config IS
  'The Jitsi deployment tokens are minted for (one row, or none: no Jitsi). Granted to no role; written by auth.set_jitsi_config() at deploy.';

ALTER TABLE auth.jitsi_config ENABLE ROW LEVEL SECURITY;
ALTER TABLE auth.jitsi_config FORCE ROW LEVEL SECURITY;
REVOKE ALL ON auth.jitsi_config FROM PUBLIC;

COMMIT;
