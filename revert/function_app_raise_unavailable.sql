-- Revert arkagentic:function_app_raise_unavailable from pg

BEGIN;

CREATE OR REPLACE FUNCTION app.http_reason_phrase(status integer) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = ''
  RETURN CASE status
           WHEN 400 THEN 'Bad Request'
           WHEN 401 THEN 'Unauthorized'
           WHEN 403 THEN 'Forbidden'
           WHEN 404 THEN 'Not Found'
           WHEN 409 THEN 'Conflict'
           WHEN 413 THEN 'Content Too Large'
           WHEN 422 THEN 'Unprocessable Content'
           WHEN 429 THEN 'Too Many Requests'
         END;
COMMENT ON FUNCTION app.http_reason_phrase(integer) IS
  'The standard reason phrase (RFC 9110) of each 4xx status the API answers with; NULL for any other status.';

COMMIT;
