-- Deploy arkagentic:function_app_raise to pg
-- requires: schema_app
-- requires: roles
-- For a PTxyz SQLSTATE, PostgREST 12 writes the error's MESSAGE into the HTTP status line, so a message
-- that repeated a client's value (unknown room 'x\r\nSet-Cookie: ...') let that client write raw bytes
-- into the response. PostgREST 12's other form, RAISE SQLSTATE 'PGRST' with a JSON MESSAGE
-- {code, message, details, hint} and a JSON DETAIL {status, status_text, headers}, takes the status line
-- from DETAIL instead. app.raise_api_error is the one way this project raises an HTTP 4xx:
--   * the status text is the standard reason phrase of the status, looked up here, never passed in;
--   * message and hint are the caller's fixed text; a client's values go only into details, as JSON;
--   * details is sent as a JSON-encoded string (PostgREST answers 500 PGRST121 for an object there),
--     the same shape the 429 answers always had ("{\"retry_after\": 3}");
--   * headers (e.g. Retry-After) must be printable ASCII, or the call fails loudly instead of sending them.
-- The bridge reads the same errors (SQLSTATE PGRST, the code inside the JSON message): bridge/db.py.

BEGIN;

CREATE FUNCTION app.http_reason_phrase(status integer) RETURNS text
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
-- Only functions that run as the caller need EXECUTE: api.publish_prompt runs as content_admin. Every
-- other caller is a SECURITY DEFINER function.
REVOKE ALL ON FUNCTION app.http_reason_phrase(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.http_reason_phrase(integer) TO content_admin;

CREATE FUNCTION app.raise_api_error(status integer, code text, message text, hint text,
                                    details jsonb DEFAULT NULL, headers jsonb DEFAULT NULL) RETURNS void
  LANGUAGE plpgsql STABLE
  SET search_path = ''
  AS $$
DECLARE
  reason text := app.http_reason_phrase(status);
  header record;
BEGIN
  -- A programming error, not a client's: these raise internal_error (HTTP 500) so that a test sees them.
  IF reason IS NULL THEN
    RAISE EXCEPTION 'app.raise_api_error: status % is not a 4xx status of this API', status
      USING ERRCODE = 'internal_error';
  ELSIF code IS NULL OR code !~ '^[A-Z0-9]{5}$' OR message IS NULL THEN
    RAISE EXCEPTION 'app.raise_api_error: code must be five letters or digits, and message is required'
      USING ERRCODE = 'internal_error';
  ELSIF headers IS NOT NULL AND pg_catalog.jsonb_typeof(headers) <> 'object' THEN
    RAISE EXCEPTION 'app.raise_api_error: headers must be a JSON object' USING ERRCODE = 'internal_error';
  END IF;
  FOR header IN SELECT h.key, h.value FROM pg_catalog.jsonb_each_text(coalesce(headers, '{}')) AS h LOOP
    IF header.key !~ '^[A-Za-z0-9-]+$' OR header.value IS NULL OR header.value !~ '^[!-~]([ -~]*[!-~])?$' THEN
      RAISE EXCEPTION 'app.raise_api_error: header names and values must be printable ASCII'
        USING ERRCODE = 'internal_error';
    END IF;
  END LOOP;
  RAISE SQLSTATE 'PGRST'
    USING MESSAGE = pg_catalog.json_build_object('code', code, 'message', message,
                                                 'details', details::text, 'hint', hint)::text,
          DETAIL = pg_catalog.json_build_object('status', status, 'status_text', reason,
                                                'headers', coalesce(headers, '{}'))::text;
END
$$;
COMMENT ON FUNCTION app.raise_api_error(integer, text, text, text, jsonb, jsonb) IS
  'Raises an HTTP 4xx answer through PostgREST (SQLSTATE PGRST): the status with its standard reason phrase, a body {code, message, details, hint} whose details is the JSON text of the details argument, and the given headers. message and hint are fixed text; client values go only into details.';
REVOKE ALL ON FUNCTION app.raise_api_error(integer, text, text, text, jsonb, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.raise_api_error(integer, text, text, text, jsonb, jsonb)
  TO content_admin;

COMMIT;
