-- Deploy arkagentic:function_app_identity_limits to pg
-- requires: table_identity_limits
-- requires: function_app_raise
-- requires: table_chat_sessions
-- requires: table_player_presence
-- requires: table_credentials
-- The pieces api.login_anonymous, api.login and api.register share (issue 9, section 3):
--   * app.rate_limit_hit_bucket: chat's GCRA limiter (app.rate_limit_hit) for a bucket that is not a
--     user, with the same 429 answer;
--   * app.client_address_bucket: the caller's address from the trusted forwarding header, if the
--     installation names one;
--   * app.duration_words: a rule's window in the words a hint uses;
--   * auth.register_attempt: api.register's per-caller and per-email throttle;
--   * app.identity_housekeeping: deletes abandoned anonymous accounts and expired throttle and bucket
--     rows, a bounded batch at most once per interval, from login_anonymous and login, so it runs
--     whether or not a bridge (or a cron job) does.
-- None is granted to an API role: only the SECURITY DEFINER api functions call them.

BEGIN;

CREATE FUNCTION app.rate_limit_hit_bucket(action text, bucket text) RETURNS void
  LANGUAGE plpgsql
  SET search_path = ''
  AS $$
DECLARE
  rule app.rate_limit_rules;
  spacing interval;
  next_tat timestamptz;
  retry_after integer;
BEGIN
  SELECT * INTO rule FROM app.rate_limit_rules r WHERE r.action = rate_limit_hit_bucket.action;
  IF NOT FOUND THEN
    RETURN;  -- no rule, no limit
  END IF;
  spacing := rule.per / rule.max_events;
  -- One statement reads, counts and locks: concurrent callers of one bucket queue on its row, so none
  -- counts from a stale value.
  INSERT INTO app.rate_limit_buckets AS b (action, bucket, tat)
  VALUES (rate_limit_hit_bucket.action, rate_limit_hit_bucket.bucket, pg_catalog.now() + spacing)
  ON CONFLICT ON CONSTRAINT rate_limit_buckets_pkey DO UPDATE
     SET tat = greatest(b.tat, pg_catalog.now()) + spacing
  RETURNING b.tat INTO next_tat;
  IF next_tat - pg_catalog.now() > rule.per THEN
    -- Raising rolls the state back too: a refused attempt does not count.
    retry_after := greatest(pg_catalog.ceil(extract(epoch FROM next_tat - pg_catalog.now() - rule.per)), 1);
    PERFORM app.raise_api_error(429, 'PT429', 'rate limit exceeded',
              pg_catalog.format('At most %s %s per %s. Try again in %s seconds (retry_after=%s).',
                                rule.max_events, action, app.duration_words(rule.per), retry_after, retry_after),
              pg_catalog.jsonb_build_object('retry_after', retry_after),
              pg_catalog.jsonb_build_object('Retry-After', retry_after::text));
  END IF;
END
$$;
COMMENT ON FUNCTION app.rate_limit_hit_bucket(text, text) IS
  'Counts one event of the action against one bucket (''*'' for everyone, ''address:<ip>'' per client address) with app.rate_limit_rules'' rule, or answers HTTP 429 (PT429) with a Retry-After header and details {"retry_after": seconds}.';
REVOKE ALL ON FUNCTION app.rate_limit_hit_bucket(text, text) FROM PUBLIC;

CREATE FUNCTION app.duration_words(length interval) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = ''
  RETURN (WITH s(seconds) AS (SELECT pg_catalog.round(extract(epoch FROM length))::bigint)
          SELECT CASE
                   WHEN seconds % 86400 = 0 THEN pg_catalog.format('%s day%s', seconds / 86400, CASE WHEN seconds = 86400 THEN '' ELSE 's' END)
                   WHEN seconds % 3600 = 0 THEN pg_catalog.format('%s hour%s', seconds / 3600, CASE WHEN seconds = 3600 THEN '' ELSE 's' END)
                   WHEN seconds % 60 = 0 THEN pg_catalog.format('%s minute%s', seconds / 60, CASE WHEN seconds = 60 THEN '' ELSE 's' END)
                   ELSE pg_catalog.format('%s second%s', seconds, CASE WHEN seconds = 1 THEN '' ELSE 's' END)
                 END
            FROM s);
COMMENT ON FUNCTION app.duration_words(interval) IS 'A window as a hint says it: 15 minutes, 1 hour, 30 days.';
REVOKE ALL ON FUNCTION app.duration_words(interval) FROM PUBLIC;

-- api.register's throttle, counted the way api.login counts failed logins (see there).
CREATE FUNCTION auth.register_attempt(key text, action text) RETURNS void
  LANGUAGE plpgsql
  SET search_path TO ''
AS $function$
DECLARE
  rule app.rate_limit_rules;
  counted integer;
  locked_until timestamptz;
  retry_after integer;
BEGIN
  SELECT * INTO rule FROM app.rate_limit_rules r WHERE r.action = register_attempt.action;
  IF NOT FOUND THEN
    RETURN;  -- no rule, no limit
  END IF;
  INSERT INTO auth.register_throttle AS t (key, failures, window_start, last_failure_at)
  VALUES (register_attempt.key, 1, pg_catalog.now(), pg_catalog.now())
  ON CONFLICT ON CONSTRAINT register_throttle_pkey DO UPDATE
     SET failures = CASE WHEN t.window_start + rule.per > pg_catalog.now() THEN t.failures + 1 ELSE 1 END,
         window_start = CASE WHEN t.window_start + rule.per > pg_catalog.now() THEN t.window_start ELSE pg_catalog.now() END,
         last_failure_at = pg_catalog.now()
   WHERE t.window_start + rule.per <= pg_catalog.now() OR t.failures < rule.max_events
  RETURNING t.failures INTO counted;
  IF counted IS NULL THEN
    SELECT t.window_start + rule.per INTO locked_until FROM auth.register_throttle t WHERE t.key = register_attempt.key;
    retry_after := greatest(pg_catalog.ceil(extract(epoch FROM locked_until - pg_catalog.now())), 1);
    PERFORM app.raise_api_error(429, 'PT429', 'too many failed registrations',
              pg_catalog.format('After %s failed attempts in %s, register is locked for the rest of the window. Try again in %s seconds (retry_after=%s).',
                                rule.max_events, app.duration_words(rule.per), retry_after, retry_after),
              pg_catalog.jsonb_build_object('retry_after', retry_after),
              pg_catalog.jsonb_build_object('Retry-After', retry_after::text));
  END IF;
END
$function$;
COMMENT ON FUNCTION auth.register_attempt(text, text) IS
  'Counts one register attempt against a caller or email key and the action''s rule, or answers 429 (PT429) while the key''s window is full.';
REVOKE ALL ON FUNCTION auth.register_attempt(text, text) FROM PUBLIC;

-- The address is read only from the header the installation trusts: any other header, and every
-- left-hand entry of a list, is whatever the client chose to send. A proxy appends the address it
-- saw, so the right-most entry is the one it vouches for.
CREATE FUNCTION app.client_address_bucket() RETURNS text
  LANGUAGE plpgsql STABLE
  SET search_path = ''
  AS $$
DECLARE
  header_name text := (SELECT s.trusted_client_address_header FROM app.identity_settings s);
  value text;
  candidate text;
  address inet;
BEGIN
  IF header_name IS NULL THEN
    RETURN NULL;  -- no trusted proxy: the address PostgREST sees is not the client's
  END IF;
  BEGIN
    value := nullif(pg_catalog.current_setting('request.headers', true), '')::json ->> header_name;
    candidate := pg_catalog.btrim(pg_catalog.regexp_replace(value, '^.*,', ''), E' \t');
    IF pg_catalog.char_length(candidate) > 64 THEN
      candidate := NULL;
    END IF;
    -- Proxies that write a port or IPv6 brackets: 192.0.2.1:4711, [2001:db8::1]:4711, [2001:db8::1].
    candidate := pg_catalog.regexp_replace(candidate, '^([0-9.]+):[0-9]+$', '\1');
    candidate := pg_catalog.regexp_replace(candidate, '^\[([0-9A-Fa-f:.]+)\](:[0-9]+)?$', '\1');
    address := candidate::inet;
  EXCEPTION WHEN data_exception THEN
    address := NULL;  -- whatever arrived, it is not an address
  END;
  IF address IS NULL THEN
    -- The proxy is configured but sent nothing usable: all such requests share one bucket, so a
    -- request that bypassed the proxy is limited too rather than not at all.
    RETURN 'address:unknown';
  ELSIF pg_catalog.family(address) = 6 AND address << '::ffff:0.0.0.0/96'::inet THEN
    address := '0.0.0.0'::inet + (address - '::ffff:0.0.0.0'::inet);  -- an IPv4 client seen over IPv6
  END IF;
  IF pg_catalog.family(address) = 4 THEN
    RETURN 'address:' || pg_catalog.host(pg_catalog.set_masklen(address, 32));
  END IF;
  -- One IPv6 subscriber holds a whole /64: counting single addresses would not limit them at all.
  RETURN 'address:' || pg_catalog.network(pg_catalog.set_masklen(address, 64))::text;
END
$$;
COMMENT ON FUNCTION app.client_address_bucket() IS
  'The caller''s rate-limit bucket ''address:<ip>'' (IPv6 by /64) from the right-most entry of the trusted forwarding header in app.identity_settings; ''address:unknown'' when that header is missing or malformed; NULL when no header is trusted.';
REVOKE ALL ON FUNCTION app.client_address_bucket() FROM PUBLIC;

CREATE FUNCTION app.set_trusted_client_address_header(header_name text) RETURNS void
  LANGUAGE plpgsql
  SET search_path = ''
  AS $$
BEGIN
  IF header_name IS NOT NULL AND pg_catalog.btrim(header_name) <> ''
     AND pg_catalog.btrim(header_name) !~ '^[A-Za-z0-9-]{1,64}$' THEN
    RAISE EXCEPTION 'TRUSTED_CLIENT_ADDRESS_HEADER must be a header name such as X-Forwarded-For'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  UPDATE app.identity_settings
     SET trusted_client_address_header = pg_catalog.lower(nullif(pg_catalog.btrim(header_name), ''));
END
$$;
COMMENT ON FUNCTION app.set_trusted_client_address_header(text) IS
  'Names the request header a reverse proxy sets to the client''s address (NULL or empty: none is trusted); db/configure.sql calls it at every deploy with TRUSTED_CLIENT_ADDRESS_HEADER.';
REVOKE ALL ON FUNCTION app.set_trusted_client_address_header(text) FROM PUBLIC;

-- An account is abandoned only when nothing would be lost: never registered, no chat of any kind
-- (sessions cover every message it sent: a sender is always a participant of the session), no
-- proximity message delivered to it, and neither seen nor present in a room within the period.
CREATE FUNCTION app.purge_abandoned_anonymous_users(batch integer, unseen_for interval) RETURNS integer
  LANGUAGE plpgsql
  SET search_path = ''
  AS $$
DECLARE
  purged integer;
BEGIN
  WITH abandoned AS (
    SELECT u.id FROM app.users u
     WHERE u.is_anonymous AND u.email IS NULL
       AND u.last_seen_at < pg_catalog.now() - unseen_for
       AND u.created_at < pg_catalog.now() - unseen_for
       AND NOT EXISTS (SELECT FROM auth.credentials c WHERE c.user_id = u.id)
       AND NOT EXISTS (SELECT FROM app.chat_sessions s WHERE s.user_id = u.id)
       AND NOT EXISTS (SELECT FROM app.chat_sessions s WHERE s.other_user_id = u.id)
       AND NOT EXISTS (SELECT FROM app.chat_message_recipients r WHERE r.user_id = u.id)
       AND NOT EXISTS (SELECT FROM app.player_presence p
                        WHERE p.user_id = u.id
                          AND (p.status <> 'offline' OR p.last_update >= pg_catalog.now() - unseen_for))
     ORDER BY u.last_seen_at
     LIMIT batch
     -- A row someone is using right now (a new chat's foreign key check locks it) is left for later.
       FOR UPDATE OF u SKIP LOCKED)
  DELETE FROM app.users u USING abandoned a WHERE u.id = a.id;
  GET DIAGNOSTICS purged = ROW_COUNT;
  RETURN purged;
END
$$;
COMMENT ON FUNCTION app.purge_abandoned_anonymous_users(integer, interval) IS
  'Deletes up to batch anonymous accounts without credentials, chats, delivered messages or recent presence that were not seen within unseen_for; returns how many.';
REVOKE ALL ON FUNCTION app.purge_abandoned_anonymous_users(integer, interval) FROM PUBLIC;

CREATE FUNCTION app.identity_housekeeping(force boolean DEFAULT false) RETURNS jsonb
  LANGUAGE plpgsql
  SET search_path = ''
  AS $$
DECLARE
  settings app.identity_settings;
  login_window interval := (SELECT r.per FROM app.rate_limit_rules r WHERE r.action = 'login_failures_per_email');
  register_window interval := (SELECT greatest(max(r.per), interval '0') FROM app.rate_limit_rules r
                                WHERE r.action IN ('register_failures_per_caller', 'register_failures_per_email'));
  users integer;
  login_rows integer;
  register_rows integer;
  bucket_rows integer;
BEGIN
  -- The common case is one primary-key read: not due yet.
  SELECT * INTO settings FROM app.identity_settings;
  IF NOT force AND settings.housekeeping_last_run_at + settings.housekeeping_every > pg_catalog.now() THEN
    RETURN pg_catalog.jsonb_build_object('ran', false);
  END IF;
  -- One run at a time, and nobody waits for it: the callers are sign-ins.
  IF NOT pg_catalog.pg_try_advisory_xact_lock(27428878295785845) THEN
    RETURN pg_catalog.jsonb_build_object('ran', false);
  END IF;
  -- Read again under the lock: a run that committed after the read above is seen now.
  UPDATE app.identity_settings s SET housekeeping_last_run_at = pg_catalog.now()
   WHERE force OR s.housekeeping_last_run_at + s.housekeeping_every <= pg_catalog.now()
  RETURNING * INTO settings;
  IF NOT FOUND THEN
    RETURN pg_catalog.jsonb_build_object('ran', false);
  END IF;

  users := app.purge_abandoned_anonymous_users(settings.housekeeping_batch, settings.abandoned_anonymous_after);

  -- A throttle row whose window has passed counts nothing any more (the next failure starts a new
  -- window), so deleting it changes no answer. last_failure_at is at or after window_start.
  DELETE FROM auth.login_throttle t
   WHERE t.email IN (SELECT e.email FROM auth.login_throttle e
                      WHERE e.last_failure_at < pg_catalog.now() - coalesce(login_window, interval '0')
                      ORDER BY e.last_failure_at LIMIT settings.housekeeping_batch
                        FOR UPDATE SKIP LOCKED);
  GET DIAGNOSTICS login_rows = ROW_COUNT;
  DELETE FROM auth.register_throttle t
   WHERE t.key IN (SELECT e.key FROM auth.register_throttle e
                    WHERE e.last_failure_at < pg_catalog.now() - register_window
                    ORDER BY e.last_failure_at LIMIT settings.housekeeping_batch
                      FOR UPDATE SKIP LOCKED);
  GET DIAGNOSTICS register_rows = ROW_COUNT;
  -- A bucket whose theoretical arrival time has passed is full again: the same as no row.
  DELETE FROM app.rate_limit_buckets b
   WHERE (b.action, b.bucket) IN (SELECT e.action, e.bucket FROM app.rate_limit_buckets e
                                   WHERE e.tat < pg_catalog.now()
                                   ORDER BY e.tat LIMIT settings.housekeeping_batch
                                     FOR UPDATE SKIP LOCKED);
  GET DIAGNOSTICS bucket_rows = ROW_COUNT;

  RETURN pg_catalog.jsonb_build_object('ran', true, 'abandoned_users', users, 'login_throttle', login_rows,
                                       'register_throttle', register_rows, 'rate_limit_buckets', bucket_rows);
END
$$;
COMMENT ON FUNCTION app.identity_housekeeping(boolean) IS
  'At most once per app.identity_settings.housekeeping_every (always with force), one run at a time: deletes up to housekeeping_batch abandoned anonymous accounts, expired login and register throttle rows and expired rate-limit buckets. Returns {ran, abandoned_users, login_throttle, register_throttle, rate_limit_buckets}. An operator may call it from cron as the owner: SELECT app.identity_housekeeping(true).';
REVOKE ALL ON FUNCTION app.identity_housekeeping(boolean) FROM PUBLIC;

COMMIT;
