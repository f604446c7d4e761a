-- Deploy arkagentic:table_agent_prompts to pg
-- requires: table_agents
-- Versioned system prompts. History is append-only: only is_active ever changes on an old version.

BEGIN;

CREATE TABLE app.agent_prompts (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  agent_id      uuid NOT NULL REFERENCES app.agents (id) ON DELETE CASCADE,
  version       integer NOT NULL CONSTRAINT agent_prompts_version_positive CHECK (version >= 1),
  system_prompt text NOT NULL CONSTRAINT agent_prompts_length CHECK (char_length(btrim(system_prompt)) BETWEEN 1 AND 100000),
  is_active     boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT agent_prompts_version_key UNIQUE (agent_id, version)
);
COMMENT ON TABLE app.agent_prompts IS 'System prompts per agent, one row per version; at most one active.';

CREATE UNIQUE INDEX agent_prompts_one_active ON app.agent_prompts (agent_id) WHERE is_active;

-- Versions only grow, and a published version never changes its text.
CREATE FUNCTION app.agent_prompts_guard() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.version <= (SELECT coalesce(max(version), 0) FROM app.agent_prompts WHERE agent_id = NEW.agent_id) THEN
      RAISE EXCEPTION 'prompt version % is not newer than the latest version of this agent', NEW.version
        USING ERRCODE = 'check_violation', HINT = 'Use api.publish_prompt, which picks the next version.';
    END IF;
  ELSIF (NEW.agent_id, NEW.version, NEW.system_prompt, NEW.created_at)
        IS DISTINCT FROM (OLD.agent_id, OLD.version, OLD.system_prompt, OLD.created_at) THEN
    RAISE EXCEPTION 'a published prompt version cannot be changed'
      USING ERRCODE = 'check_violation', HINT = 'Publish a new version instead.';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION app.agent_prompts_guard() IS 'Keeps prompt versions increasing per agent and published texts immutable.';

CREATE TRIGGER agent_prompts_guard BEFORE INSERT OR UPDATE ON app.agent_prompts
  FOR EACH ROW EXECUTE FUNCTION app.agent_prompts_guard();

ALTER TABLE app.agent_prompts ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.agent_prompts FORCE ROW LEVEL SECURITY;

GRANT SELECT ON app.agent_prompts TO agent_service, content_admin;
GRANT INSERT, UPDATE (is_active) ON app.agent_prompts TO content_admin;

COMMIT;
