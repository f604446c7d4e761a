-- Revert arkagentic:function_realtime_chat_stream from pg
-- Back to chat_stamp as v0.4.1 and v0.5.0 had it: the running-transactions scan without its guard.

BEGIN;

CREATE OR REPLACE FUNCTION realtime.chat_stamp(wait boolean DEFAULT false) RETURNS bigint
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER
  SET search_path = ''
  -- The txid bounds differ on every call and are constants of each call's plan.
  SET plan_cache_mode = force_custom_plan
  AS $$
DECLARE
  last_seen pg_snapshot;
  seen_xmax xid8;
  were_running xid8[];
BEGIN
  -- One sequencer at a time (the key is 'arkchat' as a number), and the next one starts after this
  -- one committed: so its positions are all higher, and a reader that sees a position sees every
  -- lower one. The bridge's tail does not wait: another bridge stamping right now does its work.
  -- A new socket waits, so that every message committed before it came is below its cursor.
  -- Its own transaction, always: the snapshot it stores must not see writes of the transaction that
  -- stores it, or the next call would take this transaction's own messages for new ones, forever.
  IF pg_catalog.pg_current_xact_id_if_assigned() IS NOT NULL THEN
    RAISE EXCEPTION 'realtime.chat_stamp must run in a transaction of its own, before anything in it writes'
      USING ERRCODE = 'active_sql_transaction', HINT = 'Call it in autocommit mode, as the bridge does.';
  END IF;
  -- A position may be delivered as soon as this commits, so the commit is flushed, whatever the
  -- installation's synchronous_commit: a crash must not take back a position a client was given. The
  -- flush covers the messages it stamps too, which committed before it.
  PERFORM pg_catalog.set_config('synchronous_commit', 'on', true);
  IF wait THEN
    PERFORM pg_catalog.pg_advisory_xact_lock(27428878295785844);
  ELSIF NOT pg_catalog.pg_try_advisory_xact_lock(27428878295785844) THEN
    RETURN NULL;
  END IF;
  SELECT s.snapshot INTO last_seen FROM app.chat_log_state s;
  seen_xmax := pg_catalog.pg_snapshot_xmax(last_seen);
  were_running := ARRAY(SELECT pg_catalog.pg_snapshot_xip(last_seen));
  -- One statement, so the messages it stamps and the snapshot it stores are the same snapshot's.
  -- What the last snapshot could not see: transactions at or above its xmax, or then running (those
  -- are all below its xmax, so the two scans never meet).
  WITH fresh AS (
    INSERT INTO app.chat_log (message_id, session_id)
    SELECT n.id, n.session_id
      FROM (SELECT m.id, m.session_id FROM app.chat_messages m WHERE m.txid >= seen_xmax
            UNION ALL
            SELECT m.id, m.session_id FROM app.chat_messages m WHERE m.txid = ANY (were_running)) n
     ORDER BY n.id
    RETURNING 1)
  -- Nothing new, nothing written: an idle stream costs no WAL and no commit flush.
  UPDATE app.chat_log_state s SET snapshot = pg_catalog.pg_current_snapshot()
   WHERE EXISTS (SELECT FROM fresh);
  -- This transaction's own positions included: the caller gets the result only once it committed.
  RETURN (SELECT coalesce(pg_catalog.max(l.position), 0) FROM app.chat_log l);
END
$$;

COMMIT;
