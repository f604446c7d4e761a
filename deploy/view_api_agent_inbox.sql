-- Deploy arkagentic:view_api_agent_inbox to pg
-- requires: function_api_chat policy_chat_delivery
-- What the agent worker has not answered yet: the users' messages in agent sessions that came after the
-- session's last agent message. A worker that starts fresh (or lost its cursor) answers these first and
-- then follows the socket; before this it answered nothing sent while it was down.

BEGIN;

CREATE VIEW api.agent_inbox WITH (security_invoker = true) AS
  SELECT m.id, m.session_id, a.slug AS agent_slug, m.sender_id, m.sender_name, m.content, m.created_at
    FROM app.chat_sessions s
    JOIN app.agents a ON a.id = s.agent_id
    -- The session's newest message, one probe of chat_messages_session_id_idx: only sessions that
    -- end with a user's message go further.
    CROSS JOIN LATERAL (SELECT n.sender_type FROM app.chat_messages n
                         WHERE n.session_id = s.id ORDER BY n.id DESC LIMIT 1) newest
    -- The last message that was not a user's (the agent's answer or greeting), walking back only over
    -- the unanswered ones.
    LEFT JOIN LATERAL (SELECT r.id FROM app.chat_messages r
                        WHERE r.session_id = s.id AND r.sender_type <> 'user' ORDER BY r.id DESC LIMIT 1) answered ON true
    JOIN app.chat_messages m ON m.session_id = s.id AND m.id > coalesce(answered.id, 0) AND m.sender_type = 'user'
   WHERE s.type = 'agent' AND newest.sender_type = 'user';
COMMENT ON VIEW api.agent_inbox IS
  'Users'' messages in agent sessions not answered yet (after the session''s last agent message), for the agent worker (agent_service).';
COMMENT ON COLUMN api.agent_inbox.id IS 'The message id.';
COMMENT ON COLUMN api.agent_inbox.session_id IS 'The agent session.';
COMMENT ON COLUMN api.agent_inbox.agent_slug IS 'The agent to answer as.';
COMMENT ON COLUMN api.agent_inbox.sender_id IS 'The user who wrote it.';
COMMENT ON COLUMN api.agent_inbox.sender_name IS 'Their name when they wrote it.';
COMMENT ON COLUMN api.agent_inbox.content IS 'The text.';
COMMENT ON COLUMN api.agent_inbox.created_at IS 'When it was sent.';
GRANT SELECT ON api.agent_inbox TO agent_service;

COMMIT;
