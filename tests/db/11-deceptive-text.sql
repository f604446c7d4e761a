-- Names and text that cannot deceive (issue 9, section 5): display names refuse every class of invisible,
-- format and reordering character and are stored NFC; chat content refuses bidi overrides and isolates.
-- Each class is tried through login_anonymous (the function), PATCH /me (the users trigger) and a direct
-- INSERT that skips the trigger (the table's CHECK).
BEGIN;
\ir helpers.psql

SELECT plan(50);

CREATE TABLE tests.deceptive (shown text PRIMARY KEY, name text NOT NULL, reason text NOT NULL);
INSERT INTO tests.deceptive VALUES
  ('zero-width space (Cf)',         U&'Scout\200B',           'format'),
  ('soft hyphen (Cf)',              U&'Sco\00ADut',           'format'),
  ('zero-width joiner (Cf)',        U&'Sc\200Dout',           'format'),
  ('byte order mark (Cf)',          U&'\FEFFScout',           'format'),
  ('language tag (Cf, plane 14)',   U&'Scout\+0E0041',        'format'),
  ('right-to-left override',        U&'evil\202Egpj.exe',     'bidi_control'),
  ('first strong isolate',          U&'evil\2068gpj',         'bidi_control'),
  ('right-to-left mark',            U&'Scout\200F',           'bidi_control'),
  ('Arabic letter mark',            U&'Scout\061C',           'bidi_control'),
  ('Hangul filler U+3164',          U&'\3164',                'hangul_filler'),
  ('Hangul choseong filler U+115F', U&'A\115F',               'hangul_filler'),
  ('Hangul jungseong filler U+1160',U&'A\1160',               'hangul_filler'),
  ('halfwidth Hangul filler U+FFA0',U&'A\FFA0',               'hangul_filler'),
  ('line separator (Zl)',           U&'Sc\2028out',           'separator'),
  ('paragraph separator (Zp)',      U&'Sc\2029out',           'separator'),
  ('private use (Co, BMP)',         U&'Scout\E000',           'private_use'),
  ('private use (Co, plane 15)',    U&'Scout\+0F0000',        'private_use'),
  ('unassigned (Cn)',               U&'Scout\0378',           'unassigned'),
  ('noncharacter (Cn)',             U&'Scout\FFFF',           'unassigned');
GRANT SELECT ON tests.deceptive TO web_anon, player;

-- as web_anon: login_anonymous refuses each class, with the class in details
SELECT tests.clear_authentication();
SELECT is(tests.error_of(format('SELECT api.login_anonymous(%L, %L)', d.name, 'brendan')) - 'hint',
          jsonb_build_object('sqlstate', '22023',
                             'message', 'display_name must not contain invisible, format, bidi or unassigned characters',
                             'detail', jsonb_build_object('reason', d.reason)::text),
          'login_anonymous refuses a ' || d.shown || ' in a display name')
  FROM tests.deceptive d ORDER BY d.shown;

SELECT is(api.login_anonymous(U&'Zoe\0301', 'brendan') IS NOT NULL, true, 'a decomposed name is accepted ...');
SELECT tests.as_owner();
SELECT is((SELECT display_name::text FROM app.users ORDER BY created_at DESC, id LIMIT 1), U&'Zo\00E9',
  '... and stored NFC-normalised (one precomposed e-acute)');
SELECT is((SELECT display_name::text FROM app.users ORDER BY created_at DESC, id LIMIT 1) IS NFC NORMALIZED, true,
  'the stored name is in NFC');
SELECT lives_ok($$SELECT app.check_display_name(U&'Zo\00EB \6F22\5B57 \+01F642 Ad\00E1')$$,
  'letters of any script, emoji and accents are fine');

-- as a player: PATCH /me goes through the same check
SELECT tests.create_user('Alice');
SELECT tests.authenticate_as(tests.id_of('Alice'));
SELECT throws_ok(format('UPDATE api.me SET display_name = %L', d.name), '22023',
                 'display_name must not contain invisible, format, bidi or unassigned characters',
                 'PATCH /me refuses a ' || d.shown)
  FROM tests.deceptive d WHERE d.shown IN ('zero-width space (Cf)', 'right-to-left override', 'Hangul filler U+3164',
                                           'line separator (Zl)', 'private use (Co, BMP)', 'unassigned (Cn)');
SELECT is(tests.row_count($$UPDATE api.me SET display_name = U&'Ade\0301le'$$), 1::bigint, 'PATCH /me with a decomposed name passes ...');
SELECT results_eq('SELECT display_name::text FROM api.me', ARRAY[U&'Ad\00E9le'::text], '... and stores it in NFC');

-- as the owner, without the trigger: the table's CHECK refuses what the function would
SELECT tests.as_owner();
ALTER TABLE app.users DISABLE TRIGGER users_validate;
SELECT throws_ok(format('INSERT INTO app.users (display_name, avatar_sprite) VALUES (%L, %L)', d.name, 'brendan'), '23514',
                 'new row for relation "users" violates check constraint "users_display_name_visible"',
                 'the table refuses a ' || d.shown || ' even without the trigger')
  FROM tests.deceptive d WHERE d.shown IN ('zero-width space (Cf)', 'right-to-left override', 'Hangul filler U+3164',
                                           'paragraph separator (Zp)', 'private use (Co, plane 15)', 'noncharacter (Cn)');
SELECT throws_ok($$INSERT INTO app.users (display_name, avatar_sprite) VALUES (U&'Zoe\0301', 'brendan')$$, '23514',
  'new row for relation "users" violates check constraint "users_display_name_visible"',
  'the table refuses a name that is not NFC');
ALTER TABLE app.users ENABLE TRIGGER users_validate;

-- chat content: bidi overrides and isolates are refused, other text is not
SELECT throws_ok(format('SELECT app.check_chat_content(%L, 4000)', c), '22023',
                 'content must not contain bidi override or isolate controls',
                 format('chat content refuses U+%s', to_hex(ascii(substr(c, 5, 1)))))
  FROM unnest(ARRAY[U&'look\202Agpj', U&'look\202Bgpj', U&'look\202Cgpj', U&'look\202Dgpj', U&'look\202Egpj',
                    U&'look\2066gpj', U&'look\2067gpj', U&'look\2068gpj', U&'look\2069gpj']) AS c;
SELECT lives_ok($$SELECT app.check_chat_content(U&'\05E9\05DC\05D5\05DD and \0645\0631\062D\0628\0627 \+01F642', 4000)$$,
  'right-to-left scripts and emoji are fine in chat');
SELECT tests.create_user('Bob');
INSERT INTO app.chat_sessions (type, user_id, other_user_id) VALUES ('private', tests.id_of('Alice'), tests.id_of('Bob'));
SELECT throws_ok(format($$INSERT INTO app.chat_messages (session_id, sender_type, sender_id, sender_name, content)
                         SELECT s.id, 'user', %L, 'Alice', U&'evil\202Egpj.exe' FROM app.chat_sessions s WHERE s.user_id = %L$$,
                        tests.id_of('Alice'), tests.id_of('Alice')), '23514',
  'new row for relation "chat_messages" violates check constraint "chat_messages_content_bidi"',
  'the chat_messages table refuses a bidi override, whoever writes it');
SELECT tests.authenticate_as(tests.id_of('Alice'));
SELECT throws_ok(format($$SELECT api.send_message(%L, U&'evil\2067gpj.exe')$$,
                        (SELECT s.id FROM app.chat_sessions s WHERE s.user_id = tests.id_of('Alice'))), '22023',
  'content must not contain bidi override or isolate controls', 'send_message refuses an isolate control');

SELECT * FROM finish();
ROLLBACK;
