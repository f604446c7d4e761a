-- Deploy arkagentic:function_realtime_last_message_id to pg
-- requires: schema_realtime table_chat_messages
-- A socket's chat cursor starts at the newest message when it connects, so a listener outage
-- before its first message still replays exactly what it missed, and never the whole history.

BEGIN;

CREATE FUNCTION realtime.last_message_id() RETURNS bigint
  LANGUAGE sql STABLE
  SECURITY DEFINER
  SET search_path = ''
  AS $$ SELECT coalesce(pg_catalog.max(m.id), 0) FROM app.chat_messages m $$;
COMMENT ON FUNCTION realtime.last_message_id() IS 'The newest message id (0 when there is none): the starting chat cursor of a new socket.';
GRANT EXECUTE ON FUNCTION realtime.last_message_id() TO bridge;

COMMIT;
