-- bench/bench_history.sh's data, as the owner: 2000 users in 1000 private sessions (pairs) and 2000 agent
-- sessions, and :long messages in one long private session plus :per in each of the others (1M in all by
-- default); nothing is marked read. Ends with the message count.
\set ON_ERROR_STOP 1
BEGIN;
CREATE TEMP TABLE gen_users AS
WITH made AS (
  INSERT INTO app.users (display_name, avatar_sprite)
  SELECT 'gen-' || g, 'brendan' FROM generate_series(1, 2000) g RETURNING id, split_part(display_name, '-', 2)::int AS n)
SELECT * FROM made;
CREATE TEMP TABLE gen_sessions AS
WITH s AS (
  INSERT INTO app.chat_sessions (type, user_id, other_user_id)
  SELECT 'private', a.id, b.id FROM gen_users a JOIN gen_users b ON b.n = a.n + 1 WHERE a.n % 2 = 1
  RETURNING id, user_id, other_user_id)
SELECT * FROM s;
WITH s AS (
  INSERT INTO app.chat_sessions (type, user_id, agent_id)
  SELECT 'agent', u.id, (SELECT id FROM app.agents WHERE slug = 'scout') FROM gen_users u RETURNING id, user_id)
INSERT INTO gen_sessions SELECT s.id, s.user_id, NULL FROM s;
-- the long session (k = 1) is a private one, so that half of it is unread for the busy account
CREATE TEMP TABLE gen_numbered AS SELECT row_number() OVER (ORDER BY other_user_id IS NULL, id) AS k, * FROM gen_sessions;
INSERT INTO app.chat_messages (session_id, sender_type, sender_id, sender_name, content, created_at)
SELECT s.id, 'user', CASE WHEN g % 2 = 0 THEN s.user_id ELSE coalesce(s.other_user_id, s.user_id) END, 'gen',
       'history message ' || g || ': ' || repeat('lorem ipsum ', 1 + g % 8), now() - (1000000 - g) * interval '1 second'
  FROM gen_numbered s, generate_series(1, :long) g WHERE s.k = 1;
INSERT INTO app.chat_messages (session_id, sender_type, sender_id, sender_name, content, created_at)
SELECT s.id, 'user', CASE WHEN g % 2 = 0 OR s.other_user_id IS NULL THEN s.user_id ELSE s.other_user_id END,
       'gen', 'message ' || g || ': ' || repeat('lorem ipsum ', 1 + g % 8), now() - (1000000 - g) * interval '1 second'
  FROM gen_numbered s, generate_series(1, :per) g WHERE s.k > 1;
COMMIT;
ANALYZE;
SELECT count(*) FROM app.chat_messages;
