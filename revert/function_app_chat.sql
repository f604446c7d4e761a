-- Revert arkagentic:function_app_chat from pg: the bodies of v0.4.1.
-- requires: function_app_raise
-- app.check_chat_content refuses bidi override and isolate controls (issue 9, section 5).
-- app.rate_limit_hit answers 429 with a real Retry-After header and details {"retry_after": n}.
-- 4xx errors go through app.raise_api_error (function_app_raise): a PTxyz RAISE put its message, and
-- with it any client value the message repeated, into PostgREST's HTTP status line. The status line is
-- now the standard reason phrase and the client's value is in details, as JSON.

BEGIN;

CREATE OR REPLACE FUNCTION app.rate_limit_hit(user_id uuid, action text)
 RETURNS void
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
DECLARE
  rule app.rate_limit_rules;
  spacing interval;
  next_tat timestamptz;
  retry_after integer;
BEGIN
  SELECT * INTO rule FROM app.rate_limit_rules r WHERE r.action = rate_limit_hit.action;
  IF NOT FOUND THEN
    RETURN;  -- no rule, no limit
  END IF;
  spacing := rule.per / rule.max_events;
  -- A user who has sent before has a row: a plain UPDATE, cheaper than INSERT ... ON CONFLICT, which
  -- first probes the index for a conflict and then locks and updates the row it found.
  UPDATE app.rate_limit_state s SET tat = greatest(s.tat, pg_catalog.now()) + spacing
   WHERE s.user_id = rate_limit_hit.user_id AND s.action = rate_limit_hit.action
  RETURNING s.tat INTO next_tat;
  IF NOT FOUND THEN
    INSERT INTO app.rate_limit_state AS s (user_id, action, tat)
    VALUES (rate_limit_hit.user_id, rate_limit_hit.action, pg_catalog.now() + spacing)
    ON CONFLICT ON CONSTRAINT rate_limit_state_pkey DO UPDATE
       SET tat = greatest(s.tat, pg_catalog.now()) + spacing
    RETURNING s.tat INTO next_tat;
  END IF;
  IF next_tat - pg_catalog.now() > rule.per THEN
    -- Raising rolls the state back too: a refused attempt does not count.
    retry_after := greatest(pg_catalog.ceil(extract(epoch FROM next_tat - pg_catalog.now() - rule.per)), 1);
    PERFORM app.raise_api_error(429, 'PT429', 'rate limit exceeded',
              pg_catalog.format('At most %s %s per %s. Try again in %s seconds (retry_after=%s).',
                                rule.max_events, action, rule.per, retry_after, retry_after),
              pg_catalog.jsonb_build_object('retry_after', retry_after),
              pg_catalog.jsonb_build_object('Retry-After', retry_after::text));
  END IF;
END
$function$;

COMMENT ON FUNCTION app.rate_limit_hit(uuid,text) IS
  'Counts one event against the action''s rule, or answers HTTP 429 (code PT429, app.raise_api_error) with a Retry-After header and details {"retry_after": seconds}.';

CREATE OR REPLACE FUNCTION app.check_chat_content(content text, max_length integer) RETURNS text
  LANGUAGE plpgsql IMMUTABLE
  SET search_path = ''
  AS $$
BEGIN
  IF content IS NULL OR pg_catalog.btrim(content, E' \t\n\r') = '' THEN
    RAISE EXCEPTION 'content must not be empty'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send some text.';
  ELSIF pg_catalog.char_length(content) > max_length THEN
    RAISE EXCEPTION 'content is % characters long; the limit is %', pg_catalog.char_length(content), max_length
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Split it into several messages.';
  ELSIF content ~ '[\x01-\x09\x0b-\x1f\x7f-\x9f]' THEN  -- C0, DEL and C1 (U+009B starts terminal escapes)
    RAISE EXCEPTION 'content must not contain control characters other than newline'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Remove tabs, carriage returns and other control characters.';
  ELSIF content ~ '[\u202a-\u202e\u2066-\u2069]' THEN  -- bidi embeddings, overrides and isolates
    RAISE EXCEPTION 'content must not contain bidi override or isolate controls'
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Remove U+202A to U+202E and U+2066 to U+2069: they make text render in another order than it reads.';
  END IF;
  RETURN content;
END
$$;
COMMENT ON FUNCTION app.check_chat_content(text, integer) IS 'Returns chat content if it is storable, or raises 22023 saying why (empty, too long, control characters, bidi override or isolate controls).';

COMMIT;
