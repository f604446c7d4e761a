-- Revert arkagentic:function_app_chat from pg: the bodies of v0.4.0.

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
    RAISE EXCEPTION 'rate limit exceeded for %: at most % per %', action, rule.max_events, rule.per
      USING ERRCODE = 'PT429',
            DETAIL = pg_catalog.json_build_object('retry_after', retry_after)::text,
            HINT = pg_catalog.format('Try again in %s seconds (retry_after=%s).', retry_after, retry_after);
  END IF;
END
$function$;

COMMENT ON FUNCTION app.rate_limit_hit(uuid,text) IS
  'Counts one event against the action''s rule, or raises PT429 (HTTP 429) with retry_after.';

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
  END IF;
  RETURN content;
END
$$;
COMMENT ON FUNCTION app.check_chat_content(text, integer) IS 'Returns chat content if it is storable, or raises 22023 saying why.';

COMMIT;
