-- Verify arkagentic:function_app_presence on pg
-- A verify script must RAISE to fail: a query that returns false still passes.

BEGIN;

DO $$
DECLARE
  fn regprocedure;
BEGIN
  FOREACH fn IN ARRAY ARRAY['app.presence_enter(uuid,text,text)'::regprocedure, 'app.presence_set_status(uuid,text)'::regprocedure] LOOP
    ASSERT (SELECT 'search_path=""' = ANY (proconfig) FROM pg_proc WHERE oid = fn),
      fn::text || ' must pin its search_path';
    -- Its 4xx go through app.raise_api_error: no PTxyz SQLSTATE of its own, whose message would be the status line.
    ASSERT (SELECT prosrc !~ 'ERRCODE = ''PT' FROM pg_proc WHERE oid = fn), fn::text || ' must not raise PTxyz itself';
  END LOOP;
END
$$;

-- An unknown room answers 404 with the slug in details, never in the message.
DO $$
DECLARE
  state text;
  msg text;
BEGIN
  BEGIN
    PERFORM app.presence_enter('00000000-0000-4000-8000-00000000000c', E'x\r\nSet-Cookie: a=1', 'sock-v');
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
  END;
  ASSERT state = 'PGRST', 'unknown room: SQLSTATE ' || coalesce(state, 'none');
  ASSERT msg::jsonb ->> 'message' = 'unknown room' AND msg::jsonb ->> 'code' = 'PT404', 'unknown room: ' || msg;
  ASSERT (msg::jsonb ->> 'details')::jsonb ->> 'room_slug' = E'x\r\nSet-Cookie: a=1', 'the slug goes into details: ' || msg;
END
$$;

ROLLBACK;
