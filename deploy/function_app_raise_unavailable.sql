-- Deploy arkagentic:function_app_raise_unavailable to pg
-- requires: function_app_raise
-- 503 Service Unavailable joins the statuses app.raise_api_error may answer with: a feature this
-- installation has not configured (api.jitsi_token without JITSI_* settings). Still no other 5xx: those
-- are this project's defects.

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
           WHEN 503 THEN 'Service Unavailable'
         END;
COMMENT ON FUNCTION app.http_reason_phrase(integer) IS
  'The standard reason phrase (RFC 9110) of each status the API answers with (its 4xx, and 503 for a feature the installation has not configured); NULL for any other status.';

COMMIT;
