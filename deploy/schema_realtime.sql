-- Deploy arkagentic:schema_realtime to pg
-- requires: roles
-- Functions the WebSocket bridge calls, and nobody else. The bridge role has no table grants at
-- all: everything it reads or writes goes through these SECURITY DEFINER functions.

BEGIN;

CREATE SCHEMA realtime;
COMMENT ON SCHEMA realtime IS 'Functions for the WebSocket bridge only (presence and chat delivery).';
GRANT USAGE ON SCHEMA realtime TO bridge;

COMMIT;
