-- Verify arkagentic:function_app_raise on pg
-- A verify script must RAISE to fail: a query that returns false still passes.

BEGIN;

DO $$
DECLARE
  state text;
  msg text;
  det text;
BEGIN
  ASSERT app.http_reason_phrase(429) = 'Too Many Requests', 'reason phrase of 429';
  ASSERT has_function_privilege('content_admin', 'app.raise_api_error(integer, text, text, text, jsonb, jsonb)', 'EXECUTE'),
    'content_admin must execute it (api.publish_prompt runs as content_admin)';
  ASSERT NOT has_function_privilege('player', 'app.raise_api_error(integer, text, text, text, jsonb, jsonb)', 'EXECUTE'),
    'player must not execute it';
  ASSERT NOT has_function_privilege('public', 'app.raise_api_error(integer, text, text, text, jsonb, jsonb)', 'EXECUTE'),
    'PUBLIC must not execute it';
  BEGIN
    PERFORM app.raise_api_error(404, 'PT404', 'unknown room', 'GET /rooms', '{"room_slug": "x\r\ny"}',
                                '{"Retry-After": "1"}');
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
  END;
  ASSERT state = 'PGRST', 'the SQLSTATE must be PGRST, got ' || coalesce(state, 'none');
  ASSERT msg::jsonb = '{"code": "PT404", "message": "unknown room", "hint": "GET /rooms", "details": "{\"room_slug\": \"x\\r\\ny\"}"}',
    'message: ' || msg;
  ASSERT det::jsonb = '{"status": 404, "status_text": "Not Found", "headers": {"Retry-After": "1"}}', 'detail: ' || det;
END
$$;

ROLLBACK;
