-- Deploy arkagentic:roles to pg
-- Roles are cluster-wide, so several databases on one server may share them: create each only if missing.

BEGIN;

DO $$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT * FROM (VALUES
      -- PostgREST logs in as authenticator and switches to the JWT's role; it has no rights of its own.
      ('authenticator', 'LOGIN NOINHERIT'),
      -- Requests without a token.
      ('web_anon',      'NOLOGIN'),
      -- Every signed-in user, anonymous ones included.
      ('player',        'NOLOGIN'),
      -- The AI-agent worker.
      ('agent_service', 'NOLOGIN'),
      -- Edits agents, rooms and prompts.
      ('content_admin', 'NOLOGIN'),
      -- The WebSocket bridge logs in as itself.
      ('bridge',        'LOGIN NOINHERIT')
    ) AS t(name, options)
  LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r.name) THEN
      EXECUTE format('CREATE ROLE %I %s', r.name, r.options);
    END IF;
  END LOOP;
END
$$;

GRANT web_anon, player, agent_service, content_admin TO authenticator;

COMMIT;
