-- Verify arkagentic:function_app_raise_unavailable on pg

BEGIN;

DO $$
BEGIN
  ASSERT app.http_reason_phrase(503) = 'Service Unavailable', 'reason phrase of 503';
  ASSERT app.http_reason_phrase(500) IS NULL, 'no 500 from app.raise_api_error';
END
$$;

ROLLBACK;
