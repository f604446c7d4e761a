-- Deploy arkagentic:table_chat_messages_bidi_check to pg
-- requires: table_chat_messages_content_check_function
-- Chat content refuses the bidi embedding, override and isolate controls U+202A-U+202E and
-- U+2066-U+2069 (issue 9, section 5): they make a message render in another order than it reads
-- ("evil\u202egpj.exe" shows as evilexe.jpg). app.check_chat_content gives the readable error first;
-- this constraint makes such a row impossible. Existing rows that carry them lose those characters
-- (nothing else of the message changes), then the NOT VALID constraint is validated.

BEGIN;

UPDATE app.chat_messages m
   SET content = pg_catalog.regexp_replace(m.content, '[\u202a-\u202e\u2066-\u2069]', '', 'g')
 WHERE m.content ~ '[\u202a-\u202e\u2066-\u2069]';

ALTER TABLE app.chat_messages ADD CONSTRAINT chat_messages_content_bidi
  CHECK (content !~ '[\u202a-\u202e\u2066-\u2069]') NOT VALID;
ALTER TABLE app.chat_messages VALIDATE CONSTRAINT chat_messages_content_bidi;

COMMIT;
