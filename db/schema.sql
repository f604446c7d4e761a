--
-- PostgreSQL database dump
--



SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: api; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA api;


ALTER SCHEMA api OWNER TO postgres;

--
-- Name: SCHEMA api; Type: COMMENT; Schema: -; Owner: postgres
--

COMMENT ON SCHEMA api IS 'The only schema PostgREST serves: security_invoker views and functions.';


--
-- Name: app; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA app;


ALTER SCHEMA app OWNER TO postgres;

--
-- Name: SCHEMA app; Type: COMMENT; Schema: -; Owner: postgres
--

COMMENT ON SCHEMA app IS 'Private: holds the tables. PostgREST never serves it; API roles reach it only through api views and functions.';


--
-- Name: auth; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA auth;


ALTER SCHEMA auth OWNER TO postgres;

--
-- Name: SCHEMA auth; Type: COMMENT; Schema: -; Owner: postgres
--

COMMENT ON SCHEMA auth IS 'Identity: JWT signing, password hashes and login throttling. Its tables are readable by no API role.';


--
-- Name: realtime; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA realtime;


ALTER SCHEMA realtime OWNER TO postgres;

--
-- Name: SCHEMA realtime; Type: COMMENT; Schema: -; Owner: postgres
--

COMMENT ON SCHEMA realtime IS 'Functions for the WebSocket bridge only (presence and chat delivery).';


--
-- Name: pgcrypto; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;


--
-- Name: EXTENSION pgcrypto; Type: COMMENT; Schema: -; Owner: 
--

COMMENT ON EXTENSION pgcrypto IS 'cryptographic functions';


--
-- Name: direction; Type: DOMAIN; Schema: app; Owner: postgres
--

CREATE DOMAIN app.direction AS text
	CONSTRAINT direction_known CHECK ((VALUE = ANY (ARRAY['up'::text, 'down'::text, 'left'::text, 'right'::text])));


ALTER DOMAIN app.direction OWNER TO postgres;

--
-- Name: DOMAIN direction; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON DOMAIN app.direction IS 'Which way a sprite faces.';


--
-- Name: display_name; Type: DOMAIN; Schema: app; Owner: postgres
--

CREATE DOMAIN app.display_name AS text;


ALTER DOMAIN app.display_name OWNER TO postgres;

--
-- Name: DOMAIN display_name; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON DOMAIN app.display_name IS 'A name shown above an avatar; the rule is the users_display_name_shape check on app.users.';


--
-- Name: presence_status; Type: DOMAIN; Schema: app; Owner: postgres
--

CREATE DOMAIN app.presence_status AS text
	CONSTRAINT presence_status_known CHECK ((VALUE = ANY (ARRAY['online'::text, 'away'::text, 'busy'::text, 'offline'::text])));


ALTER DOMAIN app.presence_status OWNER TO postgres;

--
-- Name: DOMAIN presence_status; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON DOMAIN app.presence_status IS 'A player''s connection status.';


--
-- Name: slug; Type: DOMAIN; Schema: app; Owner: postgres
--

CREATE DOMAIN app.slug AS text
	CONSTRAINT slug_url_safe CHECK (((VALUE ~ '^[a-z0-9]+(-[a-z0-9]+)*$'::text) AND (char_length(VALUE) <= 64)));


ALTER DOMAIN app.slug OWNER TO postgres;

--
-- Name: DOMAIN slug; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON DOMAIN app.slug IS 'URL-safe name: lowercase letters, digits and single dashes, at most 64 characters.';


--
-- Name: accept_invitation(text); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.accept_invitation(token text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $_$
DECLARE
  me app.users := app.world_caller();
  inv app.world_invitations;
  w app.worlds;
  existing text;
  joined boolean;
BEGIN
  IF token IS NULL OR token !~ '^[A-Za-z0-9_-]{43}$' THEN
    PERFORM app.invitation_refused();
  END IF;
  SELECT * INTO inv FROM app.world_invitations i WHERE i.token_hash = public.digest(token, 'sha256');
  IF NOT FOUND THEN
    PERFORM app.invitation_refused();
  END IF;
  -- Under the world row's share lock, which a ban (api.ban, app.world_evict) takes FOR UPDATE: a ban
  -- that commits first is seen by the check below, and one that comes after sees this membership.
  SELECT * INTO w FROM app.worlds x WHERE x.id = inv.world_id FOR SHARE;
  IF w.archived_at IS NOT NULL OR app.world_banned(w.id, me.id)
     OR inv.email IS NOT NULL AND me.email IS DISTINCT FROM inv.email THEN
    PERFORM app.invitation_refused();
  END IF;
  existing := app.world_role(w.id, me.id);
  IF existing IS NOT NULL THEN
    -- Already a member: nothing changes, no use is spent, and the role is not lowered.
    RETURN pg_catalog.jsonb_build_object('world_slug', w.slug, 'role', existing);
  END IF;
  -- The conditional UPDATE takes the row lock: of two concurrent acceptances of the last use, the second
  -- re-reads the row once the first commits, finds no use left, and is refused.
  UPDATE app.world_invitations i SET uses = i.uses + 1
   WHERE i.id = inv.id AND i.uses < i.max_uses AND i.revoked_at IS NULL AND i.expires_at > pg_catalog.now();
  IF NOT FOUND THEN
    PERFORM app.invitation_refused();
  END IF;
  INSERT INTO app.world_members (world_id, user_id, role) VALUES (w.id, me.id, inv.role)
  ON CONFLICT ON CONSTRAINT world_members_pkey DO NOTHING
  RETURNING true INTO joined;
  IF joined IS NULL THEN
    -- The same player accepted concurrently and won: give the use back (the row is still locked).
    UPDATE app.world_invitations i SET uses = i.uses - 1 WHERE i.id = inv.id;
  END IF;
  RETURN pg_catalog.jsonb_build_object('world_slug', w.slug, 'role', app.world_role(w.id, me.id));
END
$_$;


ALTER FUNCTION api.accept_invitation(token text) OWNER TO postgres;

--
-- Name: FUNCTION accept_invitation(token text); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.accept_invitation(token text) IS 'Join a world with an invitation token: you become a member with the invitation''s role.

Returns {world_slug, role}. Accepting again as a member changes nothing and spends no use. An unknown,
expired, revoked or used-up token, an invitation bound to another email, and a ban all answer the same 404
unknown invitation, so that no token''s state can be told apart.';


--
-- Name: chat_content_ok(text, text); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.chat_content_ok(content text, sender_type text) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path TO ''
    AS $$
BEGIN
  RETURN pg_catalog.char_length(content) BETWEEN 1 AND CASE sender_type WHEN 'agent' THEN 32000 ELSE 4000 END
     AND pg_catalog.btrim(content, E' \t\n\r') <> ''
     -- C0 but newline, DEL and C1 (U+009B starts terminal escapes)
     AND content !~ '[\x01-\x09\x0b-\x1f\x7f-\x9f]';
END
$$;


ALTER FUNCTION app.chat_content_ok(content text, sender_type text) OWNER TO postgres;

--
-- Name: FUNCTION chat_content_ok(content text, sender_type text); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.chat_content_ok(content text, sender_type text) IS 'The chat_messages content rule: 1 to 4000 characters (32000 for agents), not blank, no control characters but newline.';


--
-- Name: display_name_problem(text); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.display_name_problem(name text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path TO ''
    RETURN CASE WHEN (name ~ '[[:cntrl:]]'::text) THEN 'control'::text WHEN (name ~ '[\u061c\u200e-\u200f\u202a-\u202e\u2066-\u2069]'::text) THEN 'bidi_control'::text WHEN (name ~ '[\u115f-\u1160\u3164\uffa0]'::text) THEN 'hangul_filler'::text WHEN (name ~ '[\u00ad\u0600-\u0605\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200d\u2060-\u2064\u206a-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]'::text) THEN 'format'::text WHEN (name ~ '[\u2028-\u2029]'::text) THEN 'separator'::text WHEN (name ~ '[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]'::text) THEN 'private_use'::text WHEN (name ~ '[\u0378-\u0379\u0380-\u0383\u038b\u038d\u03a2\u0530\u0557-\u0558\u058b-\u058c\u0590\u05c8-\u05cf\u05eb-\u05ee\u05f5-\u05ff\u070e\u074b-\u074c\u07b2-\u07bf\u07fb-\u07fc\u082e-\u082f\u083f\u085c-\u085d\u085f\u086b-\u086f\u088f\u0892-\u0897\u0984\u098d-\u098e\u0991-\u0992\u09a9\u09b1\u09b3-\u09b5\u09ba-\u09bb\u09c5-\u09c6\u09c9-\u09ca\u09cf-\u09d6\u09d8-\u09db\u09de\u09e4-\u09e5\u09ff-\u0a00\u0a04\u0a0b-\u0a0e\u0a11-\u0a12\u0a29\u0a31\u0a34\u0a37\u0a3a-\u0a3b\u0a3d\u0a43-\u0a46\u0a49-\u0a4a\u0a4e-\u0a50\u0a52-\u0a58\u0a5d\u0a5f-\u0a65\u0a77-\u0a80\u0a84\u0a8e\u0a92\u0aa9\u0ab1\u0ab4\u0aba-\u0abb\u0ac6\u0aca\u0ace-\u0acf\u0ad1-\u0adf\u0ae4-\u0ae5\u0af2-\u0af8\u0b00\u0b04\u0b0d-\u0b0e\u0b11-\u0b12\u0b29\u0b31\u0b34\u0b3a-\u0b3b\u0b45-\u0b46\u0b49-\u0b4a\u0b4e-\u0b54\u0b58-\u0b5b\u0b5e\u0b64-\u0b65\u0b78-\u0b81\u0b84\u0b8b-\u0b8d\u0b91\u0b96-\u0b98\u0b9b\u0b9d\u0ba0-\u0ba2\u0ba5-\u0ba7\u0bab-\u0bad\u0bba-\u0bbd\u0bc3-\u0bc5\u0bc9\u0bce-\u0bcf\u0bd1-\u0bd6\u0bd8-\u0be5\u0bfb-\u0bff\u0c0d\u0c11\u0c29\u0c3a-\u0c3b\u0c45\u0c49\u0c4e-\u0c54\u0c57\u0c5b-\u0c5c\u0c5e-\u0c5f\u0c64-\u0c65\u0c70-\u0c76\u0c8d\u0c91\u0ca9\u0cb4\u0cba-\u0cbb\u0cc5\u0cc9\u0cce-\u0cd4\u0cd7-\u0cdc\u0cdf\u0ce4-\u0ce5\u0cf0\u0cf3-\u0cff\u0d0d\u0d11\u0d45\u0d49\u0d50-\u0d53\u0d64-\u0d65\u0d80\u0d84\u0d97-\u0d99\u0db2\u0dbc\u0dbe-\u0dbf\u0dc7-\u0dc9\u0dcb-\u0dce\u0dd5\u0dd7\u0de0-\u0de5\u0df0-\u0df1\u0df5-\u0e00\u0e3b-\u0e3e\u0e5c-\u0e80\u0e83\u0e85\u0e8b\u0ea4\u0ea6\u0ebe-\u0ebf\u0ec5\u0ec7\u0ece-\u0ecf\u0eda-\u0edb\u0ee0-\u0eff\u0f48\u0f6d-\u0f70\u0f98\u0fbd\u0fcd\u0fdb-\u0fff\u10c6\u10c8-\u10cc\u10ce-\u10cf\u1249\u124e-\u124f\u1257\u1259\u125e-\u125f\u1289\u128e-\u128f\u12b1\u12b6-\u12b7\u12bf\u12c1\u12c6-\u12c7\u12d7\u1311\u1316-\u1317\u135b-\u135c\u137d-\u137f\u139a-\u139f\u13f6-\u13f7\u13fe-\u13ff\u169d-\u169f\u16f9-\u16ff\u1716-\u171e\u1737-\u173f\u1754-\u175f\u176d\u1771\u1774-\u177f\u17de-\u17df\u17ea-\u17ef\u17fa-\u17ff\u181a-\u181f\u1879-\u187f\u18ab-\u18af\u18f6-\u18ff\u191f\u192c-\u192f\u193c-\u193f\u1941-\u1943\u196e-\u196f\u1975-\u197f\u19ac-\u19af\u19ca-\u19cf\u19db-\u19dd\u1a1c-\u1a1d\u1a5f\u1a7d-\u1a7e\u1a8a-\u1a8f\u1a9a-\u1a9f\u1aae-\u1aaf\u1acf-\u1aff\u1b4d-\u1b4f\u1b7f\u1bf4-\u1bfb\u1c38-\u1c3a\u1c4a-\u1c4c\u1c89-\u1c8f\u1cbb-\u1cbc\u1cc8-\u1ccf\u1cfb-\u1cff\u1f16-\u1f17\u1f1e-\u1f1f\u1f46-\u1f47\u1f4e-\u1f4f\u1f58\u1f5a\u1f5c\u1f5e\u1f7e-\u1f7f\u1fb5\u1fc5\u1fd4-\u1fd5\u1fdc\u1ff0-\u1ff1\u1ff5\u1fff\u2065\u2072-\u2073\u208f\u209d-\u209f\u20c1-\u20cf\u20f1-\u20ff\u218c-\u218f\u2427-\u243f\u244b-\u245f\u2b74-\u2b75\u2b96\u2cf4-\u2cf8\u2d26\u2d28-\u2d2c\u2d2e-\u2d2f\u2d68-\u2d6e\u2d71-\u2d7e\u2d97-\u2d9f\u2da7\u2daf\u2db7\u2dbf\u2dc7\u2dcf\u2dd7\u2ddf\u2e5e-\u2e7f\u2e9a\u2ef4-\u2eff\u2fd6-\u2fef\u2ffc-\u2fff\u3040\u3097-\u3098\u3100-\u3104\u3130\u318f\u31e4-\u31ef\u321f\ua48d-\ua48f\ua4c7-\ua4cf\ua62c-\ua63f\ua6f8-\ua6ff\ua7cb-\ua7cf\ua7d2\ua7d4\ua7da-\ua7f1\ua82d-\ua82f\ua83a-\ua83f\ua878-\ua87f\ua8c6-\ua8cd\ua8da-\ua8df\ua954-\ua95e\ua97d-\ua97f\ua9ce\ua9da-\ua9dd\ua9ff\uaa37-\uaa3f\uaa4e-\uaa4f\uaa5a-\uaa5b\uaac3-\uaada\uaaf7-\uab00\uab07-\uab08\uab0f-\uab10\uab17-\uab1f\uab27\uab2f\uab6c-\uab6f\uabee-\uabef\uabfa-\uabff\ud7a4-\ud7af\ud7c7-\ud7ca\ud7fc-\ud7ff\ufa6e-\ufa6f\ufada-\ufaff\ufb07-\ufb12\ufb18-\ufb1c\ufb37\ufb3d\ufb3f\ufb42\ufb45\ufbc3-\ufbd2\ufd90-\ufd91\ufdc8-\ufdce\ufdd0-\ufdef\ufe1a-\ufe1f\ufe53\ufe67\ufe6c-\ufe6f\ufe75\ufefd-\ufefe\uff00\uffbf-\uffc1\uffc8-\uffc9\uffd0-\uffd1\uffd8-\uffd9\uffdd-\uffdf\uffe7\uffef-\ufff8\ufffe-\uffff\U0001000c\U00010027\U0001003b\U0001003e\U0001004e-\U0001004f\U0001005e-\U0001007f\U000100fb-\U000100ff\U00010103-\U00010106\U00010134-\U00010136\U0001018f\U0001019d-\U0001019f\U000101a1-\U000101cf\U000101fe-\U0001027f\U0001029d-\U0001029f\U000102d1-\U000102df\U000102fc-\U000102ff\U00010324-\U0001032c\U0001034b-\U0001034f\U0001037b-\U0001037f\U0001039e\U000103c4-\U000103c7\U000103d6-\U000103ff\U0001049e-\U0001049f\U000104aa-\U000104af\U000104d4-\U000104d7\U000104fc-\U000104ff\U00010528-\U0001052f\U00010564-\U0001056e\U0001057b\U0001058b\U00010593\U00010596\U000105a2\U000105b2\U000105ba\U000105bd-\U000105ff\U00010737-\U0001073f\U00010756-\U0001075f\U00010768-\U0001077f\U00010786\U000107b1\U000107bb-\U000107ff\U00010806-\U00010807\U00010809\U00010836\U00010839-\U0001083b\U0001083d-\U0001083e\U00010856\U0001089f-\U000108a6\U000108b0-\U000108df\U000108f3\U000108f6-\U000108fa\U0001091c-\U0001091e\U0001093a-\U0001093e\U00010940-\U0001097f\U000109b8-\U000109bb\U000109d0-\U000109d1\U00010a04\U00010a07-\U00010a0b\U00010a14\U00010a18\U00010a36-\U00010a37\U00010a3b-\U00010a3e\U00010a49-\U00010a4f\U00010a59-\U00010a5f\U00010aa0-\U00010abf\U00010ae7-\U00010aea\U00010af7-\U00010aff\U00010b36-\U00010b38\U00010b56-\U00010b57\U00010b73-\U00010b77\U00010b92-\U00010b98\U00010b9d-\U00010ba8\U00010bb0-\U00010bff\U00010c49-\U00010c7f\U00010cb3-\U00010cbf\U00010cf3-\U00010cf9\U00010d28-\U00010d2f\U00010d3a-\U00010e5f\U00010e7f\U00010eaa\U00010eae-\U00010eaf\U00010eb2-\U00010eff\U00010f28-\U00010f2f\U00010f5a-\U00010f6f\U00010f8a-\U00010faf\U00010fcc-\U00010fdf\U00010ff7-\U00010fff\U0001104e-\U00011051\U00011076-\U0001107e\U000110c3-\U000110cc\U000110ce-\U000110cf\U000110e9-\U000110ef\U000110fa-\U000110ff\U00011135\U00011148-\U0001114f\U00011177-\U0001117f\U000111e0\U000111f5-\U000111ff\U00011212\U0001123f-\U0001127f\U00011287\U00011289\U0001128e\U0001129e\U000112aa-\U000112af\U000112eb-\U000112ef\U000112fa-\U000112ff\U00011304\U0001130d-\U0001130e\U00011311-\U00011312\U00011329\U00011331\U00011334\U0001133a\U00011345-\U00011346\U00011349-\U0001134a\U0001134e-\U0001134f\U00011351-\U00011356\U00011358-\U0001135c\U00011364-\U00011365\U0001136d-\U0001136f\U00011375-\U000113ff\U0001145c\U00011462-\U0001147f\U000114c8-\U000114cf\U000114da-\U0001157f\U000115b6-\U000115b7\U000115de-\U000115ff\U00011645-\U0001164f\U0001165a-\U0001165f\U0001166d-\U0001167f\U000116ba-\U000116bf\U000116ca-\U000116ff\U0001171b-\U0001171c\U0001172c-\U0001172f\U00011747-\U000117ff\U0001183c-\U0001189f\U000118f3-\U000118fe\U00011907-\U00011908\U0001190a-\U0001190b\U00011914\U00011917\U00011936\U00011939-\U0001193a\U00011947-\U0001194f\U0001195a-\U0001199f\U000119a8-\U000119a9\U000119d8-\U000119d9\U000119e5-\U000119ff\U00011a48-\U00011a4f\U00011aa3-\U00011aaf\U00011af9-\U00011bff\U00011c09\U00011c37\U00011c46-\U00011c4f\U00011c6d-\U00011c6f\U00011c90-\U00011c91\U00011ca8\U00011cb7-\U00011cff\U00011d07\U00011d0a\U00011d37-\U00011d39\U00011d3b\U00011d3e\U00011d48-\U00011d4f\U00011d5a-\U00011d5f\U00011d66\U00011d69\U00011d8f\U00011d92\U00011d99-\U00011d9f\U00011daa-\U00011edf\U00011ef9-\U00011faf\U00011fb1-\U00011fbf\U00011ff2-\U00011ffe\U0001239a-\U000123ff\U0001246f\U00012475-\U0001247f\U00012544-\U00012f8f\U00012ff3-\U00012fff\U0001342f\U00013439-\U000143ff\U00014647-\U000167ff\U00016a39-\U00016a3f\U00016a5f\U00016a6a-\U00016a6d\U00016abf\U00016aca-\U00016acf\U00016aee-\U00016aef\U00016af6-\U00016aff\U00016b46-\U00016b4f\U00016b5a\U00016b62\U00016b78-\U00016b7c\U00016b90-\U00016e3f\U00016e9b-\U00016eff\U00016f4b-\U00016f4e\U00016f88-\U00016f8e\U00016fa0-\U00016fdf\U00016fe5-\U00016fef\U00016ff2-\U00016fff\U000187f8-\U000187ff\U00018cd6-\U00018cff\U00018d09-\U0001afef\U0001aff4\U0001affc\U0001afff\U0001b123-\U0001b14f\U0001b153-\U0001b163\U0001b168-\U0001b16f\U0001b2fc-\U0001bbff\U0001bc6b-\U0001bc6f\U0001bc7d-\U0001bc7f\U0001bc89-\U0001bc8f\U0001bc9a-\U0001bc9b\U0001bca4-\U0001ceff\U0001cf2e-\U0001cf2f\U0001cf47-\U0001cf4f\U0001cfc4-\U0001cfff\U0001d0f6-\U0001d0ff\U0001d127-\U0001d128\U0001d1eb-\U0001d1ff\U0001d246-\U0001d2df\U0001d2f4-\U0001d2ff\U0001d357-\U0001d35f\U0001d379-\U0001d3ff\U0001d455\U0001d49d\U0001d4a0-\U0001d4a1\U0001d4a3-\U0001d4a4\U0001d4a7-\U0001d4a8\U0001d4ad\U0001d4ba\U0001d4bc\U0001d4c4\U0001d506\U0001d50b-\U0001d50c\U0001d515\U0001d51d\U0001d53a\U0001d53f\U0001d545\U0001d547-\U0001d549\U0001d551\U0001d6a6-\U0001d6a7\U0001d7cc-\U0001d7cd\U0001da8c-\U0001da9a\U0001daa0\U0001dab0-\U0001deff\U0001df1f-\U0001dfff\U0001e007\U0001e019-\U0001e01a\U0001e022\U0001e025\U0001e02b-\U0001e0ff\U0001e12d-\U0001e12f\U0001e13e-\U0001e13f\U0001e14a-\U0001e14d\U0001e150-\U0001e28f\U0001e2af-\U0001e2bf\U0001e2fa-\U0001e2fe\U0001e300-\U0001e7df\U0001e7e7\U0001e7ec\U0001e7ef\U0001e7ff\U0001e8c5-\U0001e8c6\U0001e8d7-\U0001e8ff\U0001e94c-\U0001e94f\U0001e95a-\U0001e95d\U0001e960-\U0001ec70\U0001ecb5-\U0001ed00\U0001ed3e-\U0001edff\U0001ee04\U0001ee20\U0001ee23\U0001ee25-\U0001ee26\U0001ee28\U0001ee33\U0001ee38\U0001ee3a\U0001ee3c-\U0001ee41\U0001ee43-\U0001ee46\U0001ee48\U0001ee4a\U0001ee4c\U0001ee50\U0001ee53\U0001ee55-\U0001ee56\U0001ee58\U0001ee5a\U0001ee5c\U0001ee5e\U0001ee60\U0001ee63\U0001ee65-\U0001ee66\U0001ee6b\U0001ee73\U0001ee78\U0001ee7d\U0001ee7f\U0001ee8a\U0001ee9c-\U0001eea0\U0001eea4\U0001eeaa\U0001eebc-\U0001eeef\U0001eef2-\U0001efff\U0001f02c-\U0001f02f\U0001f094-\U0001f09f\U0001f0af-\U0001f0b0\U0001f0c0\U0001f0d0\U0001f0f6-\U0001f0ff\U0001f1ae-\U0001f1e5\U0001f203-\U0001f20f\U0001f23c-\U0001f23f\U0001f249-\U0001f24f\U0001f252-\U0001f25f\U0001f266-\U0001f2ff\U0001f6d8-\U0001f6dc\U0001f6ed-\U0001f6ef\U0001f6fd-\U0001f6ff\U0001f774-\U0001f77f\U0001f7d9-\U0001f7df\U0001f7ec-\U0001f7ef\U0001f7f1-\U0001f7ff\U0001f80c-\U0001f80f\U0001f848-\U0001f84f\U0001f85a-\U0001f85f\U0001f888-\U0001f88f\U0001f8ae-\U0001f8af\U0001f8b2-\U0001f8ff\U0001fa54-\U0001fa5f\U0001fa6e-\U0001fa6f\U0001fa75-\U0001fa77\U0001fa7d-\U0001fa7f\U0001fa87-\U0001fa8f\U0001faad-\U0001faaf\U0001fabb-\U0001fabf\U0001fac6-\U0001facf\U0001fada-\U0001fadf\U0001fae8-\U0001faef\U0001faf7-\U0001faff\U0001fb93\U0001fbcb-\U0001fbef\U0001fbfa-\U0001ffff\U0002a6e0-\U0002a6ff\U0002b739-\U0002b73f\U0002b81e-\U0002b81f\U0002cea2-\U0002ceaf\U0002ebe1-\U0002f7ff\U0002fa1e-\U0002ffff\U0003134b-\U000e0000\U000e0002-\U000e001f\U000e0080-\U000e00ff\U000e01f0-\U000effff\U000ffffe-\U000fffff\U0010fffe-\U0010ffff]'::text) THEN 'unassigned'::text ELSE NULL::text END;


ALTER FUNCTION app.display_name_problem(name text) OWNER TO postgres;

--
-- Name: FUNCTION display_name_problem(name text); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.display_name_problem(name text) IS 'Why a display name could deceive: control, bidi_control, hangul_filler, format (Cf), separator (Zl, Zp), private_use (Co) or unassigned (Cn, 14.0.0); NULL when it has none of these.';


SET default_table_access_method = heap;

--
-- Name: agent_prompt_activations; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.agent_prompt_activations (
    id bigint NOT NULL,
    agent_id uuid NOT NULL,
    world_id uuid,
    version integer NOT NULL,
    activated_by uuid,
    activated_by_role text NOT NULL,
    activated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT agent_prompt_activations_role_known CHECK ((activated_by_role = ANY (ARRAY['owner'::text, 'player'::text, 'content_admin'::text])))
);

ALTER TABLE ONLY app.agent_prompt_activations FORCE ROW LEVEL SECURITY;


ALTER TABLE app.agent_prompt_activations OWNER TO postgres;

--
-- Name: TABLE agent_prompt_activations; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.agent_prompt_activations IS 'Each move of an agent''s active prompt pointer (publish or activate): which version, who, when.';


--
-- Name: agent_prompts; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.agent_prompts (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    agent_id uuid NOT NULL,
    version integer NOT NULL,
    system_prompt text NOT NULL,
    is_active boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    world_id uuid,
    note text,
    created_by uuid,
    created_by_role text DEFAULT 'owner'::text NOT NULL,
    card jsonb,
    CONSTRAINT agent_prompts_card_size CHECK ((octet_length((card)::text) <= 262144)),
    CONSTRAINT agent_prompts_created_by_role_known CHECK ((created_by_role = ANY (ARRAY['owner'::text, 'player'::text, 'content_admin'::text]))),
    CONSTRAINT agent_prompts_length CHECK (((char_length(btrim(system_prompt)) >= 1) AND (char_length(btrim(system_prompt)) <= 100000))),
    CONSTRAINT agent_prompts_not_blank CHECK ((btrim(system_prompt, ' 	
'::text) <> ''::text)),
    CONSTRAINT agent_prompts_note_shape CHECK ((((char_length(note) >= 1) AND (char_length(note) <= 500)) AND (note !~ '[\x01-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]'::text))),
    CONSTRAINT agent_prompts_version_positive CHECK ((version >= 1))
);

ALTER TABLE ONLY app.agent_prompts FORCE ROW LEVEL SECURITY;


ALTER TABLE app.agent_prompts OWNER TO postgres;

--
-- Name: TABLE agent_prompts; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.agent_prompts IS 'System prompts per agent, one row per version; at most one active.';


--
-- Name: COLUMN agent_prompts.world_id; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app.agent_prompts.world_id IS 'The agent''s world (NULL for an installation agent), set from agent_id.';


--
-- Name: COLUMN agent_prompts.note; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app.agent_prompts.note IS 'What changed in this version, like a commit message (optional).';


--
-- Name: COLUMN agent_prompts.created_by; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app.agent_prompts.created_by IS 'The player who published it; NULL for content_admin and the seed.';


--
-- Name: COLUMN agent_prompts.created_by_role; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app.agent_prompts.created_by_role IS 'player, content_admin, or owner (the seed and SQL).';


--
-- Name: COLUMN agent_prompts.card; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app.agent_prompts.card IS 'The Character Card V2 this version was imported from, whole (extensions included).';


--
-- Name: agents; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.agents (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    slug app.slug NOT NULL,
    name text NOT NULL,
    role text NOT NULL,
    emoji text NOT NULL,
    sprite_key text NOT NULL,
    greeting text NOT NULL,
    routing_keywords text[] DEFAULT '{}'::text[] NOT NULL,
    is_active boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    world_id uuid,
    moderation_status text DEFAULT 'active'::text NOT NULL,
    moderation_reason text,
    moderated_at timestamp with time zone,
    CONSTRAINT agents_emoji_length CHECK (((char_length(emoji) >= 1) AND (char_length(emoji) <= 16))),
    CONSTRAINT agents_greeting_length CHECK (((char_length(greeting) >= 1) AND (char_length(greeting) <= 4000))),
    CONSTRAINT agents_greeting_limit CHECK (((char_length(greeting) <= 2000) AND app.chat_content_ok(greeting, 'agent'::text) AND (greeting !~ '[\u202a-\u202e\u2066-\u2069]'::text))),
    CONSTRAINT agents_moderation_reason_shape CHECK ((((char_length(moderation_reason) >= 1) AND (char_length(moderation_reason) <= 500)) AND (moderation_reason !~ '[\x01-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]'::text))),
    CONSTRAINT agents_moderation_reason_when_suspended CHECK (((moderation_status = 'suspended'::text) = (moderation_reason IS NOT NULL))),
    CONSTRAINT agents_moderation_status_known CHECK ((moderation_status = ANY (ARRAY['active'::text, 'suspended'::text]))),
    CONSTRAINT agents_name_length CHECK (((char_length(name) >= 1) AND (char_length(name) <= 64))),
    CONSTRAINT agents_name_visible CHECK (((name IS NFC NORMALIZED) AND (name = btrim(name)) AND (app.display_name_problem(name) IS NULL))),
    CONSTRAINT agents_role_length CHECK (((char_length(role) >= 1) AND (char_length(role) <= 128))),
    CONSTRAINT agents_role_limit CHECK (((char_length(role) <= 64) AND (role !~ '[[:cntrl:]\u202a-\u202e\u2066-\u2069]'::text))),
    CONSTRAINT agents_routing_keywords_limit CHECK (((cardinality(routing_keywords) <= 32) AND (array_position(routing_keywords, ''::text) IS NULL) AND (array_to_string(routing_keywords, ','::text) ~ '^([a-z0-9-]{1,32}(,[a-z0-9-]{1,32})*)?$'::text))),
    CONSTRAINT agents_routing_keywords_shape CHECK (((array_position(routing_keywords, NULL::text) IS NULL) AND (array_to_string(routing_keywords, ' '::text) ~ '^([a-z0-9-]+( [a-z0-9-]+)*)?$'::text))),
    CONSTRAINT agents_sprite_key_shape CHECK ((sprite_key ~ '^[a-z0-9_-]{1,32}$'::text))
);

ALTER TABLE ONLY app.agents FORCE ROW LEVEL SECURITY;


ALTER TABLE app.agents OWNER TO postgres;

--
-- Name: TABLE agents; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.agents IS 'AI agents: display data and routing keywords. Prompts live in app.agent_prompts.';


--
-- Name: COLUMN agents.routing_keywords; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app.agents.routing_keywords IS 'Lowercase words that route a message to this agent.';


--
-- Name: COLUMN agents.world_id; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app.agents.world_id IS 'The world the agent belongs to; NULL for the installation''s agents, which content_admin edits.';


--
-- Name: COLUMN agents.moderation_status; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app.agents.moderation_status IS 'active, or suspended by content_admin: hidden from players, no new messages.';


--
-- Name: COLUMN agents.moderation_reason; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app.agents.moderation_reason IS 'Why the agent is suspended (NULL while active).';


--
-- Name: COLUMN agents.moderated_at; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app.agents.moderated_at IS 'When the agent was last suspended or restored.';


--
-- Name: agent_prompts; Type: VIEW; Schema: api; Owner: postgres
--

CREATE VIEW api.agent_prompts WITH (security_invoker='true') AS
 SELECT p.id,
    p.agent_id,
    a.slug AS agent_slug,
    p.version,
    p.system_prompt,
    p.is_active,
    p.created_at,
    p.world_id,
    p.note,
    p.created_by,
    p.created_by_role,
    act.activated_at,
    act.activated_by,
    act.activated_by_role
   FROM ((app.agent_prompts p
     JOIN app.agents a ON ((a.id = p.agent_id)))
     LEFT JOIN LATERAL ( SELECT x.activated_at,
            x.activated_by,
            x.activated_by_role
           FROM app.agent_prompt_activations x
          WHERE ((x.agent_id = p.agent_id) AND (x.version = p.version))
          ORDER BY x.activated_at DESC, x.id DESC
         LIMIT 1) act ON (true));


ALTER TABLE api.agent_prompts OWNER TO postgres;

--
-- Name: VIEW agent_prompts; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON VIEW api.agent_prompts IS 'Versioned system prompts, immutable: agent_service reads every active one, content_admin the installation''s agents'', a world''s owner and editors their world''s; never other players. Publish with /rpc/publish_prompt, roll back with /rpc/activate_prompt.';


--
-- Name: COLUMN agent_prompts.id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agent_prompts.id IS 'Prompt version id.';


--
-- Name: COLUMN agent_prompts.agent_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agent_prompts.agent_id IS 'The agent.';


--
-- Name: COLUMN agent_prompts.agent_slug; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agent_prompts.agent_slug IS 'The agent''s slug.';


--
-- Name: COLUMN agent_prompts.version; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agent_prompts.version IS 'Version number, increasing per agent.';


--
-- Name: COLUMN agent_prompts.system_prompt; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agent_prompts.system_prompt IS 'The full system prompt.';


--
-- Name: COLUMN agent_prompts.is_active; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agent_prompts.is_active IS 'True for the live version; exactly one per agent.';


--
-- Name: COLUMN agent_prompts.created_at; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agent_prompts.created_at IS 'When this version was published.';


--
-- Name: COLUMN agent_prompts.world_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agent_prompts.world_id IS 'The agent''s world; null for an installation agent.';


--
-- Name: COLUMN agent_prompts.note; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agent_prompts.note IS 'What changed in this version, like a commit message (optional).';


--
-- Name: COLUMN agent_prompts.created_by; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agent_prompts.created_by IS 'The player who published it; null for content_admin and the seed.';


--
-- Name: COLUMN agent_prompts.created_by_role; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agent_prompts.created_by_role IS 'player, content_admin, or owner (the seed).';


--
-- Name: COLUMN agent_prompts.activated_at; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agent_prompts.activated_at IS 'When this version was last made active (by publish_prompt or activate_prompt).';


--
-- Name: COLUMN agent_prompts.activated_by; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agent_prompts.activated_by IS 'The player who last made it active; null for content_admin and the seed.';


--
-- Name: COLUMN agent_prompts.activated_by_role; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agent_prompts.activated_by_role IS 'player, content_admin or owner: who last made it active.';


--
-- Name: activate_prompt(text, integer, text); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.activate_prompt(agent_slug text, version integer, world_slug text DEFAULT NULL::text) RETURNS api.agent_prompts
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  a app.agents;
  p app.agent_prompts;
  result api.agent_prompts;
BEGIN
  IF version IS NULL OR version < 1 THEN
    RAISE EXCEPTION 'version must be a positive integer'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'GET /agent_prompts?agent_id=eq.<id>&select=version,note lists the versions.';
  END IF;
  a := app.agent_lookup(world_slug, agent_slug);
  PERFORM FROM app.agent_prompts x WHERE x.agent_id = a.id AND x.version = activate_prompt.version;
  IF NOT FOUND THEN
    PERFORM app.raise_api_error(404, 'PT404', 'unknown prompt version',
                                'GET /agent_prompts?agent_id=eq.<id>&select=version,note lists the versions.',
                                pg_catalog.jsonb_build_object('agent_slug', a.slug, 'version', version));
  END IF;
  p := app.agent_prompt_activate(a, version);
  SELECT * INTO result FROM api.agent_prompts v WHERE v.id = p.id;
  RETURN result;
END
$$;


ALTER FUNCTION api.activate_prompt(agent_slug text, version integer, world_slug text) OWNER TO postgres;

--
-- Name: FUNCTION activate_prompt(agent_slug text, version integer, world_slug text); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.activate_prompt(agent_slug text, version integer, world_slug text) IS 'Make an existing prompt version the active one (a rollback): a pointer move, recorded with who and when.

{agent_slug, version, world_slug?}; the same callers as publish_prompt. Returns the version. 404 for an
unknown version.';


--
-- Name: archive_world(text); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.archive_world(slug text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  me app.users := app.world_caller();
  w app.worlds := app.world_visible(slug, me.id, true);
BEGIN
  IF app.world_role(w.id, me.id) IS DISTINCT FROM 'owner' THEN
    PERFORM app.raise_api_error(403, 'PT403', 'only the owner may archive or restore a world',
                                'GET /world_members shows who holds which role.', pg_catalog.jsonb_build_object('world', w.slug));
  END IF;
  UPDATE app.worlds x SET archived_at = pg_catalog.now() WHERE x.id = w.id AND x.archived_at IS NULL;
  RETURN pg_catalog.jsonb_build_object('slug', w.slug, 'archived_at', (SELECT x.archived_at FROM app.worlds x WHERE x.id = w.id));
END
$$;


ALTER FUNCTION api.archive_world(slug text) OWNER TO postgres;

--
-- Name: FUNCTION archive_world(slug text); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.archive_world(slug text) IS 'Archive a world you own: it is hidden from everyone but you (404 to all others) and nobody may enter it.

Returns {slug, archived_at}; archiving again changes nothing. 403 for anyone but the owner, 404 for a world
you may not see. /rpc/restore_world brings it back as it was.';


--
-- Name: ban(text, uuid, text, timestamp with time zone); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.ban(world_slug text, user_id uuid, reason text DEFAULT ''::text, until timestamp with time zone DEFAULT NULL::timestamp with time zone) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  me app.users := app.world_caller();
  w app.worlds;
  target text;
  why text := coalesce(reason, '');
BEGIN
  IF pg_catalog.char_length(why) > 500 OR why ~ '[\x01-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]' THEN
    RAISE EXCEPTION 'malformed ban reason'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Use at most 500 characters; tabs and line feeds are the only control characters allowed, and no bidi controls.';
  END IF;
  IF until IS NOT NULL AND until <= pg_catalog.now() THEN
    RAISE EXCEPTION 'a ban ends in the future'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send a later until, or none for a ban without end.';
  END IF;
  w := app.world_managed(world_slug, me.id, ARRAY['owner', 'editor'], 'only the owner or an editor may ban');
  IF user_id IS NULL OR user_id = me.id THEN
    RAISE EXCEPTION 'you cannot ban yourself'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send the id of another player.';
  END IF;
  PERFORM FROM app.users u WHERE u.id = ban.user_id;
  IF NOT FOUND THEN
    PERFORM app.raise_api_error(404, 'PT404', 'unknown user', 'GET /users lists the players.',
                                pg_catalog.jsonb_build_object('user_id', user_id));
  END IF;
  target := app.world_role(w.id, user_id);
  IF target = 'owner' OR target = 'editor' AND app.world_role(w.id, me.id) <> 'owner' THEN
    PERFORM app.raise_api_error(403, 'PT403', 'you may not ban this player',
                                'The owner bans editors; nobody bans the owner.',
                                pg_catalog.jsonb_build_object('world', w.slug, 'user_id', user_id));
  END IF;
  -- The owner's ban in force is the owner's: an editor who banned the player again (a shorter until, or
  -- their own name in banned_by, which api.unban then lets them lift) would undo it in two steps. One
  -- that has run out is no decision any more; an editor may ban the player anew.
  IF w.owner_id IS DISTINCT FROM me.id AND EXISTS (
       SELECT FROM app.world_bans b WHERE b.world_id = w.id AND b.user_id = ban.user_id AND b.banned_by = w.owner_id
                AND (b.until IS NULL OR b.until > pg_catalog.now())) THEN
    PERFORM app.raise_api_error(403, 'PT403', 'only the owner may change a ban the owner made',
                                'Ask the owner (GET /world_members shows who it is).',
                                pg_catalog.jsonb_build_object('world', w.slug, 'user_id', user_id));
  END IF;
  DELETE FROM app.world_members m WHERE m.world_id = w.id AND m.user_id = ban.user_id;
  INSERT INTO app.world_bans AS b (world_id, user_id, reason, banned_by, until)
  VALUES (w.id, ban.user_id, why, me.id, ban.until)
  ON CONFLICT ON CONSTRAINT world_bans_pkey DO UPDATE
    SET reason = excluded.reason, banned_by = excluded.banned_by, until = excluded.until;
  RETURN pg_catalog.jsonb_build_object('world_slug', w.slug, 'user_id', user_id, 'reason', why, 'until', until);
END
$$;


ALTER FUNCTION api.ban(world_slug text, user_id uuid, reason text, until timestamp with time zone) OWNER TO postgres;

--
-- Name: FUNCTION ban(world_slug text, user_id uuid, reason text, until timestamp with time zone); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.ban(world_slug text, user_id uuid, reason text, until timestamp with time zone) IS 'Ban a player from your world, for good or until a time; any player may be banned, anonymous ones too.

The owner bans anyone but themself; an editor bans members and visitors, never an editor or the owner. A ban
ends the player''s membership. Banning again replaces the reason and the end; only the owner changes a ban of
the owner''s that is in force. Returns {world_slug, user_id, reason, until}. 400 for yourself, a malformed
reason or a past until; 403 without the role; 404 for a world you may not see or an unknown user; 409 for an
archived world. A reason has at most 500 characters, no control characters but tabs and line feeds, and no
bidi controls.';


--
-- Name: block_user(uuid); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.block_user(user_id uuid) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  me uuid := auth.user_id();
BEGIN
  PERFORM app.block_target(me, block_user.user_id);
  -- Blocking twice keeps the first row (and its created_at); two racing calls meet in the primary key.
  INSERT INTO app.user_blocks (blocker, blocked) VALUES (me, block_user.user_id)
  ON CONFLICT ON CONSTRAINT user_blocks_pkey DO NOTHING;
  RETURN pg_catalog.jsonb_build_object('user_id', block_user.user_id, 'blocked', true);
END
$$;


ALTER FUNCTION api.block_user(user_id uuid) OWNER TO postgres;

--
-- Name: FUNCTION block_user(user_id uuid); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.block_user(user_id uuid) IS 'Block a player: they can no longer start a private chat with you or send into one, and are not told why.

Returns {user_id, blocked: true}; blocking again changes nothing. Your existing chats and their history stay
readable. 400 for yourself, 404 for an unknown user.';


--
-- Name: agents; Type: VIEW; Schema: api; Owner: postgres
--

CREATE VIEW api.agents WITH (security_invoker='true') AS
 SELECT agents.id,
    agents.slug,
    agents.name,
    agents.role,
    agents.emoji,
    agents.sprite_key,
    agents.greeting,
    agents.routing_keywords,
    agents.is_active,
    agents.world_id,
    agents.moderation_status,
    agents.moderation_reason,
    agents.moderated_at
   FROM app.agents;


ALTER TABLE api.agents OWNER TO postgres;

--
-- Name: VIEW agents; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON VIEW api.agents IS 'AI agents: the installation''s (world_id null) and those of the worlds you may see, active and not suspended; a world''s owner and editors see all of their world''s, content_admin the installation''s. PATCH changes display fields only. Prompts are never here.';


--
-- Name: COLUMN agents.id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agents.id IS 'Agent id.';


--
-- Name: COLUMN agents.slug; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agents.slug IS 'URL-safe name, unique within its world (the installation''s agents among themselves), e.g. scout.';


--
-- Name: COLUMN agents.name; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agents.name IS 'Display name.';


--
-- Name: COLUMN agents.role; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agents.role IS 'What the agent does, e.g. Research Specialist.';


--
-- Name: COLUMN agents.emoji; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agents.emoji IS 'Icon emoji.';


--
-- Name: COLUMN agents.sprite_key; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agents.sprite_key IS 'Sprite the client draws: a key of GET /agent_sprites.';


--
-- Name: COLUMN agents.greeting; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agents.greeting IS 'First message of a new chat, up to 2000 characters.';


--
-- Name: COLUMN agents.routing_keywords; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agents.routing_keywords IS 'Up to 32 lowercase words (1 to 32 characters) that route a message to this agent.';


--
-- Name: COLUMN agents.is_active; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agents.is_active IS 'False hides the agent from everyone but those who manage it.';


--
-- Name: COLUMN agents.world_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agents.world_id IS 'The agent''s world (GET /worlds); null for the installation''s agents.';


--
-- Name: COLUMN agents.moderation_status; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agents.moderation_status IS 'active, or suspended by content_admin (then only its managers see it, and it takes no new messages).';


--
-- Name: COLUMN agents.moderation_reason; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agents.moderation_reason IS 'Why it is suspended; null while active.';


--
-- Name: COLUMN agents.moderated_at; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agents.moderated_at IS 'When it was last suspended or restored.';


--
-- Name: create_agent(text, text, text, text, text, text, text, text, text[]); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.create_agent(world_slug text, slug text, name text, role text, emoji text, sprite_key text, greeting text, system_prompt text, routing_keywords text[] DEFAULT '{}'::text[]) RETURNS api.agents
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  w app.worlds;
  a app.agents;
  result api.agents;
BEGIN
  IF world_slug IS NULL THEN
    RAISE EXCEPTION 'world_slug is required'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Agents are created in a world you own or edit; content_admin posts installation agents to /agents.';
  END IF;
  w := app.agent_world(world_slug);
  a := app.agent_create(w, slug, name, role, emoji, sprite_key, greeting, routing_keywords, system_prompt);
  SELECT * INTO result FROM api.agents v WHERE v.id = a.id;
  RETURN result;
END
$$;


ALTER FUNCTION api.create_agent(world_slug text, slug text, name text, role text, emoji text, sprite_key text, greeting text, system_prompt text, routing_keywords text[]) OWNER TO postgres;

--
-- Name: FUNCTION create_agent(world_slug text, slug text, name text, role text, emoji text, sprite_key text, greeting text, system_prompt text, routing_keywords text[]); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.create_agent(world_slug text, slug text, name text, role text, emoji text, sprite_key text, greeting text, system_prompt text, routing_keywords text[]) IS 'Create an agent in a world you own or edit, with its first prompt version.

name 1-64 characters (display-name rules), role 1-64, emoji 1-16, sprite_key from GET /agent_sprites, greeting
1-2000 (a valid chat message), routing_keywords up to 32 of 1-32 lowercase letters, digits and dashes,
system_prompt 1-32000. Returns the agent. 400 for bad input, 403 unless you own or edit the world, 404 for a
world you may not see, 409 for a slug taken in the world or a world at app.world_settings.max_agents_per_world
(20 by default).';


--
-- Name: create_world(text, text, text, text); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.create_world(slug text, name text, visibility text DEFAULT 'public'::text, description text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $_$
DECLARE
  me app.users := app.world_caller();
  limit_ integer;
  owned integer;
  world uuid;
  room uuid;
BEGIN
  IF slug IS NULL OR slug !~ '^[a-z0-9]+(-[a-z0-9]+)*$' OR pg_catalog.char_length(slug) > 64 THEN
    RAISE EXCEPTION 'malformed world slug'
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Use lowercase letters, digits and single dashes, at most 64 characters, e.g. my-world.';
  END IF;
  IF name IS NULL OR pg_catalog.char_length(name) NOT BETWEEN 1 AND 64 OR name ~ '[[:cntrl:]\u202a-\u202e\u2066-\u2069]' OR pg_catalog.btrim(name) = '' THEN
    RAISE EXCEPTION 'malformed world name'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Use 1 to 64 characters, not all blank, without control characters or bidi controls.';
  END IF;
  IF visibility IS NULL OR visibility NOT IN ('public', 'unlisted', 'private') THEN
    RAISE EXCEPTION 'unknown visibility'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Use public, unlisted or private.';
  END IF;
  IF description IS NOT NULL AND (pg_catalog.char_length(description) > 500 OR description ~ '[\x01-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]') THEN
    RAISE EXCEPTION 'malformed world description'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Use at most 500 characters; tabs and line feeds are the only control characters allowed, and no bidi controls.';
  END IF;
  IF me.is_anonymous THEN
    PERFORM app.raise_api_error(403, 'PT403', 'only registered players may create worlds',
                                'Register first with /rpc/register; you keep your id and name.');
  END IF;
  -- The caller's row, locked: two concurrent create_world calls of one player count one after the other.
  PERFORM FROM app.users u WHERE u.id = me.id FOR UPDATE;
  SELECT s.max_worlds_per_owner INTO limit_ FROM app.world_settings s;
  SELECT pg_catalog.count(*) INTO owned FROM app.worlds w WHERE w.owner_id = me.id;  -- archived ones count too
  IF owned >= limit_ THEN
    PERFORM app.raise_api_error(409, 'PT409', 'you own as many worlds as you may',
                                'Transfer one to another player first; archived worlds count too.',
                                pg_catalog.jsonb_build_object('max_worlds_per_owner', limit_));
  END IF;
  BEGIN
    INSERT INTO app.worlds (slug, name, description, owner_id, visibility)
    VALUES (create_world.slug, create_world.name, coalesce(create_world.description, ''), me.id, create_world.visibility)
    RETURNING id INTO world;
  EXCEPTION WHEN unique_violation THEN
    PERFORM app.raise_api_error(409, 'PT409', 'this world slug is taken', 'Choose another slug.',
                                pg_catalog.jsonb_build_object('world', create_world.slug));
  END;
  INSERT INTO app.world_members (world_id, user_id, role) VALUES (world, me.id, 'owner');
  INSERT INTO app.rooms (world_id, slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y, is_main)
  VALUES (world, 'lobby', 'Lobby', NULL, 40, 30, 20, 15, true)
  RETURNING id INTO room;
  INSERT INTO app.spawn_points (room_id, slug, x, y, type) VALUES (room, 'start', 20, 15, 'player');
  RETURN pg_catalog.jsonb_build_object('world_id', world, 'slug', create_world.slug, 'main_room_slug', 'lobby');
END
$_$;


ALTER FUNCTION api.create_world(slug text, name text, visibility text, description text) OWNER TO postgres;

--
-- Name: FUNCTION create_world(slug text, name text, visibility text, description text); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.create_world(slug text, name text, visibility text, description text) IS 'Create a world that you own.

visibility is public (listed, open to all), unlisted (open to whoever has the slug, never listed) or private
(members only). The world starts with its main room lobby: an empty 40x30 room with one player spawn point.
Returns {world_id, slug, main_room_slug}. 400 for a malformed slug, name, visibility or description; 403 for
an anonymous player (register first); 409 when the slug is taken or you already own
app.world_settings.max_worlds_per_owner worlds (10 by default; archived worlds count).';


--
-- Name: enter_room(text, text); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.enter_room(room_slug text, world_slug text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
BEGIN
  RETURN app.presence_enter(auth.user_id(), room_slug, 'rest', world_slug);
END
$$;


ALTER FUNCTION api.enter_room(room_slug text, world_slug text) OWNER TO postgres;

--
-- Name: FUNCTION enter_room(room_slug text, world_slug text); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.enter_room(room_slug text, world_slug text) IS 'Enter a room of a world.

world_slug defaults to the installation''s default world (ark). You appear where you stood on your last
visit to this room, or at its player spawn point. Returns the room''s presence_state: {type, world, room,
players: [{user_id, display_name, avatar_sprite, x, y, direction, status}]}. 404 for an unknown room, and
the very same 404 for a world you may not enter (private, archived, or one you are banned from).';


--
-- Name: export_character_card(text, text); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.export_character_card(agent_slug text, world_slug text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  a app.agents;
  p app.agent_prompts;
BEGIN
  IF app.request_role() = 'agent_service' THEN
    -- agent_service reads every agent's active prompt, so it may export any agent.
    SELECT x.* INTO a FROM app.agents x
     WHERE x.slug = export_character_card.agent_slug AND x.world_id IS NOT DISTINCT FROM (app.agent_world(world_slug)).id;
    IF NOT FOUND THEN
      PERFORM app.raise_api_error(404, 'PT404', 'unknown agent', 'GET /agents?select=slug,world_id lists the agents.',
                                  pg_catalog.jsonb_build_object('agent_slug', pg_catalog.left(agent_slug, 64)));
    END IF;
  ELSE
    -- Whoever reads an agent's prompts manages it: its world's owner and editors, content_admin for the installation's.
    a := app.agent_lookup(world_slug, agent_slug);
  END IF;
  SELECT * INTO p FROM app.agent_prompts x WHERE x.agent_id = a.id AND x.is_active;
  RETURN app.agent_card(a, p);
END
$$;


ALTER FUNCTION api.export_character_card(agent_slug text, world_slug text) OWNER TO postgres;

--
-- Name: FUNCTION export_character_card(agent_slug text, world_slug text); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.export_character_card(agent_slug text, world_slug text) IS 'The agent as a Character Card V2 (whoever may read its prompts: its world''s owner and editors, content_admin for installation agents, agent_service).

An imported agent gives back its card, extensions included, equal to what was imported; a name, greeting, keywords
or prompt changed since is written into data.name, first_mes, tags and system_prompt. An agent made by
create_agent gets a new card with extensions.arkagentic {slug, role, emoji, sprite_key}. 403 for an agent you see
but do not manage, 404 for one you cannot see.';


--
-- Name: get_world(text); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.get_world(slug text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  me uuid := auth.user_id();
  w app.worlds := app.world_visible(slug, me);
BEGIN
  RETURN pg_catalog.jsonb_build_object(
    'id', w.id, 'slug', w.slug, 'name', w.name, 'description', w.description, 'visibility', w.visibility,
    'owner_id', w.owner_id, 'created_at', w.created_at, 'archived_at', w.archived_at,
    'my_role', app.world_role(w.id, me),
    'main_room_slug', (SELECT r.slug FROM app.rooms r WHERE r.world_id = w.id AND r.is_main),
    'rooms', coalesce((SELECT pg_catalog.jsonb_agg(r.slug::text ORDER BY r.slug) FROM app.rooms r WHERE r.world_id = w.id), '[]'));
END
$$;


ALTER FUNCTION api.get_world(slug text) OWNER TO postgres;

--
-- Name: FUNCTION get_world(slug text); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.get_world(slug text) IS 'One world by its slug: a public or unlisted world to anyone with the slug (a shareable link), a private one
to its members, an archived one to its owner.

Returns {id, slug, name, description, visibility, owner_id, created_at, archived_at, my_role,
main_room_slug, rooms}. A signed-in player who asks for an unlisted world becomes its visitor and may then
read its rooms. Every other case answers the same 404 unknown world, so existence never leaks. Use POST.';


--
-- Name: import_character_card(text, jsonb, text, text, text, text); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.import_character_card(world_slug text, card jsonb, slug text DEFAULT NULL::text, role text DEFAULT NULL::text, emoji text DEFAULT NULL::text, sprite_key text DEFAULT NULL::text) RETURNS api.agents
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  data jsonb := app.card_data(card);
  f jsonb := app.card_agent_fields(data);
  w app.worlds;
  a app.agents;
  result api.agents;
BEGIN
  IF world_slug IS NULL THEN
    RAISE EXCEPTION 'world_slug is required'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Cards are imported into a world you own or edit.';
  END IF;
  w := app.agent_world(world_slug);
  a := app.agent_create(w,
         coalesce(slug, app.slug_from_name(f ->> 'name')),
         f ->> 'name',
         coalesce(role, 'Character'),
         coalesce(emoji, '🎭'),
         coalesce(sprite_key, (SELECT s.key FROM app.agent_sprites s ORDER BY s.key LIMIT 1)),
         f ->> 'greeting',
         ARRAY(SELECT pg_catalog.jsonb_array_elements_text(f -> 'routing_keywords')),
         f ->> 'system_prompt',
         card);
  SELECT * INTO result FROM api.agents v WHERE v.id = a.id;
  RETURN result;
END
$$;


ALTER FUNCTION api.import_character_card(world_slug text, card jsonb, slug text, role text, emoji text, sprite_key text) OWNER TO postgres;

--
-- Name: FUNCTION import_character_card(world_slug text, card jsonb, slug text, role text, emoji text, sprite_key text); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.import_character_card(world_slug text, card jsonb, slug text, role text, emoji text, sprite_key text) IS 'Create an agent in a world you own or edit from a Character Card V2 ({"spec": "chara_card_v2", "spec_version": "2.0", "data": {...}}).

data.name becomes the name and, unless slug is given, the slug (lowercase letters and digits, other runs as a
dash; a taken slug is a 409); data.first_mes the greeting (cut at 2000 characters; "Hello, I''m <name>." when
empty); data.tags the routing keywords (lower-cased; tags that break the keyword rule stay in the card only);
the prompt is data.system_prompt, description, "Personality: " personality and "Scenario: " scenario, in that
order, separated by blank lines. role defaults to Character, emoji to 🎭, sprite_key to the alphabetically first
of GET /agent_sprites. The whole card is kept, extensions included: export_character_card returns it equal.
400 for a card over 256 KB, another spec, no name or a field of the wrong type; otherwise as create_agent.';


--
-- Name: invite(text, text, integer, integer, text); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.invite(world_slug text, role text, expires_in_hours integer DEFAULT 168, max_uses integer DEFAULT 1, email text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  me app.users := app.world_caller();
  w app.worlds;
  bound text;
  token text;
  inv app.world_invitations;
BEGIN
  IF role IS NULL OR role NOT IN ('editor', 'member') THEN
    RAISE EXCEPTION 'unknown invitation role'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Invite as editor or member; ownership moves with /rpc/transfer_ownership.';
  END IF;
  IF expires_in_hours IS NULL OR expires_in_hours NOT BETWEEN 1 AND 8760 THEN
    RAISE EXCEPTION 'expires_in_hours is out of range'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'An invitation lasts 1 to 8760 hours (a year); 168 by default.';
  END IF;
  IF max_uses IS NULL OR max_uses NOT BETWEEN 1 AND 1000 THEN
    RAISE EXCEPTION 'max_uses is out of range'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'An invitation may be used 1 to 1000 times; once by default.';
  END IF;
  IF email IS NOT NULL THEN
    bound := app.check_email(email);
  END IF;
  w := app.world_managed(world_slug, me.id, ARRAY['owner', 'editor'], 'only the owner or an editor may invite');
  IF role = 'editor' AND app.world_role(w.id, me.id) <> 'owner' THEN
    PERFORM app.raise_api_error(403, 'PT403', 'only the owner may invite editors', 'Editors may invite members.',
                                pg_catalog.jsonb_build_object('world', w.slug));
  END IF;
  -- 32 random bytes, URL-safe base64 without padding (43 characters). Only its SHA-256 is stored.
  token := pg_catalog.rtrim(pg_catalog.translate(pg_catalog.encode(public.gen_random_bytes(32), 'base64'), '+/', '-_'), '=');
  INSERT INTO app.world_invitations (world_id, role, token_hash, created_by, expires_at, max_uses, email)
  VALUES (w.id, invite.role, public.digest(token, 'sha256'), me.id,
          pg_catalog.now() + pg_catalog.make_interval(hours => expires_in_hours), invite.max_uses, bound)
  RETURNING * INTO inv;
  RETURN pg_catalog.jsonb_build_object('invitation_id', inv.id, 'token', token, 'expires_at', inv.expires_at,
                                       'role', inv.role, 'max_uses', inv.max_uses, 'email', inv.email);
END
$$;


ALTER FUNCTION api.invite(world_slug text, role text, expires_in_hours integer, max_uses integer, email text) OWNER TO postgres;

--
-- Name: FUNCTION invite(world_slug text, role text, expires_in_hours integer, max_uses integer, email text); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.invite(world_slug text, role text, expires_in_hours integer, max_uses integer, email text) IS 'Invite players into a world: the owner as editor or member, an editor as member.

Returns {invitation_id, token, expires_at, role, max_uses, email}. The token appears only here: the database
keeps its SHA-256. It lasts expires_in_hours (1 to 8760, 168 by default) and serves max_uses acceptances (1 to
1000, 1 by default); with email, only the registered player with that email may accept. 400 for a bad role,
range or email, 403 without the role, 404 for a world you may not see, 409 for an archived world.';


--
-- Name: jitsi_event(text, jsonb); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.jitsi_event(event text, payload jsonb) RETURNS jsonb
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO ''
    AS $$ SELECT app.jitsi_event(event, payload) $$;


ALTER FUNCTION api.jitsi_event(event text, payload jsonb) OWNER TO postgres;

--
-- Name: FUNCTION jitsi_event(event text, payload jsonb); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.jitsi_event(event text, payload jsonb) IS 'Record a Jitsi event_sync event (jitsi_service only).

event is the path event_sync posts to (room/created, room/destroyed, occupant/joined, occupant/left), payload
its JSON body as it is. Idempotent on (room, occupant_jid, joined_at): a replay records nothing. Returns
{event, recorded, ignored}; a room no meeting stands for is ignored ("unknown_room"), not refused.';


--
-- Name: jitsi_token(uuid); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.jitsi_token(building_id uuid) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  config auth.jitsi_config;
  me uuid := auth.user_id();
  here record;
  expires timestamptz := pg_catalog.date_trunc('second', pg_catalog.now()) + interval '1 hour';
  claims jsonb;
BEGIN
  -- An installation without Jitsi answers this before anything else.
  SELECT * INTO config FROM auth.jitsi_config;
  IF NOT FOUND THEN
    PERFORM app.raise_api_error(503, 'PT503', 'this installation has no Jitsi',
                                'The operator sets JITSI_DOMAIN, JITSI_APP_ID and JITSI_APP_SECRET and deploys again.');
  END IF;
  IF building_id IS NULL THEN
    RAISE EXCEPTION 'building_id is required'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send the id of a meeting building (GET /buildings?type=eq.meeting).';
  END IF;
  SELECT a.building_id, s.jitsi_room, a.world_id, u.id AS user_id, u.display_name, u.avatar_sprite INTO here
    FROM app.meeting_attendance a
    JOIN app.meeting_sessions s ON s.id = a.session_id
    JOIN app.users u ON u.id = a.user_id
   WHERE a.user_id = me AND a.source = 'zone' AND a.left_at IS NULL AND a.building_id = jitsi_token.building_id;
  IF NOT FOUND THEN
    -- An unknown building, one of a world one may not see, and one whose zone one is not in: one answer.
    PERFORM app.raise_api_error(403, 'PT403', 'you are not standing in this meeting''s zone',
                                'Walk into the meeting room, then ask again.',
                                pg_catalog.jsonb_build_object('building_id', building_id));
  END IF;
  claims := pg_catalog.jsonb_build_object(
    'aud', config.audience,
    'iss', config.app_id,
    'sub', config.domain,
    'room', here.jitsi_room,
    'iat', pg_catalog.floor(extract(epoch FROM pg_catalog.now()))::bigint,
    'nbf', pg_catalog.floor(extract(epoch FROM pg_catalog.now()))::bigint - 10,
    'exp', extract(epoch FROM expires)::bigint,
    'context', pg_catalog.jsonb_build_object('user', pg_catalog.jsonb_build_object(
      'id', here.user_id,
      'name', here.display_name,
      'avatar', here.avatar_sprite,
      'moderator', here.world_id = ANY (app.editable_world_ids()))));
  RETURN pg_catalog.jsonb_build_object('jwt', auth.jitsi_sign(claims), 'room', here.jitsi_room,
                                       'domain', config.domain, 'expires_at', expires);
END
$$;


ALTER FUNCTION api.jitsi_token(building_id uuid) OWNER TO postgres;

--
-- Name: FUNCTION jitsi_token(building_id uuid); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.jitsi_token(building_id uuid) IS 'A Jitsi token for the meeting whose zone you stand in.

Returns {jwt, room, domain, expires_at}: an HS256 JWT with aud (JITSI_AUDIENCE), iss (JITSI_APP_ID), sub
(JITSI_DOMAIN), room (the meeting''s Jitsi room, <world slug>_<jitsi_room>), exp (in one hour) and
context.user {id, name, avatar, moderator}; moderator is true for the world''s owner and editors. Open
https://<domain>/<room>?jwt=<jwt>. 403 outside the zone, 503 when the installation has no Jitsi.';


--
-- Name: leave_room(); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.leave_room() RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
BEGIN
  RETURN app.presence_leave(auth.user_id());
END
$$;


ALTER FUNCTION api.leave_room() OWNER TO postgres;

--
-- Name: FUNCTION leave_room(); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.leave_room() IS 'Leave your room.

You go offline; your position is saved for your next visit. Returns {room, x, y, direction}, or null if you
were not in a room.';


--
-- Name: leave_world(text); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.leave_world(world_slug text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  me app.users := app.world_caller();
  w app.worlds := app.world_visible(world_slug, me.id, true);
  mine text := app.world_member_role(w, me.id);
BEGIN
  IF mine = 'owner' THEN
    PERFORM app.raise_api_error(409, 'PT409', 'the owner cannot leave',
                                'Transfer the world to another member first with /rpc/transfer_ownership.',
                                pg_catalog.jsonb_build_object('world', w.slug));
  END IF;
  DELETE FROM app.world_members m WHERE m.world_id = w.id AND m.user_id = me.id;
  RETURN pg_catalog.jsonb_build_object('world_slug', w.slug, 'left', true);
END
$$;


ALTER FUNCTION api.leave_world(world_slug text) OWNER TO postgres;

--
-- Name: FUNCTION leave_world(world_slug text); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.leave_world(world_slug text) IS 'Leave a world you are a member or editor of.

Returns {world_slug, left: true}. 404 for a world you may not see or are not a member of, 409 for its owner
(transfer ownership first).';


--
-- Name: login(text, text); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.login(email text, password text) RETURNS json
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $_$
DECLARE
  -- A bcrypt hash of a throwaway password, checked when the email is unknown so that a wrong
  -- email costs the same time as a wrong password.
  decoy_hash    CONSTANT text := '$2a$10$E5yzs2RGFWEObiuAtPpOtOjJvq46JuMqSXNH5Zl.qx/nQZbn0.x8m';
  normalized text := pg_catalog.lower(pg_catalog.btrim(login.email));
  rule app.rate_limit_rules;
  counted integer;
  locked_until timestamptz;
  account_id uuid;
  account_hash text;
  retry_after integer;
BEGIN
  IF normalized IS NULL OR normalized = '' OR login.password IS NULL OR login.password = '' THEN
    RAISE EXCEPTION 'email and password are required'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send {"email": "...", "password": "..."}.';
  END IF;
  -- Before the email's row is locked, so that a run never holds it: random-email failures add a
  -- throttle row each, and the run deletes the expired ones.
  PERFORM app.identity_housekeeping();
  SELECT * INTO rule FROM app.rate_limit_rules r WHERE r.action = 'login_failures_per_email';

  -- No address is longer than 254 characters: such an email fails below like a wrong password, at
  -- the same bcrypt cost, and is not recorded (the throttle table's key must stay indexable).
  IF pg_catalog.char_length(normalized) <= 254 AND rule.action IS NOT NULL THEN
    INSERT INTO auth.login_throttle AS t (email, failures, window_start, last_failure_at)
    VALUES (normalized, 1, pg_catalog.now(), pg_catalog.now())
    ON CONFLICT ON CONSTRAINT login_throttle_pkey DO UPDATE
       SET failures = CASE WHEN t.window_start + rule.per > pg_catalog.now() THEN t.failures + 1 ELSE 1 END,
           window_start = CASE WHEN t.window_start + rule.per > pg_catalog.now() THEN t.window_start ELSE pg_catalog.now() END,
           last_failure_at = pg_catalog.now()
     WHERE t.window_start + rule.per <= pg_catalog.now() OR t.failures < rule.max_events
    RETURNING t.failures INTO counted;
    IF counted IS NULL THEN
      -- The row is locked by the statement above even though it was not updated: this reads the
      -- window that refused the attempt.
      SELECT t.window_start + rule.per INTO locked_until FROM auth.login_throttle t WHERE t.email = normalized;
      retry_after := greatest(pg_catalog.ceil(extract(epoch FROM locked_until - pg_catalog.now())), 1);
      PERFORM app.raise_api_error(429, 'PT429', 'too many failed logins for this email',
                pg_catalog.format('Try again in %s seconds (retry_after=%s).', retry_after, retry_after),
                pg_catalog.jsonb_build_object('retry_after', retry_after),
                pg_catalog.jsonb_build_object('Retry-After', retry_after::text));
    END IF;
  END IF;

  SELECT u.id, c.password_hash INTO account_id, account_hash
    FROM app.users u JOIN auth.credentials c ON c.user_id = u.id
   WHERE u.email = normalized;

  IF public.crypt(login.password, coalesce(account_hash, decoy_hash)) = account_hash THEN
    DELETE FROM auth.login_throttle t WHERE t.email = normalized;
    UPDATE app.users SET last_seen_at = pg_catalog.now() WHERE id = account_id;
    RETURN auth.issue_token(account_id);
  END IF;

  PERFORM pg_catalog.set_config('response.status', '401', true);
  RETURN pg_catalog.json_build_object(
    'code', '28P01',
    'message', 'invalid email or password',
    'details', NULL,
    'hint', CASE WHEN rule.action IS NULL THEN 'Check both.'
                 ELSE pg_catalog.format('Check both. After %s failures in %s this email is locked for the rest of the window.',
                                        rule.max_events, app.duration_words(rule.per)) END);
END
$_$;


ALTER FUNCTION api.login(email text, password text) OWNER TO postgres;

--
-- Name: FUNCTION login(email text, password text); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.login(email text, password text) IS 'Sign in with email and password.

Returns {user_id, token, expires_at}; a caller who sends a player token signs in as this account instead.
A wrong email and a wrong password both answer 401 with the same body. After 5 failures for one email
within 15 minutes (the rule login_failures_per_email), further attempts answer 429 with a Retry-After
header until the window ends; details carries {"retry_after": seconds}. A successful login resets the count.';


--
-- Name: login_anonymous(text, text); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.login_anonymous(display_name text, avatar_sprite text) RETURNS json
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  -- Bad input answers 400 before any bucket is counted.
  checked_name text := app.check_display_name(login_anonymous.display_name);
  checked_sprite text := app.check_avatar_sprite(login_anonymous.avatar_sprite);
  address_bucket text := app.client_address_bucket();
  new_id uuid;
BEGIN
  IF address_bucket IS NOT NULL THEN
    PERFORM app.rate_limit_hit_bucket('login_anonymous_per_address', address_bucket);
  END IF;
  PERFORM app.rate_limit_hit_bucket('login_anonymous', '*');
  -- After the limits: a refused sign-up rolls back, and would take the housekeeping run with it.
  PERFORM app.identity_housekeeping();
  INSERT INTO app.users (display_name, avatar_sprite)
  VALUES (checked_name, checked_sprite)
  RETURNING id INTO new_id;
  INSERT INTO app.user_settings (user_id) VALUES (new_id);
  RETURN auth.issue_token(new_id);
END
$$;


ALTER FUNCTION api.login_anonymous(display_name text, avatar_sprite text) OWNER TO postgres;

--
-- Name: FUNCTION login_anonymous(display_name text, avatar_sprite text); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.login_anonymous(display_name text, avatar_sprite text) IS 'Create an anonymous player.

Creates the user and default settings and returns {user_id, token, expires_at}. Send the token as
"Authorization: Bearer <token>"; a caller who sends a player token gets a new account and token. 400 when
display_name is empty, longer than 32 characters or has control characters, or when avatar_sprite is not
one of GET /avatar_sprites. 429 with a Retry-After header when too many accounts were created recently, from
everyone or (behind a trusted proxy) from the caller''s address.';


--
-- Name: logout(); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.logout() RETURNS json
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $_$
DECLARE
  claims  jsonb := auth.claims();
  subject text := auth.token_subject(claims);
  sid     text := claims ->> 'sid';
  expires timestamptz;
BEGIN
  IF subject IS NULL OR (claims ->> 'role' = 'player' AND auth.user_id() IS NULL) THEN
    PERFORM app.raise_api_error(401, 'PT401', 'sign in first', 'Send the token to revoke as Authorization: Bearer <token>.');
  END IF;
  PERFORM auth.prune_token_revocations();
  IF sid IS NULL OR sid !~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
    -- A token from before sessions existed: only its subject's generation can revoke it.
    PERFORM auth.revoke_subject(subject);
    RETURN pg_catalog.json_build_object('revoked', 'all');
  END IF;
  -- Kept until every token of the session has expired: refresh_token can have made one up to 24 hours
  -- ago (now, at the latest), and PostgREST and the bridge tolerate some clock skew.
  IF pg_catalog.jsonb_typeof(claims -> 'exp') = 'number' AND (claims ->> 'exp')::numeric < 1e11 THEN
    expires := GREATEST(pg_catalog.to_timestamp((claims ->> 'exp')::double precision),
                        pg_catalog.now() + interval '24 hours') + interval '5 minutes';
  END IF;
  INSERT INTO auth.token_revocations (key, expires_at) VALUES ('sid:' || sid, expires)
  ON CONFLICT (key) DO NOTHING;
  PERFORM pg_catalog.pg_notify('token_revoked', pg_catalog.json_build_object('sid', sid)::text);
  RETURN pg_catalog.json_build_object('revoked', 'session');
END
$_$;


ALTER FUNCTION api.logout() OWNER TO postgres;

--
-- Name: FUNCTION logout(); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.logout() IS 'Sign out: revoke the token you send.

The token, and every token refresh_token made from it, gets 401 from now on, and sockets opened with
them are closed with 4401. Other sign-ins of the same account stay valid (see logout_everywhere).
Returns {"revoked": "session"}.';


--
-- Name: logout_everywhere(); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.logout_everywhere() RETURNS json
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  claims  jsonb := auth.claims();
  subject text := auth.token_subject(claims);
BEGIN
  IF subject IS NULL OR (claims ->> 'role' = 'player' AND auth.user_id() IS NULL) THEN
    PERFORM app.raise_api_error(401, 'PT401', 'sign in first', 'Send one of the tokens to revoke as Authorization: Bearer <token>.');
  END IF;
  PERFORM auth.prune_token_revocations();
  PERFORM auth.revoke_subject(subject);
  RETURN pg_catalog.json_build_object('revoked', 'all');
END
$$;


ALTER FUNCTION api.logout_everywhere() OWNER TO postgres;

--
-- Name: FUNCTION logout_everywhere(); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.logout_everywhere() IS 'Sign out everywhere: revoke every token of your account issued until now.

For a player, all of their sessions; for agent_service or content_admin, every token of that role.
Tokens issued afterwards are valid. Returns {"revoked": "all"}.';


--
-- Name: mark_read(uuid, bigint); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.mark_read(session_id uuid, message_id bigint) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  me uuid := auth.user_id();
  marker bigint;
BEGIN
  PERFORM FROM app.chat_sessions s WHERE s.id = mark_read.session_id AND me IN (s.user_id, s.other_user_id);
  IF NOT FOUND THEN
    PERFORM app.raise_api_error(404, 'PT404', 'unknown chat session', 'GET /chat_sessions lists yours.',
                                pg_catalog.jsonb_build_object('session_id', mark_read.session_id));
  END IF;
  PERFORM FROM app.chat_messages m WHERE m.id = mark_read.message_id AND m.session_id = mark_read.session_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'the message is not in this session'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send the id of a message of this session.',
            DETAIL = pg_catalog.jsonb_build_object('message_id', mark_read.message_id)::text;
  END IF;
  -- Markers only move forward, so an old tab cannot un-read what a newer one read.
  INSERT INTO app.chat_read_markers AS r (session_id, user_id, last_read_message_id)
  VALUES (mark_read.session_id, me, mark_read.message_id)
  ON CONFLICT ON CONSTRAINT chat_read_markers_pkey DO UPDATE
     SET last_read_message_id = greatest(r.last_read_message_id, EXCLUDED.last_read_message_id),
         updated_at = pg_catalog.now()
  RETURNING r.last_read_message_id INTO marker;
  RETURN pg_catalog.jsonb_build_object('session_id', mark_read.session_id, 'last_read_message_id', marker);
END
$$;


ALTER FUNCTION api.mark_read(session_id uuid, message_id bigint) OWNER TO postgres;

--
-- Name: FUNCTION mark_read(session_id uuid, message_id bigint); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.mark_read(session_id uuid, message_id bigint) IS 'Mark a session read up to a message.

The marker only moves forward. Returns {session_id, last_read_message_id}. 404 for a session that is not yours,
400 for a message of another session.';


--
-- Name: move(integer, integer, text); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.move(x integer, y integer, direction text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  me uuid := auth.user_id();
  result record;
  accepted jsonb;
  place jsonb;
BEGIN
  SELECT * INTO result FROM app.presence_move(me, x, y, direction, pg_catalog.clock_timestamp());
  IF result.reason IS NOT NULL THEN
    RAISE EXCEPTION 'invalid move: %', result.message
      USING ERRCODE = 'invalid_parameter_value', DETAIL = result.reason,
            HINT = CASE result.reason
                     WHEN 'not_in_room' THEN 'Call /rpc/enter_room first.'
                     WHEN 'too_fast' THEN 'Move in smaller steps; the allowance refills at the room''s max_speed.'
                     WHEN 'blocked' THEN 'Walk around the wall: GET /room_maps has the room''s map, and its tiles with collides are walls.'
                     ELSE 'Stay inside the room and face up, down, left or right.'
                   END;
  END IF;
  accepted := pg_catalog.jsonb_build_object('user_id', me, 'x', x, 'y', y, 'direction', direction);
  place := app.room_where(result.room_id);
  PERFORM app.presence_notify(pg_catalog.jsonb_build_object(
    'type', 'moves', 'moves', pg_catalog.jsonb_build_array(accepted)) || place);
  RETURN accepted || place;
END
$$;


ALTER FUNCTION api.move(x integer, y integer, direction text) OWNER TO postgres;

--
-- Name: FUNCTION move(x integer, y integer, direction text); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.move(x integer, y integer, direction text) IS 'Move within your room.

The same rules as a WebSocket move frame: inside the room, a direction of up/down/left/right, and no
faster than the room''s max_speed (tiles per second, with a one-tile tolerance). A rejected move answers
400 with the reason in details (not_in_room, bad_position, bad_direction, outside_room, too_fast, blocked: onto or across a wall of the room''s map).';


--
-- Name: chat_messages; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.chat_messages (
    id bigint NOT NULL,
    session_id uuid NOT NULL,
    sender_type text NOT NULL,
    sender_id uuid,
    sender_name text NOT NULL,
    content text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    txid xid8 DEFAULT pg_current_xact_id() NOT NULL,
    client_msg_id uuid,
    CONSTRAINT chat_messages_content_bidi CHECK ((content !~ '[\u202a-\u202e\u2066-\u2069]'::text)),
    CONSTRAINT chat_messages_content_length CHECK (app.chat_content_ok(content, sender_type)),
    CONSTRAINT chat_messages_sender_known CHECK (((sender_type = 'system'::text) = (sender_id IS NULL))),
    CONSTRAINT chat_messages_sender_name_length CHECK (((char_length(sender_name) >= 1) AND (char_length(sender_name) <= 64))),
    CONSTRAINT chat_messages_sender_type_known CHECK ((sender_type = ANY (ARRAY['user'::text, 'agent'::text, 'system'::text])))
);

ALTER TABLE ONLY app.chat_messages FORCE ROW LEVEL SECURITY;


ALTER TABLE app.chat_messages OWNER TO postgres;

--
-- Name: TABLE chat_messages; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.chat_messages IS 'Chat messages; content is 1 to 4000 characters (32000 for agents), no control characters but newline.';


--
-- Name: COLUMN chat_messages.txid; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app.chat_messages.txid IS 'The transaction that stored the message: the tail cursor of realtime.chat_feed.';


--
-- Name: COLUMN chat_messages.client_msg_id; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app.chat_messages.client_msg_id IS 'The sender''s idempotency key: one message per sender and key.';


--
-- Name: chat_sessions; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.chat_sessions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    type text NOT NULL,
    user_id uuid NOT NULL,
    agent_id uuid,
    other_user_id uuid,
    room_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT chat_sessions_shape CHECK (
CASE type
    WHEN 'agent'::text THEN ((agent_id IS NOT NULL) AND (other_user_id IS NULL))
    WHEN 'private'::text THEN ((other_user_id IS NOT NULL) AND (agent_id IS NULL) AND (other_user_id <> user_id))
    WHEN 'proximity'::text THEN ((agent_id IS NULL) AND (other_user_id IS NULL) AND (room_id IS NOT NULL))
    ELSE NULL::boolean
END),
    CONSTRAINT chat_sessions_type_known CHECK ((type = ANY (ARRAY['agent'::text, 'proximity'::text, 'private'::text])))
)
WITH (fillfactor='80');

ALTER TABLE ONLY app.chat_sessions FORCE ROW LEVEL SECURITY;


ALTER TABLE app.chat_sessions OWNER TO postgres;

--
-- Name: TABLE chat_sessions; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.chat_sessions IS 'Conversation containers; one agent session per user and agent, one private session per pair.';


--
-- Name: chat_messages; Type: VIEW; Schema: api; Owner: postgres
--

CREATE VIEW api.chat_messages WITH (security_invoker='true') AS
 SELECT m.id,
    m.session_id,
    COALESCE(s.type, 'proximity'::text) AS type,
    m.sender_type,
    m.sender_id,
    m.sender_name,
    m.content,
    m.created_at
   FROM (app.chat_messages m
     LEFT JOIN app.chat_sessions s ON ((s.id = m.session_id)));


ALTER TABLE api.chat_messages OWNER TO postgres;

--
-- Name: VIEW chat_messages; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON VIEW api.chat_messages IS 'Messages you can read: your sessions'' messages and proximity messages you heard. Page with session_id=eq.<id>&order=id.desc&limit=50&id=lt.<oldest id seen>.';


--
-- Name: COLUMN chat_messages.id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.chat_messages.id IS 'Message id, increasing; use it for paging and resume.';


--
-- Name: COLUMN chat_messages.session_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.chat_messages.session_id IS 'The session.';


--
-- Name: COLUMN chat_messages.type; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.chat_messages.type IS 'The session type: agent, private or proximity.';


--
-- Name: COLUMN chat_messages.sender_type; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.chat_messages.sender_type IS 'user, agent or system.';


--
-- Name: COLUMN chat_messages.sender_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.chat_messages.sender_id IS 'The sending user or agent.';


--
-- Name: COLUMN chat_messages.sender_name; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.chat_messages.sender_name IS 'The sender''s name when the message was sent.';


--
-- Name: COLUMN chat_messages.content; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.chat_messages.content IS 'The text.';


--
-- Name: COLUMN chat_messages.created_at; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.chat_messages.created_at IS 'When it was sent.';


--
-- Name: post_agent_reply(uuid, text); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.post_agent_reply(session_id uuid, content text) RETURNS api.chat_messages
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  session app.chat_sessions;
  agent app.agents;
  stored app.chat_messages;
  result api.chat_messages;
BEGIN
  PERFORM app.check_chat_content(content, 32000);
  SELECT * INTO session FROM app.chat_sessions s WHERE s.id = post_agent_reply.session_id AND s.type = 'agent';
  IF NOT FOUND THEN
    PERFORM app.raise_api_error(404, 'PT404', 'unknown agent session', 'Agents answer only in agent sessions.',
                                pg_catalog.jsonb_build_object('session_id', post_agent_reply.session_id));
  END IF;
  -- A suspended agent takes no new message, its own included.
  PERFORM app.agent_chat_open(session.agent_id, NULL);
  SELECT * INTO agent FROM app.agents a WHERE a.id = session.agent_id;
  stored := app.chat_store(session.id, 'agent', agent.id, agent.name, content);
  SELECT stored.id, stored.session_id, session.type, stored.sender_type, stored.sender_id, stored.sender_name,
         stored.content, stored.created_at INTO result;
  RETURN result;
END
$$;


ALTER FUNCTION api.post_agent_reply(session_id uuid, content text) OWNER TO postgres;

--
-- Name: FUNCTION post_agent_reply(session_id uuid, content text); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.post_agent_reply(session_id uuid, content text) IS 'Post the agent''s answer into an agent session (agent_service).

Content up to 32000 characters. Returns the stored message, which reaches the user''s sockets live. 404 for a
session that is not an agent session.';


--
-- Name: publish_map(text, text, jsonb, text); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.publish_map(world_slug text, room_slug text, map jsonb, name text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
BEGIN
  RETURN app.map_publish(app.map_world(world_slug), room_slug, map, name, app.request_role(),
                         auth.user_id());
END
$$;


ALTER FUNCTION api.publish_map(world_slug text, room_slug text, map jsonb, name text) OWNER TO postgres;

--
-- Name: FUNCTION publish_map(world_slug text, room_slug text, map jsonb, name text); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.publish_map(world_slug text, room_slug text, map jsonb, name text) IS 'Publish a Tiled JSON map as the next version of a room of your world (created if missing): {room_id, version, summary}. Its buildings and spawn points replace the ones the previous map made; players on a new wall move to the spawn. 400 with details.errors when the map is not valid, 403 unless you own or edit the world, 404 for a world you may not see.';


--
-- Name: publish_prompt(text, text, text, text); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.publish_prompt(agent_slug text, system_prompt text, world_slug text DEFAULT NULL::text, note text DEFAULT NULL::text) RETURNS api.agent_prompts
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  a app.agents;
  p app.agent_prompts;
  result api.agent_prompts;
BEGIN
  PERFORM app.check_prompt(system_prompt, note);
  a := app.agent_lookup(world_slug, agent_slug);
  p := app.agent_prompt_publish(a, system_prompt, note);
  SELECT * INTO result FROM api.agent_prompts v WHERE v.id = p.id;
  RETURN result;
END
$$;


ALTER FUNCTION api.publish_prompt(agent_slug text, system_prompt text, world_slug text, note text) OWNER TO postgres;

--
-- Name: FUNCTION publish_prompt(agent_slug text, system_prompt text, world_slug text, note text); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.publish_prompt(agent_slug text, system_prompt text, world_slug text, note text) IS 'Publish the next system prompt version of an agent and make it the active one.

{agent_slug, system_prompt, world_slug?, note?}: without world_slug, an installation agent (content_admin);
with it, that world''s agent (its owner and editors). system_prompt 1-32000 characters, note up to 500.
Returns the version. 400 for bad input, 403 for an agent you see but do not manage, 404 for one you cannot see.';


--
-- Name: refresh_token(); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.refresh_token() RETURNS json
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $_$
DECLARE
  me     uuid := auth.user_id();
  claims jsonb := auth.claims();
  sid    uuid;
  gen    integer := 0;
BEGIN
  -- PostgREST's pre-request check has refused a revoked token already; this holds without it too.
  IF auth.token_revoked(claims) THEN
    PERFORM auth.raise_token_revoked();
  END IF;
  UPDATE app.users SET last_seen_at = pg_catalog.now() WHERE id = me;
  IF NOT FOUND THEN
    PERFORM app.raise_api_error(401, 'PT401', 'this account no longer exists',
                                'Sign in again with /rpc/login_anonymous or /rpc/login.');
  END IF;
  IF claims ->> 'sid' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
    sid := (claims ->> 'sid')::uuid;
  ELSE
    sid := pg_catalog.gen_random_uuid();  -- a token from before sessions: it starts one
  END IF;
  IF pg_catalog.jsonb_typeof(claims -> 'gen') = 'number' AND claims ->> 'gen' ~ '^[0-9]{1,9}$' THEN
    gen := (claims ->> 'gen')::integer;
  END IF;
  RETURN auth.issue_session_token(me, sid, gen);
END
$_$;


ALTER FUNCTION api.refresh_token() OWNER TO postgres;

--
-- Name: FUNCTION refresh_token(); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.refresh_token() IS 'Get a fresh token for yourself.

Returns {user_id, token, expires_at} with a new 24-hour expiry. Call it before the old token expires.
The new token belongs to the same session: logout with either revokes both.';


--
-- Name: register(text, text); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.register(email text, password text) RETURNS json
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  me uuid := auth.user_id();
  normalized text := app.check_email(register.email);
  anonymous boolean;
BEGIN
  PERFORM app.check_password(register.password);
  SELECT u.is_anonymous INTO anonymous FROM app.users u WHERE u.id = me FOR UPDATE;
  IF NOT FOUND THEN
    PERFORM app.raise_api_error(401, 'PT401', 'this account no longer exists', 'Sign in again with /rpc/login_anonymous.');
  ELSIF NOT anonymous THEN
    PERFORM app.raise_api_error(409, 'PT409', 'this account is already registered', 'Sign in with /rpc/login instead.');
  END IF;
  -- Always the caller's key first, then the email's: two registrations never wait for each other in
  -- opposite orders.
  PERFORM auth.register_attempt('caller:' || me::text, 'register_failures_per_caller');
  PERFORM auth.register_attempt('email:' || normalized, 'register_failures_per_email');
  BEGIN
    UPDATE app.users SET email = normalized, is_anonymous = false WHERE id = me;
  EXCEPTION WHEN unique_violation THEN
    -- The same body the unique_violation used to produce, without rolling the counts back.
    PERFORM pg_catalog.set_config('response.status', '409', true);
    RETURN pg_catalog.json_build_object(
      'code', '23505',
      'message', 'this email is already registered',
      'details', NULL,
      'hint', 'Sign in with /rpc/login, or use another email.');
  END;
  INSERT INTO auth.credentials (user_id, password_hash)
  VALUES (me, public.crypt(register.password, public.gen_salt('bf', 10)));
  DELETE FROM auth.register_throttle t WHERE t.key IN ('caller:' || me::text, 'email:' || normalized);
  RETURN auth.issue_token(me);
END
$$;


ALTER FUNCTION api.register(email text, password text) OWNER TO postgres;

--
-- Name: FUNCTION register(email text, password text); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.register(email text, password text) IS 'Turn your anonymous account into a registered one.

Stores the email and a bcrypt hash of the password; is_anonymous becomes false and your id stays.
Returns a fresh {user_id, token, expires_at}. 400 for a malformed email or a password shorter than 8
characters (or over 72 bytes), 409 when the email is taken or you are already registered. After 5 taken
emails within 15 minutes from one caller, or for one email from anyone, further attempts answer 429 with a
Retry-After header until the window ends (rules register_failures_per_caller and register_failures_per_email).';


--
-- Name: remove_member(text, uuid); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.remove_member(world_slug text, user_id uuid) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  me app.users := app.world_caller();
  w app.worlds := app.world_managed(world_slug, me.id, ARRAY['owner', 'editor'], 'only the owner or an editor may remove members');
  target text;
BEGIN
  IF user_id = me.id THEN
    RAISE EXCEPTION 'to leave a world, call leave_world'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'POST /rpc/leave_world {world_slug}.';
  END IF;
  target := app.world_member_role(w, user_id);
  IF target = 'owner' OR target = 'editor' AND app.world_role(w.id, me.id) <> 'owner' THEN
    PERFORM app.raise_api_error(403, 'PT403', 'you may not remove this member',
                                'The owner removes editors; nobody removes the owner.',
                                pg_catalog.jsonb_build_object('world', w.slug, 'user_id', user_id));
  END IF;
  DELETE FROM app.world_members m WHERE m.world_id = w.id AND m.user_id = remove_member.user_id;
  RETURN pg_catalog.jsonb_build_object('world_slug', w.slug, 'user_id', user_id, 'removed', true);
END
$$;


ALTER FUNCTION api.remove_member(world_slug text, user_id uuid) OWNER TO postgres;

--
-- Name: FUNCTION remove_member(world_slug text, user_id uuid); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.remove_member(world_slug text, user_id uuid) IS 'Remove a member from your world: the owner removes editors and members, an editor members only.

Returns {world_slug, user_id, removed: true}. 400 for yourself (use leave_world), 403 without the role, 404 for
a world you may not see or a user who is not a member, 409 for an archived world.';


--
-- Name: restore_agent(text, text); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.restore_agent(agent_slug text, world_slug text DEFAULT NULL::text) RETURNS api.agents
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  a app.agents := app.agent_to_moderate(world_slug, agent_slug);
  result api.agents;
BEGIN
  UPDATE app.agents x SET moderation_status = 'active', moderation_reason = NULL, moderated_at = pg_catalog.now()
   WHERE x.id = a.id AND x.moderation_status <> 'active';
  SELECT * INTO result FROM api.agents v WHERE v.id = a.id;
  RETURN result;
END
$$;


ALTER FUNCTION api.restore_agent(agent_slug text, world_slug text) OWNER TO postgres;

--
-- Name: FUNCTION restore_agent(agent_slug text, world_slug text); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.restore_agent(agent_slug text, world_slug text) IS 'Lift an agent''s suspension (content_admin); it takes messages again. Restoring an active agent changes nothing.';


--
-- Name: restore_map(text, text, integer); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.restore_map(world_slug text, room_slug text, version integer) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  w app.worlds := app.map_world(world_slug);
  old app.map_versions;
BEGIN
  SELECT x.* INTO old FROM app.map_versions x JOIN app.rooms r ON r.id = x.room_id
   WHERE r.world_id = w.id AND r.slug = restore_map.room_slug AND x.version = restore_map.version;
  IF NOT FOUND THEN
    PERFORM app.raise_api_error(404, 'PT404', 'unknown map version', 'GET /map_versions?room_id=eq.<room id> lists the versions.',
                                pg_catalog.jsonb_build_object('room_slug', pg_catalog.left(room_slug, 64), 'version', version));
  END IF;
  RETURN app.map_publish(w, room_slug, old.map, old.name, app.request_role(), auth.user_id(), old.version);
END
$$;


ALTER FUNCTION api.restore_map(world_slug text, room_slug text, version integer) OWNER TO postgres;

--
-- Name: FUNCTION restore_map(world_slug text, room_slug text, version integer); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.restore_map(world_slug text, room_slug text, version integer) IS 'Publish an earlier version of a room''s map again, as a new version: {room_id, version, summary}. 404 for an unknown version; otherwise as publish_map.';


--
-- Name: restore_world(text); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.restore_world(slug text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  me app.users := app.world_caller();
  w app.worlds := app.world_visible(slug, me.id, true);
BEGIN
  IF app.world_role(w.id, me.id) IS DISTINCT FROM 'owner' THEN
    PERFORM app.raise_api_error(403, 'PT403', 'only the owner may archive or restore a world',
                                'GET /world_members shows who holds which role.', pg_catalog.jsonb_build_object('world', w.slug));
  END IF;
  UPDATE app.worlds x SET archived_at = NULL WHERE x.id = w.id AND x.archived_at IS NOT NULL;
  RETURN pg_catalog.jsonb_build_object('slug', w.slug, 'archived_at', NULL);
END
$$;


ALTER FUNCTION api.restore_world(slug text) OWNER TO postgres;

--
-- Name: FUNCTION restore_world(slug text); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.restore_world(slug text) IS 'Restore a world you archived, as it was: its visibility, members, invitations, bans and rooms.

Returns {slug, archived_at: null}; restoring a world that is not archived changes nothing. 403 for anyone but
the owner, 404 for a world you may not see.';


--
-- Name: revoke_invitation(uuid); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.revoke_invitation(invitation_id uuid) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  me app.users := app.world_caller();
  inv app.world_invitations;
  w app.worlds;
BEGIN
  SELECT * INTO inv FROM app.world_invitations i WHERE i.id = invitation_id;
  IF FOUND THEN
    SELECT * INTO w FROM app.worlds x WHERE x.id = inv.world_id FOR UPDATE;
  END IF;
  IF NOT FOUND OR NOT w.id = ANY (app.readable_world_ids(me.id)) THEN
    PERFORM app.raise_api_error(404, 'PT404', 'unknown invitation', 'GET /world_invitations lists the invitations you manage.',
                                pg_catalog.jsonb_build_object('invitation_id', invitation_id));
  END IF;
  IF app.world_role(w.id, me.id) IS NULL OR app.world_role(w.id, me.id) NOT IN ('owner', 'editor') THEN
    PERFORM app.raise_api_error(403, 'PT403', 'only the owner or an editor may revoke an invitation',
                                'GET /world_members shows who holds which role.',
                                pg_catalog.jsonb_build_object('invitation_id', invitation_id));
  END IF;
  IF w.archived_at IS NOT NULL THEN
    PERFORM app.raise_api_error(409, 'PT409', 'this world is archived', 'Restore it first with /rpc/restore_world.',
                                pg_catalog.jsonb_build_object('world', w.slug));
  END IF;
  UPDATE app.world_invitations i SET revoked_at = pg_catalog.now()
   WHERE i.id = inv.id AND i.revoked_at IS NULL;
  RETURN pg_catalog.jsonb_build_object('invitation_id', inv.id,
    'revoked_at', (SELECT i.revoked_at FROM app.world_invitations i WHERE i.id = inv.id));
END
$$;


ALTER FUNCTION api.revoke_invitation(invitation_id uuid) OWNER TO postgres;

--
-- Name: FUNCTION revoke_invitation(invitation_id uuid); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.revoke_invitation(invitation_id uuid) IS 'Revoke an invitation of a world you own or edit: its token is refused from now on.

Returns {invitation_id, revoked_at}; revoking again keeps the first time. 403 for a member, 404 for an unknown
invitation or one of a world you may not see, 409 for an archived world.';


--
-- Name: route_agent(text, text); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.route_agent(message text, world_slug text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
DECLARE
  world uuid;
BEGIN
  IF message IS NULL OR pg_catalog.char_length(message) > 4000 THEN
    RAISE EXCEPTION 'message must be 0 to 4000 characters'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send {"message": "..."}.';
  END IF;
  IF world_slug IS NOT NULL THEN
    -- Row-level security on app.worlds: a world the caller may not read is unknown.
    SELECT w.id INTO world FROM app.worlds w WHERE w.slug = route_agent.world_slug AND w.archived_at IS NULL;
    IF NOT FOUND THEN
      PERFORM app.raise_api_error(404, 'PT404', 'unknown world', 'GET /worlds lists the worlds you may see.',
                                  pg_catalog.jsonb_build_object('world', pg_catalog.left(route_agent.world_slug, 64)));
    END IF;
  END IF;
  -- Whole words, case-insensitive; score = distinct keywords matched; a tie goes to the world's agent, then
  -- to the slug first in alphabetical order, so the answer never depends on row order. Row-level security
  -- on app.agents shows only agents the caller meets; inactive and suspended ones never route.
  RETURN (
    SELECT pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
             'agent_slug', a.slug, 'score', pg_catalog.count(DISTINCT w.word),
             'world_slug', CASE WHEN a.world_id IS NOT NULL THEN route_agent.world_slug END))
      FROM app.agents a
      JOIN (SELECT DISTINCT word FROM pg_catalog.regexp_split_to_table(pg_catalog.lower(message), '[^[:alnum:]-]+') AS word) w
        ON w.word = ANY (a.routing_keywords)
     WHERE a.is_active AND a.moderation_status = 'active'
       AND (a.world_id IS NULL OR a.world_id = world)
     GROUP BY a.id, a.slug, a.world_id
     ORDER BY pg_catalog.count(DISTINCT w.word) DESC, a.world_id IS NULL, a.slug
     LIMIT 1);
END
$$;


ALTER FUNCTION api.route_agent(message text, world_slug text) OWNER TO postgres;

--
-- Name: FUNCTION route_agent(message text, world_slug text); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.route_agent(message text, world_slug text) IS 'Pick the agent for a message from the agents'' routing keywords: the installation''s, and with world_slug that world''s too.

Returns {agent_slug, score}, and world_slug when the agent is the world''s: score is the number of distinct
keywords that appear as whole words (case-insensitive); a tie goes to the world''s agent, then to the
alphabetically first slug. null when nothing matches. Open the chat with start_chat {agent_slug, world_slug}.
404 for a world you may not see.';


--
-- Name: say_nearby(text, uuid); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.say_nearby(content text, client_msg_id uuid DEFAULT NULL::uuid) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  me uuid := auth.user_id();
  here app.player_presence;
  room app.rooms;
  session_id uuid;
  heard_by uuid[];
  my_name text;
  stored app.chat_messages;
BEGIN
  PERFORM app.check_chat_content(content, 4000);
  IF say_nearby.client_msg_id IS NOT NULL THEN
    -- A retry answers what was said then, to whoever heard it then, wherever the player is now.
    SELECT * INTO stored FROM app.chat_messages m
     WHERE m.sender_id = me AND m.client_msg_id = say_nearby.client_msg_id;
    IF FOUND THEN
      IF (SELECT s.type FROM app.chat_sessions s WHERE s.id = stored.session_id) <> 'proximity' THEN
        PERFORM app.raise_api_error(409, 'PT409', 'this client_msg_id was already used for a message in another session',
                                    'Use a new uuid for every new message, and the same one only to retry it.');
      END IF;
      RETURN pg_catalog.jsonb_build_object('message', app.chat_message_json(stored),
        'recipients', pg_catalog.to_jsonb(ARRAY(SELECT r.user_id FROM app.chat_message_recipients r
                                                 WHERE r.message_id = stored.id ORDER BY r.user_id)));
    END IF;
  END IF;
  SELECT * INTO here FROM app.player_presence p WHERE p.user_id = me AND p.status <> 'offline';
  IF NOT FOUND THEN
    RAISE EXCEPTION 'enter a room before talking to people nearby'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Join a room over the WebSocket, or POST /rpc/enter_room.';
  END IF;
  PERFORM app.rate_limit_hit(me, 'say_nearby');
  SELECT * INTO room FROM app.rooms r WHERE r.id = here.room_id;

  heard_by := ARRAY(
    SELECT p.user_id FROM app.player_presence p
     WHERE p.room_id = here.room_id AND p.status <> 'offline' AND p.user_id <> me
       AND (p.x - here.x) ^ 2 + (p.y - here.y) ^ 2 <= room.proximity_radius ^ 2
     ORDER BY p.user_id);

  INSERT INTO app.chat_sessions (type, user_id, room_id) VALUES ('proximity', me, here.room_id)
  ON CONFLICT (user_id, room_id) WHERE type = 'proximity' DO NOTHING
  RETURNING id INTO session_id;
  IF session_id IS NULL THEN
    SELECT s.id INTO session_id FROM app.chat_sessions s
     WHERE s.type = 'proximity' AND s.user_id = me AND s.room_id = here.room_id;
  END IF;

  SELECT u.display_name INTO my_name FROM app.users u WHERE u.id = me;
  stored := app.chat_store(session_id, 'user', me, my_name, content, heard_by, say_nearby.client_msg_id);
  IF say_nearby.client_msg_id IS NOT NULL THEN
    -- chat_store may have met a concurrent attempt with the same key: answer with what was stored.
    heard_by := ARRAY(SELECT r.user_id FROM app.chat_message_recipients r WHERE r.message_id = stored.id ORDER BY r.user_id);
  END IF;
  RETURN pg_catalog.jsonb_build_object('message', app.chat_message_json(stored),
                                       'recipients', pg_catalog.to_jsonb(heard_by));
END
$$;


ALTER FUNCTION api.say_nearby(content text, client_msg_id uuid) OWNER TO postgres;

--
-- Name: FUNCTION say_nearby(content text, client_msg_id uuid); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.say_nearby(content text, client_msg_id uuid) IS 'Say something to the players near you.

Everyone in your room within its proximity_radius (5 tiles by default) hears it; they are recorded, so each
player''s history shows exactly what they heard. Returns {message, recipients}. Send a fresh client_msg_id
(uuid) and the same one to retry: a retry returns what was stored and says nothing again. 400 when you are not
in a room or the content is invalid; 429 over the rate limit (5 per 10 s by default).';


--
-- Name: send_message(uuid, text, uuid); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.send_message(session_id uuid, content text, client_msg_id uuid DEFAULT NULL::uuid) RETURNS api.chat_messages
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  me uuid := auth.user_id();
  session_type text;
  session_agent uuid;
  my_name text;
  stored app.chat_messages;
BEGIN
  -- Assignments, not PERFORM: PL/pgSQL evaluates a plain expression without starting an executor.
  content := app.check_chat_content(content, 4000);
  SELECT s.type, s.agent_id, u.display_name INTO session_type, session_agent, my_name
    FROM app.chat_sessions s JOIN app.users u ON u.id = me
   WHERE s.id = send_message.session_id AND me IN (s.user_id, s.other_user_id)
     -- The other participant of a private session may have blocked the sender (one primary-key probe;
     -- other_user_id is NULL in agent and proximity sessions, which match nothing).
     AND NOT EXISTS (SELECT FROM app.user_blocks b
                      WHERE b.blocker = CASE WHEN s.user_id = me THEN s.other_user_id ELSE s.user_id END
                        AND b.blocked = me);
  IF NOT FOUND THEN
    -- Someone else's session answers like a missing one: its existence is private too. A session whose
    -- other participant blocked the sender answers the same, so the sender is not told of the block.
    PERFORM app.raise_api_error(404, 'PT404', 'unknown chat session',
                                'Open one with /rpc/start_chat; GET /chat_sessions lists yours.',
                                pg_catalog.jsonb_build_object('session_id', send_message.session_id));
  ELSIF session_type = 'proximity' THEN
    RAISE EXCEPTION 'proximity sessions take messages through say_nearby'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'POST /rpc/say_nearby {"content": ...}';
  END IF;
  IF session_type = 'agent' THEN
    -- A suspended agent, or one whose world the sender may no longer enter, takes no new message.
    PERFORM app.agent_chat_open(session_agent, me);
  END IF;
  IF send_message.client_msg_id IS NOT NULL THEN
    stored := app.chat_retry(me, send_message.client_msg_id, send_message.session_id);
  END IF;
  IF stored.id IS NULL THEN
    PERFORM app.rate_limit_hit(me, 'send_message');
    stored := app.chat_store(send_message.session_id, 'user', me, my_name, content, '{}', send_message.client_msg_id);
  END IF;
  RETURN ROW(stored.id, stored.session_id, session_type, stored.sender_type, stored.sender_id, stored.sender_name,
             stored.content, stored.created_at)::api.chat_messages;
END
$$;


ALTER FUNCTION api.send_message(session_id uuid, content text, client_msg_id uuid) OWNER TO postgres;

--
-- Name: FUNCTION send_message(session_id uuid, content text, client_msg_id uuid); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.send_message(session_id uuid, content text, client_msg_id uuid) IS 'Send a message into one of your sessions.

Returns the stored message. Send a fresh client_msg_id (uuid) with every message and the same one when you
retry it: a retry returns the message already stored and stores nothing new (409 if that id was used in
another session). 400 for empty or whitespace-only content, over 4000 characters, or control characters
other than newline; 403 in the session of a suspended agent, or of an agent whose world you may no longer
enter; 404 for a session that is not yours, or whose other player blocked you; 429 over the rate limit
(20 per 10 s by default), with retry_after in details.';


--
-- Name: set_member_role(text, uuid, text); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.set_member_role(world_slug text, user_id uuid, role text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  me app.users := app.world_caller();
  w app.worlds;
BEGIN
  IF role IS NULL OR role NOT IN ('editor', 'member') THEN
    RAISE EXCEPTION 'unknown member role'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Use editor or member; ownership moves with /rpc/transfer_ownership.';
  END IF;
  w := app.world_managed(world_slug, me.id, ARRAY['owner'], 'only the owner may change roles');
  IF app.world_member_role(w, user_id) = 'owner' THEN
    PERFORM app.raise_api_error(409, 'PT409', 'the owner''s role changes only by a transfer',
                                'Use /rpc/transfer_ownership.', pg_catalog.jsonb_build_object('world', w.slug));
  END IF;
  UPDATE app.world_members m SET role = set_member_role.role WHERE m.world_id = w.id AND m.user_id = set_member_role.user_id;
  RETURN pg_catalog.jsonb_build_object('world_slug', w.slug, 'user_id', user_id, 'role', role);
END
$$;


ALTER FUNCTION api.set_member_role(world_slug text, user_id uuid, role text) OWNER TO postgres;

--
-- Name: FUNCTION set_member_role(world_slug text, user_id uuid, role text); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.set_member_role(world_slug text, user_id uuid, role text) IS 'Make a member of your world an editor or a member again.

Returns {world_slug, user_id, role}. 400 for another role, 403 for anyone but the owner, 404 for a world you
may not see or a user who is not a member, 409 for yourself (transfer ownership instead) or an archived world.';


--
-- Name: user_id(); Type: FUNCTION; Schema: auth; Owner: postgres
--

CREATE FUNCTION auth.user_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT (auth.claims() ->> 'sub')::uuid $$;


ALTER FUNCTION auth.user_id() OWNER TO postgres;

--
-- Name: FUNCTION user_id(); Type: COMMENT; Schema: auth; Owner: postgres
--

COMMENT ON FUNCTION auth.user_id() IS 'The signed-in user''s id (the sub claim), or NULL for anonymous and service requests.';


--
-- Name: chat_unread_counts; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.chat_unread_counts (
    session_id uuid NOT NULL,
    user_id uuid NOT NULL,
    read_upto bigint DEFAULT 0 NOT NULL,
    unread_count integer DEFAULT 0 NOT NULL
)
WITH (fillfactor='70');

ALTER TABLE ONLY app.chat_unread_counts FORCE ROW LEVEL SECURITY;


ALTER TABLE app.chat_unread_counts OWNER TO postgres;

--
-- Name: TABLE chat_unread_counts; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.chat_unread_counts IS 'Each participant''s unread count per session: messages from others after read_upto, kept by triggers.';


--
-- Name: COLUMN chat_unread_counts.read_upto; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app.chat_unread_counts.read_upto IS 'The read marker the count starts after (0 before the first mark_read).';


--
-- Name: chat_sessions; Type: VIEW; Schema: api; Owner: postgres
--

CREATE VIEW api.chat_sessions WITH (security_invoker='true') AS
 SELECT s.id,
    s.type,
    s.user_id,
    s.agent_id,
    a.slug AS agent_slug,
    s.other_user_id,
    s.room_id,
    s.created_at,
    last.created_at AS last_message_at,
    last.preview AS last_message,
    COALESCE(( SELECT u.unread_count
           FROM app.chat_unread_counts u
          WHERE ((u.session_id = s.id) AND (u.user_id = ( SELECT auth.user_id() AS user_id)))), 0) AS unread_count
   FROM ((app.chat_sessions s
     LEFT JOIN app.agents a ON ((a.id = s.agent_id)))
     LEFT JOIN LATERAL ( SELECT m.created_at,
            jsonb_build_object('id', m.id, 'sender_name', m.sender_name, 'content', "left"(m.content, 140), 'created_at', m.created_at) AS preview
           FROM app.chat_messages m
          WHERE (m.session_id = s.id)
          ORDER BY m.id DESC
         LIMIT 1) last ON (true))
  ORDER BY last.created_at DESC NULLS LAST, s.id;


ALTER TABLE api.chat_sessions OWNER TO postgres;

--
-- Name: VIEW chat_sessions; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON VIEW api.chat_sessions IS 'Your chat sessions, newest activity first, each with a preview of its last message and your unread count.';


--
-- Name: COLUMN chat_sessions.id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.chat_sessions.id IS 'Session id.';


--
-- Name: COLUMN chat_sessions.type; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.chat_sessions.type IS 'agent, private or proximity.';


--
-- Name: COLUMN chat_sessions.user_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.chat_sessions.user_id IS 'The player who started it.';


--
-- Name: COLUMN chat_sessions.agent_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.chat_sessions.agent_id IS 'The agent, for an agent session.';


--
-- Name: COLUMN chat_sessions.agent_slug; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.chat_sessions.agent_slug IS 'The agent''s slug, for an agent session.';


--
-- Name: COLUMN chat_sessions.other_user_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.chat_sessions.other_user_id IS 'The other player, for a private session.';


--
-- Name: COLUMN chat_sessions.room_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.chat_sessions.room_id IS 'The room, for a proximity session.';


--
-- Name: COLUMN chat_sessions.created_at; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.chat_sessions.created_at IS 'When it started.';


--
-- Name: COLUMN chat_sessions.last_message_at; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.chat_sessions.last_message_at IS 'When its last message was sent; null while it has none.';


--
-- Name: COLUMN chat_sessions.last_message; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.chat_sessions.last_message IS 'Preview of the last message: {id, sender_name, content (140 characters), created_at}.';


--
-- Name: COLUMN chat_sessions.unread_count; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.chat_sessions.unread_count IS 'Messages from others after your read marker (kept as a counter, exact; 0 for agent_service).';


--
-- Name: start_chat(text, uuid, text); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.start_chat(agent_slug text DEFAULT NULL::text, other_user_id uuid DEFAULT NULL::uuid, world_slug text DEFAULT NULL::text) RETURNS api.chat_sessions
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
#variable_conflict use_column
DECLARE
  me uuid := auth.user_id();
  agent app.agents;
  session_id uuid;
  result api.chat_sessions;
BEGIN
  IF (start_chat.agent_slug IS NULL) = (start_chat.other_user_id IS NULL)
     OR start_chat.world_slug IS NOT NULL AND start_chat.agent_slug IS NULL THEN
    RAISE EXCEPTION 'send exactly one of agent_slug and other_user_id'
      USING ERRCODE = 'invalid_parameter_value', HINT = '{"agent_slug": "scout"} or {"other_user_id": "<uuid>"}';
  END IF;
  PERFORM FROM app.users u WHERE u.id = me;
  IF NOT FOUND THEN
    PERFORM app.raise_api_error(401, 'PT401', 'this account no longer exists', 'Sign in again.');
  END IF;

  IF start_chat.agent_slug IS NOT NULL THEN
    -- The world's agent or the installation's, one the caller meets, in a world the caller may enter
    -- (app.chat_agent): anything else answers like an unknown agent, so a private world's agents stay unknown.
    agent := app.chat_agent(start_chat.world_slug, start_chat.agent_slug, me);
    IF agent.id IS NULL THEN
      PERFORM app.raise_api_error(404, 'PT404', 'unknown agent', 'GET /agents lists the agents you may meet.',
                                  pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
                                    'agent_slug', start_chat.agent_slug, 'world', start_chat.world_slug)));
    END IF;
    -- Two racing calls both reach the unique index; one inserts, the other finds its row.
    INSERT INTO app.chat_sessions (type, user_id, agent_id) VALUES ('agent', me, agent.id)
    ON CONFLICT (user_id, agent_id) WHERE type = 'agent' DO NOTHING
    RETURNING id INTO session_id;
    IF session_id IS NOT NULL THEN
      PERFORM app.chat_store(session_id, 'agent', agent.id, agent.name, agent.greeting);
    ELSE
      SELECT s.id INTO session_id FROM app.chat_sessions s
       WHERE s.type = 'agent' AND s.user_id = me AND s.agent_id = agent.id;
    END IF;
  ELSE
    IF start_chat.other_user_id = me THEN
      RAISE EXCEPTION 'you cannot start a private chat with yourself'
        USING ERRCODE = 'invalid_parameter_value', HINT = 'Pick another player from GET /users.';
    END IF;
    -- A player who blocked the caller answers exactly like an unknown one: the caller is not told of the block.
    PERFORM FROM app.users u
     WHERE u.id = start_chat.other_user_id
       AND NOT EXISTS (SELECT FROM app.user_blocks b WHERE b.blocker = u.id AND b.blocked = me);
    IF NOT FOUND THEN
      PERFORM app.raise_api_error(404, 'PT404', 'unknown user', 'GET /users lists the players.',
                                  pg_catalog.jsonb_build_object('other_user_id', start_chat.other_user_id));
    END IF;
    INSERT INTO app.chat_sessions (type, user_id, other_user_id) VALUES ('private', me, start_chat.other_user_id)
    ON CONFLICT ((least(user_id, other_user_id)), (greatest(user_id, other_user_id))) WHERE type = 'private' DO NOTHING
    RETURNING id INTO session_id;
    IF session_id IS NOT NULL THEN
      -- Only a session created here counts. The counter's row lock queues a sender's racing calls, and a
      -- refusal rolls the new session back with the count.
      PERFORM app.rate_limit_hit(me, 'start_private_chat');
    ELSE
      SELECT s.id INTO session_id FROM app.chat_sessions s
       WHERE s.type = 'private'
         AND least(s.user_id, s.other_user_id) = least(me, start_chat.other_user_id)
         AND greatest(s.user_id, s.other_user_id) = greatest(me, start_chat.other_user_id);
    END IF;
  END IF;

  -- Read back through the view, as GET /chat_sessions shows it (preview, unread count).
  SELECT * INTO result FROM api.chat_sessions v WHERE v.id = session_id;
  RETURN result;
END
$$;


ALTER FUNCTION api.start_chat(agent_slug text, other_user_id uuid, world_slug text) OWNER TO postgres;

--
-- Name: FUNCTION start_chat(agent_slug text, other_user_id uuid, world_slug text); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.start_chat(agent_slug text, other_user_id uuid, world_slug text) IS 'Open your chat with an agent ({agent_slug, world_slug?}) or a player ({other_user_id}).

Returns the existing session for that pair, or creates it; safe to call twice at once. A new agent session
starts with the agent''s greeting as its first message. With world_slug you must be allowed in that world, and
meet its agent with that slug, else the installation''s; without it, the installation''s agents. 404 for an
unknown, suspended or inactive agent, a world you may not enter, an unknown user, and a player who blocked you.
A new private session counts against a limit (10 per hour by default; 429 with Retry-After); returning an
existing one does not.';


--
-- Name: suspend_agent(text, text, text); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.suspend_agent(agent_slug text, reason text, world_slug text DEFAULT NULL::text) RETURNS api.agents
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  a app.agents;
  result api.agents;
BEGIN
  IF reason IS NULL OR pg_catalog.char_length(reason) NOT BETWEEN 1 AND 500 OR pg_catalog.btrim(reason) = ''
     OR reason ~ '[\x01-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]' THEN
    RAISE EXCEPTION 'a suspension needs a reason of 1 to 500 characters'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Say why, e.g. "impersonates a real person"; newline is the only control character allowed.';
  END IF;
  a := app.agent_to_moderate(world_slug, agent_slug);
  UPDATE app.agents x SET moderation_status = 'suspended', moderation_reason = suspend_agent.reason, moderated_at = pg_catalog.now()
   WHERE x.id = a.id;
  SELECT * INTO result FROM api.agents v WHERE v.id = a.id;
  RETURN result;
END
$$;


ALTER FUNCTION api.suspend_agent(agent_slug text, reason text, world_slug text) OWNER TO postgres;

--
-- Name: FUNCTION suspend_agent(agent_slug text, reason text, world_slug text); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.suspend_agent(agent_slug text, reason text, world_slug text) IS 'Suspend an agent of any world (content_admin), with a reason.

It disappears from GET /agents, routing and start_chat for players; its chats stay readable to their
participants and take no new messages (403 "this agent is suspended"). The world''s owner and editors still see
it, with moderation_status and moderation_reason. Suspending again replaces the reason.';


--
-- Name: transfer_ownership(text, uuid); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.transfer_ownership(world_slug text, user_id uuid) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  me app.users := app.world_caller();
  -- Locked FOR UPDATE and checked again under the lock: a concurrent transfer waits here, then finds
  -- that the caller no longer owns the world.
  w app.worlds := app.world_managed(world_slug, me.id, ARRAY['owner'], 'only the owner may transfer a world');
BEGIN
  IF w.owner_id IS DISTINCT FROM me.id THEN
    PERFORM app.raise_api_error(403, 'PT403', 'only the owner may transfer a world',
                                'GET /world_members shows who holds which role.', pg_catalog.jsonb_build_object('world', w.slug));
  END IF;
  IF user_id = me.id THEN
    PERFORM app.raise_api_error(409, 'PT409', 'you already own this world', 'Name another member.',
                                pg_catalog.jsonb_build_object('world', w.slug));
  END IF;
  PERFORM app.world_member_role(w, user_id);
  -- The new owner must be able to own it: registered (an abandoned anonymous account is deleted by the
  -- housekeeping, and its worlds with it) and under the owned-world limit, counted under their row's
  -- lock as create_world counts it.
  IF (SELECT u.is_anonymous FROM app.users u WHERE u.id = transfer_ownership.user_id FOR UPDATE) THEN
    PERFORM app.raise_api_error(403, 'PT403', 'only a registered player may own a world',
                                'Ask them to register first; they keep their id, name and membership.',
                                pg_catalog.jsonb_build_object('world', w.slug, 'user_id', user_id));
  END IF;
  IF (SELECT pg_catalog.count(*) FROM app.worlds x WHERE x.owner_id = transfer_ownership.user_id)
     >= (SELECT s.max_worlds_per_owner FROM app.world_settings s) THEN
    PERFORM app.raise_api_error(409, 'PT409', 'that player owns as many worlds as they may',
                                'They may transfer or give up one of theirs first; archived worlds count too.',
                                pg_catalog.jsonb_build_object('world', w.slug, 'user_id', user_id));
  END IF;
  -- Demote first: the unique index world_members_one_owner admits one owner row at any moment.
  UPDATE app.world_members m SET role = 'editor' WHERE m.world_id = w.id AND m.user_id = me.id;
  UPDATE app.world_members m SET role = 'owner' WHERE m.world_id = w.id AND m.user_id = transfer_ownership.user_id;
  UPDATE app.worlds x SET owner_id = transfer_ownership.user_id WHERE x.id = w.id;
  RETURN pg_catalog.jsonb_build_object('world_slug', w.slug, 'owner_id', user_id, 'previous_owner_role', 'editor');
END
$$;


ALTER FUNCTION api.transfer_ownership(world_slug text, user_id uuid) OWNER TO postgres;

--
-- Name: FUNCTION transfer_ownership(world_slug text, user_id uuid); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.transfer_ownership(world_slug text, user_id uuid) IS 'Give your world to one of its members; you stay as an editor.

Returns {world_slug, owner_id, previous_owner_role}. 403 for anyone but the owner, 404 for a world you may not
see or a user who is not a member, 409 for yourself or an archived world. Concurrent transfers take turns:
exactly one owner remains.';


--
-- Name: unban(text, uuid); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.unban(world_slug text, user_id uuid) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  me app.users := app.world_caller();
  w app.worlds := app.world_managed(world_slug, me.id, ARRAY['owner', 'editor'], 'only the owner or an editor may unban');
BEGIN
  -- An editor lifts only what an editor could have done: not a ban the owner made (which may be of a
  -- former editor), so that the owner's decisions stand.
  IF w.owner_id IS DISTINCT FROM me.id AND EXISTS (
       SELECT FROM app.world_bans b WHERE b.world_id = w.id AND b.user_id = unban.user_id AND b.banned_by = w.owner_id) THEN
    PERFORM app.raise_api_error(403, 'PT403', 'only the owner may lift a ban the owner made',
                                'Ask the owner (GET /world_members shows who it is).',
                                pg_catalog.jsonb_build_object('world', w.slug, 'user_id', user_id));
  END IF;
  DELETE FROM app.world_bans b WHERE b.world_id = w.id AND b.user_id = unban.user_id;
  RETURN pg_catalog.jsonb_build_object('world_slug', w.slug, 'user_id', user_id, 'banned', false);
END
$$;


ALTER FUNCTION api.unban(world_slug text, user_id uuid) OWNER TO postgres;

--
-- Name: FUNCTION unban(world_slug text, user_id uuid); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.unban(world_slug text, user_id uuid) IS 'Lift a ban from your world (the owner or an editor). The player does not become a member again.

Returns {world_slug, user_id, banned: false}, also when there was no ban. 403 without the role, 404 for a
world you may not see, 409 for an archived world.';


--
-- Name: unblock_user(uuid); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.unblock_user(user_id uuid) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  me uuid := auth.user_id();
BEGIN
  PERFORM app.block_target(me, unblock_user.user_id);
  DELETE FROM app.user_blocks b WHERE b.blocker = me AND b.blocked = unblock_user.user_id;
  RETURN pg_catalog.jsonb_build_object('user_id', unblock_user.user_id, 'blocked', false);
END
$$;


ALTER FUNCTION api.unblock_user(user_id uuid) OWNER TO postgres;

--
-- Name: FUNCTION unblock_user(user_id uuid); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.unblock_user(user_id uuid) IS 'Unblock a player: they may chat with you again.

Returns {user_id, blocked: false}, also for a player you had not blocked. 400 for yourself, 404 for an
unknown user.';


--
-- Name: validate_map(jsonb, text, text); Type: FUNCTION; Schema: api; Owner: postgres
--

CREATE FUNCTION api.validate_map(map jsonb, world_slug text DEFAULT NULL::text, room_slug text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  w app.worlds;
  room_id uuid;
  checked record;
BEGIN
  IF world_slug IS NOT NULL THEN
    w := app.agent_world(world_slug);  -- 404 for a world the caller may not see
    SELECT r.id INTO room_id FROM app.rooms r WHERE r.world_id = w.id AND r.slug = validate_map.room_slug;
  END IF;
  checked := app.map_check(map, w.id, room_id);
  RETURN pg_catalog.jsonb_build_object('ok', NOT checked.errors @> '[{"severity": "error"}]',
                                       'errors', checked.errors, 'summary', checked.summary);
END
$$;


ALTER FUNCTION api.validate_map(map jsonb, world_slug text, room_slug text) OWNER TO postgres;

--
-- Name: FUNCTION validate_map(map jsonb, world_slug text, room_slug text); Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON FUNCTION api.validate_map(map jsonb, world_slug text, room_slug text) IS 'A dry run of publish_map: {ok, errors: [{severity, path, message}], summary}. Every problem at once, each with the JSON pointer of what is wrong. Without world_slug, agents are looked up among the installation''s and other rooms are not consulted; with world_slug (and room_slug), exactly what publish_map would check. 404 for a world you may not see.';


--
-- Name: admin_readable_world_ids(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.admin_readable_world_ids() RETURNS uuid[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL SAFE
    SET search_path TO ''
    AS $$
DECLARE
  ids uuid[];
BEGIN
  SELECT coalesce(pg_catalog.array_agg(w.id), '{}') INTO ids
    FROM app.worlds w WHERE w.owner_id IS NULL OR w.visibility = 'public' AND w.archived_at IS NULL;
  RETURN ids;
END
$$;


ALTER FUNCTION app.admin_readable_world_ids() OWNER TO postgres;

--
-- Name: FUNCTION admin_readable_world_ids(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.admin_readable_world_ids() IS 'The worlds content_admin reads: the installation''s own, archived ones included, and the public ones.';


--
-- Name: agent_card(app.agents, app.agent_prompts); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.agent_card(a app.agents, p app.agent_prompts) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $_$
DECLARE
  source app.agent_prompts;
  card jsonb;
  was jsonb;
BEGIN
  SELECT * INTO source FROM app.agent_prompts x WHERE x.agent_id = a.id AND x.card IS NOT NULL ORDER BY x.version DESC LIMIT 1;
  IF NOT FOUND THEN
    RETURN pg_catalog.jsonb_build_object('spec', 'chara_card_v2', 'spec_version', '2.0', 'data', pg_catalog.jsonb_build_object(
      'name', a.name, 'description', '', 'personality', '', 'scenario', '', 'first_mes', a.greeting, 'mes_example', '',
      'creator_notes', a.role, 'system_prompt', p.system_prompt, 'post_history_instructions', '',
      'alternate_greetings', '[]'::jsonb, 'tags', pg_catalog.to_jsonb(a.routing_keywords), 'creator', '',
      'character_version', p.version::text,
      'extensions', pg_catalog.jsonb_build_object('arkagentic', pg_catalog.jsonb_build_object(
        'slug', a.slug, 'role', a.role, 'emoji', a.emoji, 'sprite_key', a.sprite_key))));
  END IF;
  card := source.card;
  was := app.card_agent_fields(card -> 'data');
  IF a.name IS DISTINCT FROM was ->> 'name' THEN
    card := pg_catalog.jsonb_set(card, '{data,name}', pg_catalog.to_jsonb(a.name));
  END IF;
  IF a.greeting IS DISTINCT FROM was ->> 'greeting' THEN
    card := pg_catalog.jsonb_set(card, '{data,first_mes}', pg_catalog.to_jsonb(a.greeting));
  END IF;
  IF pg_catalog.to_jsonb(a.routing_keywords) IS DISTINCT FROM was -> 'routing_keywords' THEN
    -- The tags that never were keywords stay; the keywords follow.
    card := pg_catalog.jsonb_set(card, '{data,tags}', pg_catalog.to_jsonb(ARRAY(
      SELECT e.tag FROM pg_catalog.jsonb_array_elements_text(coalesce(card -> 'data' -> 'tags', '[]')) WITH ORDINALITY AS e(tag, o)
       WHERE pg_catalog.lower(pg_catalog.btrim(e.tag)) !~ '^[a-z0-9-]{1,32}$' ORDER BY e.o) || a.routing_keywords));
  END IF;
  IF p.version IS DISTINCT FROM source.version AND p.system_prompt IS DISTINCT FROM source.system_prompt THEN
    card := pg_catalog.jsonb_set(card, '{data,system_prompt}', pg_catalog.to_jsonb(p.system_prompt));
  END IF;
  RETURN card;
END
$_$;


ALTER FUNCTION app.agent_card(a app.agents, p app.agent_prompts) OWNER TO postgres;

--
-- Name: FUNCTION agent_card(a app.agents, p app.agent_prompts); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.agent_card(a app.agents, p app.agent_prompts) IS 'The Character Card V2 of an agent: its imported card as imported, with later changes to name, greeting, keywords and prompt written in; a new card otherwise.';


--
-- Name: agent_chat_open(uuid, uuid); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.agent_chat_open(agent_id uuid, uid uuid) RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
DECLARE
  a app.agents;
  w app.worlds;
BEGIN
  SELECT * INTO a FROM app.agents x WHERE x.id = agent_chat_open.agent_id;
  IF a.moderation_status = 'suspended' THEN
    PERFORM app.raise_api_error(403, 'PT403', 'this agent is suspended',
                                'Its chats stay readable; it takes no new messages until content_admin restores it.',
                                pg_catalog.jsonb_build_object('agent_slug', a.slug));
  END IF;
  IF uid IS NOT NULL AND a.world_id IS NOT NULL THEN
    SELECT * INTO w FROM app.worlds x WHERE x.id = a.world_id;
    IF NOT app.world_may_enter(w, uid) THEN
      PERFORM app.raise_api_error(403, 'PT403', 'you may no longer enter this agent''s world',
                                  'Its chats stay readable; ask the world''s owner for an invitation.',
                                  pg_catalog.jsonb_build_object('agent_slug', a.slug));
    END IF;
  END IF;
END
$$;


ALTER FUNCTION app.agent_chat_open(agent_id uuid, uid uuid) OWNER TO postgres;

--
-- Name: FUNCTION agent_chat_open(agent_id uuid, uid uuid); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.agent_chat_open(agent_id uuid, uid uuid) IS 'Raises 403 when the agent is suspended, or its world is closed to uid: no new message in its sessions.';


--
-- Name: worlds; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.worlds (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    slug app.slug NOT NULL,
    name text NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    owner_id uuid,
    visibility text DEFAULT 'public'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    archived_at timestamp with time zone,
    CONSTRAINT worlds_description_shape CHECK (((char_length(description) <= 500) AND (description !~ '[\x01-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]'::text))),
    CONSTRAINT worlds_name_shape CHECK ((((char_length(name) >= 1) AND (char_length(name) <= 64)) AND (name !~ '[[:cntrl:]\u202a-\u202e\u2066-\u2069]'::text) AND (btrim(name) <> ''::text))),
    CONSTRAINT worlds_visibility_known CHECK ((visibility = ANY (ARRAY['public'::text, 'unlisted'::text, 'private'::text])))
);

ALTER TABLE ONLY app.worlds FORCE ROW LEVEL SECURITY;


ALTER TABLE app.worlds OWNER TO postgres;

--
-- Name: TABLE worlds; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.worlds IS 'Spaces with their own rooms: public (listed, open), unlisted (open to whoever has the slug) or private (members only). Archived ones are hidden from all but their owner.';


--
-- Name: COLUMN worlds.owner_id; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app.worlds.owner_id IS 'The owning player; NULL for the installation''s own worlds, which content_admin edits.';


--
-- Name: agent_create(app.worlds, text, text, text, text, text, text, text[], text, jsonb); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.agent_create(w app.worlds, slug text, name text, role text, emoji text, sprite_key text, greeting text, routing_keywords text[], system_prompt text, card jsonb DEFAULT NULL::jsonb) RETURNS app.agents
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
DECLARE
  clean_name text := app.check_agent_name(name);
  limit_ integer;
  a app.agents;
BEGIN
  PERFORM app.check_agent_fields(slug, role, emoji, sprite_key, greeting, routing_keywords);
  PERFORM app.check_prompt(system_prompt, NULL);
  IF NOT app.agent_manageable(w.id) THEN
    PERFORM app.raise_api_error(403, 'PT403', 'only the world''s owner and editors manage its agents',
                                'Ask the world''s owner to make you an editor.',
                                pg_catalog.jsonb_build_object('world', w.slug));
  END IF;
  -- Concurrent creators of one world count one after the other.
  PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('app.agents world ' || w.id::text, 0));
  SELECT s.max_agents_per_world INTO limit_ FROM app.world_settings s;
  IF (SELECT pg_catalog.count(*) FROM app.agents x WHERE x.world_id = w.id) >= limit_ THEN
    PERFORM app.raise_api_error(409, 'PT409', 'this world has as many agents as it may',
                                'Deactivate or reuse an agent instead.',
                                pg_catalog.jsonb_build_object('max_agents_per_world', limit_));
  END IF;
  BEGIN
    INSERT INTO app.agents (world_id, slug, name, role, emoji, sprite_key, greeting, routing_keywords)
    VALUES (w.id, slug, clean_name, role, emoji, sprite_key, greeting, routing_keywords)
    RETURNING * INTO a;
  EXCEPTION WHEN unique_violation THEN
    PERFORM app.raise_api_error(409, 'PT409', 'this agent slug is taken in this world', 'Choose another slug.',
                                pg_catalog.jsonb_build_object('agent_slug', slug, 'world', w.slug));
  END;
  PERFORM app.agent_prompt_publish(a, system_prompt, NULL, card);
  RETURN a;
END
$$;


ALTER FUNCTION app.agent_create(w app.worlds, slug text, name text, role text, emoji text, sprite_key text, greeting text, routing_keywords text[], system_prompt text, card jsonb) OWNER TO postgres;

--
-- Name: FUNCTION agent_create(w app.worlds, slug text, name text, role text, emoji text, sprite_key text, greeting text, routing_keywords text[], system_prompt text, card jsonb); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.agent_create(w app.worlds, slug text, name text, role text, emoji text, sprite_key text, greeting text, routing_keywords text[], system_prompt text, card jsonb) IS 'Creates an agent of a world the caller manages, with prompt version 1; 403, 409 for a taken slug or a full world.';


--
-- Name: agent_id_in_world(uuid, text); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.agent_id_in_world(p_world_id uuid, p_slug text) RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path TO ''
    AS $$
  SELECT a.id FROM app.agents a
   WHERE a.slug = p_slug AND (a.world_id = p_world_id OR a.world_id IS NULL)
   ORDER BY a.world_id IS NULL
   LIMIT 1
$$;


ALTER FUNCTION app.agent_id_in_world(p_world_id uuid, p_slug text) OWNER TO postgres;

--
-- Name: FUNCTION agent_id_in_world(p_world_id uuid, p_slug text); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.agent_id_in_world(p_world_id uuid, p_slug text) IS 'The agent with this slug in the world, else the installation''s agent with it, else NULL (as the caller may read them).';


--
-- Name: agent_lookup(text, text); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.agent_lookup(world_slug text, agent_slug text) RETURNS app.agents
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
DECLARE
  w app.worlds := app.agent_world(world_slug);
  a app.agents;
BEGIN
  SELECT * INTO a FROM app.agents x
   WHERE x.slug = agent_lookup.agent_slug AND x.world_id IS NOT DISTINCT FROM w.id
   FOR UPDATE;
  IF FOUND AND app.agent_manageable(a.world_id) THEN
    RETURN a;
  ELSIF FOUND AND (app.agent_visible(a, auth.user_id())
                   OR app.request_role() = 'content_admin' AND a.world_id IS NOT NULL) THEN
    PERFORM app.raise_api_error(403, 'PT403', 'only the world''s owner and editors manage its agents',
                                'content_admin manages the installation''s agents; a world''s owner and editors manage the world''s.',
                                pg_catalog.jsonb_build_object('agent_slug', a.slug, 'world', world_slug));
  END IF;
  PERFORM app.raise_api_error(404, 'PT404', 'unknown agent', 'GET /agents?select=slug,world_id lists the agents you may see.',
                              pg_catalog.jsonb_build_object('agent_slug', pg_catalog.left(agent_slug, 64),
                                                            'world', pg_catalog.left(world_slug, 64)));
  RETURN NULL;
END
$$;


ALTER FUNCTION app.agent_lookup(world_slug text, agent_slug text) OWNER TO postgres;

--
-- Name: FUNCTION agent_lookup(world_slug text, agent_slug text); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.agent_lookup(world_slug text, agent_slug text) IS 'The agent {world_slug, agent_slug} the caller manages, locked FOR UPDATE; 403 for one they only see, 404 otherwise.';


--
-- Name: agent_manageable(uuid); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.agent_manageable(world_id uuid) RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
BEGIN
  IF world_id IS NULL THEN
    RETURN app.request_role() = 'content_admin';
  END IF;
  RETURN app.request_role() = 'player' AND world_id = ANY (app.editable_world_ids());
END
$$;


ALTER FUNCTION app.agent_manageable(world_id uuid) OWNER TO postgres;

--
-- Name: FUNCTION agent_manageable(world_id uuid); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.agent_manageable(world_id uuid) IS 'True when the caller manages agents of this world: its owner and editors (app.editable_world_ids), content_admin for the installation (NULL).';


--
-- Name: agent_prompt_activate(app.agents, integer); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.agent_prompt_activate(a app.agents, v integer) RETURNS app.agent_prompts
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
DECLARE
  p app.agent_prompts;
BEGIN
  UPDATE app.agent_prompts x SET is_active = false WHERE x.agent_id = a.id AND x.is_active AND x.version <> v;
  UPDATE app.agent_prompts x SET is_active = true WHERE x.agent_id = a.id AND x.version = v RETURNING * INTO p;
  INSERT INTO app.agent_prompt_activations (agent_id, version, activated_by, activated_by_role)
  VALUES (a.id, v, auth.user_id(), app.author_role());
  RETURN p;
END
$$;


ALTER FUNCTION app.agent_prompt_activate(a app.agents, v integer) OWNER TO postgres;

--
-- Name: FUNCTION agent_prompt_activate(a app.agents, v integer); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.agent_prompt_activate(a app.agents, v integer) IS 'Makes version v the only active prompt of the (locked) agent and records the activation.';


--
-- Name: agent_prompt_publish(app.agents, text, text, jsonb); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.agent_prompt_publish(a app.agents, system_prompt text, note text, card jsonb DEFAULT NULL::jsonb) RETURNS app.agent_prompts
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
DECLARE
  v integer;
BEGIN
  PERFORM app.check_prompt(system_prompt, note);
  SELECT coalesce(pg_catalog.max(p.version), 0) + 1 INTO v FROM app.agent_prompts p WHERE p.agent_id = a.id;
  INSERT INTO app.agent_prompts (agent_id, version, system_prompt, is_active, note, created_by, created_by_role, card)
  VALUES (a.id, v, system_prompt, false, note, auth.user_id(), app.author_role(), card);
  RETURN app.agent_prompt_activate(a, v);
END
$$;


ALTER FUNCTION app.agent_prompt_publish(a app.agents, system_prompt text, note text, card jsonb) OWNER TO postgres;

--
-- Name: FUNCTION agent_prompt_publish(a app.agents, system_prompt text, note text, card jsonb); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.agent_prompt_publish(a app.agents, system_prompt text, note text, card jsonb) IS 'Appends the next prompt version of the (locked) agent, with its note and card, and makes it active.';


--
-- Name: agent_prompts_append_only(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.agent_prompts_append_only() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
BEGIN
  IF TG_TABLE_NAME = 'agent_prompt_activations' THEN
    RAISE EXCEPTION 'a published prompt version cannot be changed'
      USING ERRCODE = 'check_violation', HINT = 'An activation is history: activate another version instead.';
  ELSIF (NEW.world_id, NEW.note, NEW.created_by, NEW.created_by_role, NEW.card)
        IS DISTINCT FROM (OLD.world_id, OLD.note, OLD.created_by, OLD.created_by_role, OLD.card) THEN
    RAISE EXCEPTION 'a published prompt version cannot be changed'
      USING ERRCODE = 'check_violation', HINT = 'Publish a new version instead.';
  END IF;
  RETURN NEW;
END
$$;


ALTER FUNCTION app.agent_prompts_append_only() OWNER TO postgres;

--
-- Name: FUNCTION agent_prompts_append_only(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.agent_prompts_append_only() IS 'Keeps a version''s note, author, world and card, and every activation, as written.';


--
-- Name: agent_prompts_guard(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.agent_prompts_guard() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.version <= (SELECT coalesce(max(version), 0) FROM app.agent_prompts WHERE agent_id = NEW.agent_id) THEN
      RAISE EXCEPTION 'prompt version % is not newer than the latest version of this agent', NEW.version
        USING ERRCODE = 'check_violation', HINT = 'Use api.publish_prompt, which picks the next version.';
    END IF;
  ELSIF (NEW.agent_id, NEW.version, NEW.system_prompt, NEW.created_at)
        IS DISTINCT FROM (OLD.agent_id, OLD.version, OLD.system_prompt, OLD.created_at) THEN
    RAISE EXCEPTION 'a published prompt version cannot be changed'
      USING ERRCODE = 'check_violation', HINT = 'Publish a new version instead.';
  END IF;
  RETURN NEW;
END
$$;


ALTER FUNCTION app.agent_prompts_guard() OWNER TO postgres;

--
-- Name: FUNCTION agent_prompts_guard(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.agent_prompts_guard() IS 'Keeps prompt versions increasing per agent and published texts immutable.';


--
-- Name: agent_rows_world(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.agent_rows_world() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
BEGIN
  NEW.world_id := (SELECT a.world_id FROM app.agents a WHERE a.id = NEW.agent_id);
  RETURN NEW;
END
$$;


ALTER FUNCTION app.agent_rows_world() OWNER TO postgres;

--
-- Name: FUNCTION agent_rows_world(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.agent_rows_world() IS 'Sets world_id of a prompt version or activation to its agent''s.';


--
-- Name: agent_to_moderate(text, text); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.agent_to_moderate(world_slug text, agent_slug text) RETURNS app.agents
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
DECLARE
  a app.agents;
BEGIN
  SELECT x.* INTO a FROM app.agents x LEFT JOIN app.worlds w ON w.id = x.world_id
   WHERE x.slug = agent_to_moderate.agent_slug
     AND (agent_to_moderate.world_slug IS NULL AND x.world_id IS NULL OR w.slug = agent_to_moderate.world_slug)
   FOR UPDATE OF x;
  IF NOT FOUND THEN
    PERFORM app.raise_api_error(404, 'PT404', 'unknown agent', 'Name the agent by agent_slug and, for a world''s agent, world_slug.',
                                pg_catalog.jsonb_build_object('agent_slug', pg_catalog.left(agent_slug, 64),
                                                              'world', pg_catalog.left(world_slug, 64)));
  END IF;
  RETURN a;
END
$$;


ALTER FUNCTION app.agent_to_moderate(world_slug text, agent_slug text) OWNER TO postgres;

--
-- Name: FUNCTION agent_to_moderate(world_slug text, agent_slug text); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.agent_to_moderate(world_slug text, agent_slug text) IS 'The agent of any world (or the installation), locked, or 404.';


--
-- Name: agent_visible(app.agents, uuid); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.agent_visible(a app.agents, uid uuid) RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  SELECT a.is_active AND a.moderation_status = 'active'
     AND (a.world_id IS NULL OR a.world_id = ANY (app.readable_world_ids(uid)))
$$;


ALTER FUNCTION app.agent_visible(a app.agents, uid uuid) OWNER TO postgres;

--
-- Name: FUNCTION agent_visible(a app.agents, uid uuid); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.agent_visible(a app.agents, uid uuid) IS 'Active, not suspended, and of the installation or a world uid may read: what GET /agents shows players.';


--
-- Name: agent_world(text); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.agent_world(world_slug text) RETURNS app.worlds
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
DECLARE
  w app.worlds;
BEGIN
  IF world_slug IS NULL THEN
    RETURN NULL;
  END IF;
  IF app.request_role() = 'player' THEN
    w := app.world_by_slug(world_slug, auth.user_id());
  ELSIF app.request_role() = 'content_admin' THEN
    SELECT * INTO w FROM app.worlds x WHERE x.slug = world_slug AND x.id = ANY (app.admin_readable_world_ids());
  ELSIF app.request_role() = 'agent_service' THEN
    SELECT * INTO w FROM app.worlds x WHERE x.slug = world_slug;
  END IF;
  IF w.id IS NULL THEN
    PERFORM app.raise_api_error(404, 'PT404', 'unknown world', 'GET /worlds lists the worlds you may see.',
                                pg_catalog.jsonb_build_object('world', pg_catalog.left(world_slug, 64)));
  END IF;
  RETURN w;
END
$$;


ALTER FUNCTION app.agent_world(world_slug text) OWNER TO postgres;

--
-- Name: FUNCTION agent_world(world_slug text); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.agent_world(world_slug text) IS 'The world of {world_slug} as the caller may see it (NULL: the installation), or 404.';


--
-- Name: agents_keep_history(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.agents_keep_history() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
BEGIN
  IF EXISTS (SELECT FROM app.chat_sessions s WHERE s.agent_id = OLD.id)
     OR EXISTS (SELECT FROM app.agent_prompts p WHERE p.agent_id = OLD.id) THEN
    -- PostgREST 12's own-response form (written inline until app.raise_api_error lands): the status line
    -- is the standard one, and the client's slug travels only inside details, as JSON.
    RAISE SQLSTATE 'PGRST' USING
      MESSAGE = pg_catalog.json_build_object(
        'code', 'PT409',
        'message', 'this agent has players'' chats or prompt history and cannot be deleted',
        'details', pg_catalog.json_build_object('agent', OLD.slug)::text,
        'hint', 'Deactivate it instead: PATCH /agents?slug=eq.<slug> with {"is_active": false} hides it from players.')::text,
      DETAIL = '{"status":409,"status_text":"Conflict","headers":{}}';
  END IF;
  RETURN OLD;
END
$$;


ALTER FUNCTION app.agents_keep_history() OWNER TO postgres;

--
-- Name: FUNCTION agents_keep_history(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.agents_keep_history() IS 'Refuses (409) to delete an agent that has chats or prompt versions.';


--
-- Name: agents_keep_world(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.agents_keep_world() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
BEGIN
  IF NEW.world_id IS DISTINCT FROM OLD.world_id THEN
    RAISE EXCEPTION 'an agent cannot move to another world'
      USING ERRCODE = 'check_violation', HINT = 'Create the agent in the other world instead (export its card and import it there).';
  END IF;
  RETURN NEW;
END
$$;


ALTER FUNCTION app.agents_keep_world() OWNER TO postgres;

--
-- Name: FUNCTION agents_keep_world(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.agents_keep_world() IS 'Keeps an agent in its world.';


--
-- Name: assert_inside_room(uuid, integer, integer, text); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.assert_inside_room(room uuid, x integer, y integer, what text) RETURNS void
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
  w integer;
  h integer;
BEGIN
  SELECT width_tiles, height_tiles INTO w, h FROM app.rooms WHERE id = room;
  IF NOT FOUND THEN
    RETURN;  -- the foreign key reports a missing room
  END IF;
  IF x NOT BETWEEN 0 AND w - 1 OR y NOT BETWEEN 0 AND h - 1 THEN
    RAISE EXCEPTION '% (%, %) lies outside its room', what, x, y
      USING ERRCODE = 'check_violation',
            DETAIL = format('The room is %s x %s tiles.', w, h),
            HINT = format('Use 0 <= x < %s and 0 <= y < %s.', w, h);
  END IF;
END
$$;


ALTER FUNCTION app.assert_inside_room(room uuid, x integer, y integer, what text) OWNER TO postgres;

--
-- Name: FUNCTION assert_inside_room(room uuid, x integer, y integer, what text); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.assert_inside_room(room uuid, x integer, y integer, what text) IS 'Raises check_violation when a tile lies outside the room.';


--
-- Name: author_role(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.author_role() RETURNS text
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$ SELECT CASE app.request_role() WHEN 'player' THEN 'player' WHEN 'content_admin' THEN 'content_admin' ELSE 'owner' END $$;


ALTER FUNCTION app.author_role() OWNER TO postgres;

--
-- Name: FUNCTION author_role(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.author_role() IS 'player, content_admin, or owner (SQL without a request).';


--
-- Name: block_target(uuid, uuid); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.block_target(me uuid, target uuid) RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
BEGIN
  PERFORM FROM app.users u WHERE u.id = me;
  IF NOT FOUND THEN
    PERFORM app.raise_api_error(401, 'PT401', 'this account no longer exists', 'Sign in again.');
  END IF;
  IF target = me THEN
    RAISE EXCEPTION 'you cannot block yourself'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send the id of another player from GET /users.';
  END IF;
  PERFORM FROM app.users u WHERE u.id = target;
  IF NOT FOUND THEN
    PERFORM app.raise_api_error(404, 'PT404', 'unknown user', 'GET /users lists the players.');
  END IF;
END
$$;


ALTER FUNCTION app.block_target(me uuid, target uuid) OWNER TO postgres;

--
-- Name: FUNCTION block_target(me uuid, target uuid); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.block_target(me uuid, target uuid) IS 'Checks a block_user or unblock_user call: 401 for a deleted caller, 400 for the caller themselves, 404 for an unknown user.';


--
-- Name: buildings_inside_room(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.buildings_inside_room() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  PERFORM app.assert_inside_room(NEW.room_id, NEW.x, NEW.y, 'building corner');
  PERFORM app.assert_inside_room(NEW.room_id, NEW.x + NEW.width - 1, NEW.y + NEW.height - 1, 'building corner');
  PERFORM app.assert_inside_room(NEW.room_id, NEW.door_x, NEW.door_y, 'door');
  RETURN NEW;
END
$$;


ALTER FUNCTION app.buildings_inside_room() OWNER TO postgres;

--
-- Name: card_agent_fields(jsonb); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.card_agent_fields(data jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    SET search_path TO ''
    AS $_$
  WITH t AS (
    SELECT normalize(pg_catalog.btrim(data ->> 'name', E' \t\n\r'), NFC) AS name,
           pg_catalog.btrim(pg_catalog.regexp_replace(pg_catalog.regexp_replace(coalesce(data ->> 'first_mes', ''), E'\r\n?', E'\n', 'g'),
                                                      '[\x01-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]', '', 'g'), E' \n') AS first_mes,
           ARRAY(SELECT k FROM (SELECT DISTINCT ON (k) k, o
                                   FROM pg_catalog.jsonb_array_elements_text(coalesce(data -> 'tags', '[]')) WITH ORDINALITY AS e(tag, o),
                                        LATERAL (SELECT pg_catalog.lower(pg_catalog.btrim(e.tag)) AS k) l
                                  WHERE l.k ~ '^[a-z0-9-]{1,32}$'
                                  ORDER BY k, o) d
                  ORDER BY o LIMIT 32) AS keywords,
           pg_catalog.array_to_string(ARRAY[
             nullif(pg_catalog.btrim(coalesce(data ->> 'system_prompt', ''), E' \t\n\r'), ''),
             nullif(pg_catalog.btrim(coalesce(data ->> 'description', ''), E' \t\n\r'), ''),
             'Personality: ' || nullif(pg_catalog.btrim(coalesce(data ->> 'personality', ''), E' \t\n\r'), ''),
             'Scenario: ' || nullif(pg_catalog.btrim(coalesce(data ->> 'scenario', ''), E' \t\n\r'), '')], E'\n\n') AS prompt)
  SELECT pg_catalog.jsonb_build_object(
           'name', t.name,
           'greeting', CASE WHEN t.first_mes = '' THEN pg_catalog.left('Hello, I''m ' || t.name || '.', 2000)
                            ELSE pg_catalog.rtrim(pg_catalog.left(t.first_mes, 2000)) END,
           'routing_keywords', pg_catalog.to_jsonb(t.keywords),
           'system_prompt', CASE WHEN t.prompt = '' THEN 'You are ' || t.name || '.' ELSE t.prompt END)
    FROM t
$_$;


ALTER FUNCTION app.card_agent_fields(data jsonb) OWNER TO postgres;

--
-- Name: FUNCTION card_agent_fields(data jsonb); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.card_agent_fields(data jsonb) IS 'The name, greeting, routing keywords and system prompt an agent takes from a card''s data.';


--
-- Name: card_data(jsonb); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.card_data(card jsonb) RETURNS jsonb
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO ''
    AS $_$
DECLARE
  data jsonb;
  field text;
BEGIN
  IF card IS NULL OR pg_catalog.jsonb_typeof(card) <> 'object' THEN
    RAISE EXCEPTION 'a character card is a JSON object'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send {"card": {"spec": "chara_card_v2", "spec_version": "2.0", "data": {...}}}.';
  END IF;
  IF pg_catalog.octet_length(card::text) > 262144 THEN
    RAISE EXCEPTION 'the character card is larger than 256 KB'
      USING ERRCODE = 'invalid_parameter_value', DETAIL = pg_catalog.jsonb_build_object('limit_bytes', 262144)::text,
            HINT = 'Shorten the card (its lorebook or example messages).';
  END IF;
  IF card -> 'spec' IS DISTINCT FROM '"chara_card_v2"'::jsonb THEN
    RAISE EXCEPTION 'not a Character Card V2: spec must be chara_card_v2'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Only Character Card V2 cards are accepted: {"spec": "chara_card_v2", "spec_version": "2.0", "data": {...}}.';
  END IF;
  IF card ? 'spec_version' AND (pg_catalog.jsonb_typeof(card -> 'spec_version') <> 'string' OR card ->> 'spec_version' !~ '^2\.[0-9]+$') THEN
    RAISE EXCEPTION 'unsupported spec_version: a V2 card says 2.0'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send "spec_version": "2.0".';
  END IF;
  data := card -> 'data';
  IF data IS NULL OR pg_catalog.jsonb_typeof(data) <> 'object' THEN
    RAISE EXCEPTION 'the character card has no data object'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'A V2 card keeps its fields under "data".';
  END IF;
  IF pg_catalog.jsonb_typeof(data -> 'name') IS DISTINCT FROM 'string' OR pg_catalog.btrim(data ->> 'name') = '' THEN
    RAISE EXCEPTION 'the character card has no name'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Set data.name to the character''s name.';
  END IF;
  FOREACH field IN ARRAY ARRAY['description', 'personality', 'scenario', 'first_mes', 'mes_example', 'creator_notes',
                               'system_prompt', 'post_history_instructions', 'creator', 'character_version'] LOOP
    IF data ? field AND pg_catalog.jsonb_typeof(data -> field) NOT IN ('string', 'null') THEN
      RAISE EXCEPTION 'a character card field that holds text is not a string'
        USING ERRCODE = 'invalid_parameter_value', DETAIL = pg_catalog.jsonb_build_object('field', field)::text,
              HINT = 'description, personality, scenario, first_mes, mes_example, system_prompt and the other text fields are strings.';
    END IF;
  END LOOP;
  FOREACH field IN ARRAY ARRAY['tags', 'alternate_greetings'] LOOP
    IF data ? field AND (pg_catalog.jsonb_typeof(data -> field) <> 'array'
                         OR EXISTS (SELECT FROM pg_catalog.jsonb_array_elements(data -> field) e
                                     WHERE pg_catalog.jsonb_typeof(e) <> 'string')) THEN
      RAISE EXCEPTION 'a character card list is not a list of strings'
        USING ERRCODE = 'invalid_parameter_value', DETAIL = pg_catalog.jsonb_build_object('field', field)::text,
              HINT = 'tags and alternate_greetings are arrays of strings.';
    END IF;
  END LOOP;
  IF data ? 'extensions' AND pg_catalog.jsonb_typeof(data -> 'extensions') <> 'object' THEN
    RAISE EXCEPTION 'the character card''s extensions are not an object'
      USING ERRCODE = 'invalid_parameter_value', DETAIL = pg_catalog.jsonb_build_object('field', 'extensions')::text,
            HINT = 'extensions is an object, e.g. {}.';
  END IF;
  RETURN data;
END
$_$;


ALTER FUNCTION app.card_data(card jsonb) OWNER TO postgres;

--
-- Name: FUNCTION card_data(card jsonb); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.card_data(card jsonb) IS 'The data object of a Character Card V2, or 22023 for a card that is not one (over 256 KB, another spec, no name, wrong types).';


--
-- Name: chat_agent(text, text, uuid); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.chat_agent(world_slug text, agent_slug text, uid uuid) RETURNS app.agents
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
DECLARE
  w app.worlds;
  a app.agents;
BEGIN
  IF world_slug IS NOT NULL THEN
    w := app.world_by_slug(world_slug, uid);
    IF w.id IS NULL OR NOT app.world_may_enter(w, uid) THEN
      RETURN NULL;
    END IF;
  END IF;
  SELECT * INTO a FROM app.agents x WHERE x.id = app.agent_id_in_world(w.id, agent_slug);
  IF NOT FOUND OR NOT app.agent_visible(a, uid) THEN
    RETURN NULL;
  END IF;
  RETURN a;
END
$$;


ALTER FUNCTION app.chat_agent(world_slug text, agent_slug text, uid uuid) OWNER TO postgres;

--
-- Name: FUNCTION chat_agent(world_slug text, agent_slug text, uid uuid); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.chat_agent(world_slug text, agent_slug text, uid uuid) IS 'The agent uid may chat with under {world_slug?, agent_slug}, or NULL.';


--
-- Name: chat_message_json(app.chat_messages); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.chat_message_json(message app.chat_messages) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
BEGIN
  RETURN pg_catalog.jsonb_build_object(
           'id', message.id, 'session_id', message.session_id,
           'type', (SELECT s.type FROM app.chat_sessions s WHERE s.id = message.session_id),
           'sender_type', message.sender_type, 'sender_id', message.sender_id,
           'sender_name', message.sender_name, 'content', message.content, 'created_at', message.created_at);
END
$$;


ALTER FUNCTION app.chat_message_json(message app.chat_messages) OWNER TO postgres;

--
-- Name: FUNCTION chat_message_json(message app.chat_messages); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.chat_message_json(message app.chat_messages) IS 'A message as chat_message frames and the REST view show it.';


--
-- Name: chat_retry(uuid, uuid, uuid); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.chat_retry(sender_id uuid, client_msg_id uuid, session_id uuid) RETURNS app.chat_messages
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
DECLARE
  stored app.chat_messages;
BEGIN
  SELECT * INTO stored FROM app.chat_messages m
   WHERE m.sender_id = chat_retry.sender_id AND m.client_msg_id = chat_retry.client_msg_id;
  IF FOUND AND stored.session_id IS DISTINCT FROM chat_retry.session_id THEN
    PERFORM app.raise_api_error(409, 'PT409', 'this client_msg_id was already used for a message in another session',
                                'Use a new uuid for every new message, and the same one only to retry it.');
  END IF;
  RETURN stored;
END
$$;


ALTER FUNCTION app.chat_retry(sender_id uuid, client_msg_id uuid, session_id uuid) OWNER TO postgres;

--
-- Name: FUNCTION chat_retry(sender_id uuid, client_msg_id uuid, session_id uuid); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.chat_retry(sender_id uuid, client_msg_id uuid, session_id uuid) IS 'The message a sender already stored with this client_msg_id (all fields NULL if none); 409 if it belongs to another session.';


--
-- Name: chat_store(uuid, text, uuid, text, text, uuid[], uuid); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.chat_store(session_id uuid, sender_type text, sender_id uuid, sender_name text, content text, recipients uuid[] DEFAULT '{}'::uuid[], client_msg_id uuid DEFAULT NULL::uuid) RETURNS app.chat_messages
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
#variable_conflict use_column
DECLARE
  stored app.chat_messages;
BEGIN
  IF chat_store.client_msg_id IS NULL THEN
    -- The common path stays a plain INSERT: ON CONFLICT would first probe the arbiter index.
    INSERT INTO app.chat_messages (session_id, sender_type, sender_id, sender_name, content)
    VALUES (chat_store.session_id, chat_store.sender_type, chat_store.sender_id, chat_store.sender_name, chat_store.content)
    RETURNING * INTO stored;
  ELSE
    INSERT INTO app.chat_messages (session_id, sender_type, sender_id, sender_name, content, client_msg_id)
    VALUES (chat_store.session_id, chat_store.sender_type, chat_store.sender_id, chat_store.sender_name, chat_store.content,
            chat_store.client_msg_id)
    ON CONFLICT (sender_id, client_msg_id) WHERE client_msg_id IS NOT NULL DO NOTHING
    RETURNING * INTO stored;
    IF NOT FOUND THEN
      -- A concurrent attempt with the same key committed first (ON CONFLICT waited for it).
      RETURN app.chat_retry(chat_store.sender_id, chat_store.client_msg_id, chat_store.session_id);
    END IF;
  END IF;
  IF chat_store.recipients <> '{}' THEN
    INSERT INTO app.chat_message_recipients (message_id, user_id)
    SELECT stored.id, r FROM pg_catalog.unnest(chat_store.recipients) AS r;
  END IF;
  RETURN stored;
END
$$;


ALTER FUNCTION app.chat_store(session_id uuid, sender_type text, sender_id uuid, sender_name text, content text, recipients uuid[], client_msg_id uuid) OWNER TO postgres;

--
-- Name: FUNCTION chat_store(session_id uuid, sender_type text, sender_id uuid, sender_name text, content text, recipients uuid[], client_msg_id uuid); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.chat_store(session_id uuid, sender_type text, sender_id uuid, sender_name text, content text, recipients uuid[], client_msg_id uuid) IS 'Stores a message and the proximity recipients who heard it, once per client_msg_id; the chat stream delivers it.';


--
-- Name: chat_unread_add_participants(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.chat_unread_add_participants() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
BEGIN
  INSERT INTO app.chat_unread_counts (session_id, user_id)
  SELECT NEW.id, p FROM pg_catalog.unnest(ARRAY[NEW.user_id, NEW.other_user_id]) AS p WHERE p IS NOT NULL
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;


ALTER FUNCTION app.chat_unread_add_participants() OWNER TO postgres;

--
-- Name: FUNCTION chat_unread_add_participants(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.chat_unread_add_participants() IS 'Trigger: a new session''s participants start with no unread messages.';


--
-- Name: chat_unread_count_messages(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.chat_unread_count_messages() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
DECLARE
  sign integer := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
  batch record;
BEGIN
  FOR batch IN
    SELECT c.session_id, pg_catalog.array_agg(c.id) AS ids, pg_catalog.array_agg(c.sender_id) AS senders
      FROM changed c GROUP BY c.session_id ORDER BY c.session_id
  LOOP
    -- Only rows the batch changes are locked: a sender's own row stays free for the other's sends.
    UPDATE app.chat_unread_counts u
       SET unread_count = u.unread_count + sign * (
             SELECT pg_catalog.count(*) FROM unnest(batch.ids, batch.senders) AS m(id, sender_id)
              WHERE m.id > u.read_upto AND m.sender_id IS DISTINCT FROM u.user_id)
     WHERE u.session_id = batch.session_id
       AND EXISTS (SELECT FROM unnest(batch.ids, batch.senders) AS m(id, sender_id)
                    WHERE m.id > u.read_upto AND m.sender_id IS DISTINCT FROM u.user_id);
  END LOOP;
  RETURN NULL;
END
$$;


ALTER FUNCTION app.chat_unread_count_messages() OWNER TO postgres;

--
-- Name: FUNCTION chat_unread_count_messages(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.chat_unread_count_messages() IS 'Trigger: stored messages count into the other participants'' unread rows, deleted ones out.';


--
-- Name: chat_unread_follow_marker(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.chat_unread_follow_marker() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
BEGIN
  -- Lock first; the UPDATE is a new statement with a new snapshot, which sees every message counted
  -- into this row before the lock was granted.
  PERFORM FROM app.chat_unread_counts u
    WHERE u.session_id = NEW.session_id AND u.user_id = NEW.user_id AND u.read_upto <> NEW.last_read_message_id
    FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  -- Markers only move forward (mark_read), but the row follows one moved back too.
  UPDATE app.chat_unread_counts u
     SET unread_count = u.unread_count
           - (SELECT pg_catalog.count(*) FROM app.chat_messages m
               WHERE m.session_id = u.session_id AND m.id > u.read_upto AND m.id <= NEW.last_read_message_id
                 AND m.sender_id IS DISTINCT FROM u.user_id)
           + (SELECT pg_catalog.count(*) FROM app.chat_messages m
               WHERE m.session_id = u.session_id AND m.id > NEW.last_read_message_id AND m.id <= u.read_upto
                 AND m.sender_id IS DISTINCT FROM u.user_id),
         read_upto = NEW.last_read_message_id
   WHERE u.session_id = NEW.session_id AND u.user_id = NEW.user_id;
  RETURN NULL;
END
$$;


ALTER FUNCTION app.chat_unread_follow_marker() OWNER TO postgres;

--
-- Name: FUNCTION chat_unread_follow_marker(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.chat_unread_follow_marker() IS 'Trigger: a moved read marker moves its unread row, minus the messages between the two positions.';


--
-- Name: check_agent_fields(text, text, text, text, text, text[]); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.check_agent_fields(slug text, role text, emoji text, sprite_key text, greeting text, routing_keywords text[]) RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $_$
BEGIN
  IF slug IS NULL OR slug !~ '^[a-z0-9]+(-[a-z0-9]+)*$' OR pg_catalog.char_length(slug) > 64 THEN
    RAISE EXCEPTION 'malformed agent slug'
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Use lowercase letters, digits and single dashes, at most 64 characters, e.g. tide-keeper.';
  END IF;
  IF role IS NULL OR pg_catalog.char_length(role) NOT BETWEEN 1 AND 64 OR pg_catalog.btrim(role) = ''
     OR role ~ '[[:cntrl:]\u202a-\u202e\u2066-\u2069]' THEN
    RAISE EXCEPTION 'malformed agent role'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Use 1 to 64 characters, without control characters or bidi controls.';
  END IF;
  IF emoji IS NULL OR pg_catalog.char_length(emoji) NOT BETWEEN 1 AND 16 OR emoji ~ '[[:cntrl:]\u202a-\u202e\u2066-\u2069]' THEN
    RAISE EXCEPTION 'malformed agent emoji'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Use 1 to 16 characters, e.g. 🐙.';
  END IF;
  IF sprite_key IS NULL OR NOT EXISTS (SELECT FROM app.agent_sprites s WHERE s.key = sprite_key) THEN
    RAISE EXCEPTION 'unknown agent sprite'
      USING ERRCODE = 'invalid_parameter_value', DETAIL = pg_catalog.jsonb_build_object('sprite_key', pg_catalog.left(sprite_key, 64))::text,
            HINT = 'GET /agent_sprites lists the sprites an agent may wear.';
  END IF;
  IF greeting IS NULL OR pg_catalog.char_length(greeting) > 2000 OR NOT app.chat_content_ok(greeting, 'agent')
     OR greeting ~ '[\u202a-\u202e\u2066-\u2069]' THEN
    RAISE EXCEPTION 'malformed agent greeting'
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Use 1 to 2000 characters, not blank, no control characters but newline, no bidi controls.';
  END IF;
  IF routing_keywords IS NULL OR pg_catalog.cardinality(routing_keywords) > 32
     OR pg_catalog.array_position(routing_keywords, NULL) IS NOT NULL OR pg_catalog.array_position(routing_keywords, '') IS NOT NULL
     OR pg_catalog.array_to_string(routing_keywords, ',') !~ '^([a-z0-9-]{1,32}(,[a-z0-9-]{1,32})*)?$' THEN
    RAISE EXCEPTION 'malformed routing keywords'
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Send at most 32 keywords of 1 to 32 lowercase letters, digits and dashes.';
  END IF;
END
$_$;


ALTER FUNCTION app.check_agent_fields(slug text, role text, emoji text, sprite_key text, greeting text, routing_keywords text[]) OWNER TO postgres;

--
-- Name: FUNCTION check_agent_fields(slug text, role text, emoji text, sprite_key text, greeting text, routing_keywords text[]); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.check_agent_fields(slug text, role text, emoji text, sprite_key text, greeting text, routing_keywords text[]) IS 'Raises 22023 for a malformed slug, role, emoji, greeting or keyword list, or an unknown sprite.';


--
-- Name: check_agent_name(text); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.check_agent_name(name text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO ''
    AS $$
DECLARE
  trimmed text := normalize(pg_catalog.btrim(name, E' \t\n\r'), NFC);
  problem text := app.display_name_problem(trimmed);
BEGIN
  IF trimmed IS NULL OR pg_catalog.char_length(trimmed) NOT BETWEEN 1 AND 64 THEN
    RAISE EXCEPTION 'an agent name has 1 to 64 characters'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send a name of 1 to 64 characters.';
  ELSIF problem IS NOT NULL THEN
    RAISE EXCEPTION 'an agent name must not contain control, invisible, format, bidi or unassigned characters'
      USING ERRCODE = 'invalid_parameter_value', DETAIL = pg_catalog.jsonb_build_object('reason', problem)::text,
            HINT = 'Use letters, digits, punctuation, symbols and spaces.';
  END IF;
  RETURN trimmed;
END
$$;


ALTER FUNCTION app.check_agent_name(name text) OWNER TO postgres;

--
-- Name: FUNCTION check_agent_name(name text); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.check_agent_name(name text) IS 'Trims and NFC-normalises an agent name, or raises 22023 (display-name rules, 1 to 64 characters).';


--
-- Name: check_avatar_sprite(text); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.check_avatar_sprite(sprite text) RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
BEGIN
  IF sprite IS NULL OR NOT EXISTS (SELECT FROM app.avatar_sprites s WHERE s.key = sprite) THEN
    RAISE EXCEPTION 'unknown avatar_sprite'
      USING ERRCODE = 'invalid_parameter_value',
            DETAIL = pg_catalog.jsonb_build_object('avatar_sprite', sprite)::text,
            HINT = 'Choose one of: ' || (SELECT pg_catalog.string_agg(s.key, ', ' ORDER BY s.sort_order, s.key)
                                          FROM app.avatar_sprites s) || ' (GET /avatar_sprites).';
  END IF;
  RETURN sprite;
END
$$;


ALTER FUNCTION app.check_avatar_sprite(sprite text) OWNER TO postgres;

--
-- Name: FUNCTION check_avatar_sprite(sprite text); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.check_avatar_sprite(sprite text) IS 'Returns the sprite if it exists, or raises 22023 listing the valid ones.';


--
-- Name: check_chat_content(text, integer); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.check_chat_content(content text, max_length integer) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO ''
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


ALTER FUNCTION app.check_chat_content(content text, max_length integer) OWNER TO postgres;

--
-- Name: FUNCTION check_chat_content(content text, max_length integer); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.check_chat_content(content text, max_length integer) IS 'Returns chat content if it is storable, or raises 22023 saying why (empty, too long, control characters, bidi override or isolate controls).';


--
-- Name: check_display_name(text); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.check_display_name(name text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO ''
    AS $$
DECLARE
  -- normalize() is SQL syntax, which cannot be schema-qualified.
  trimmed text := normalize(pg_catalog.btrim(name, E' \t\n\r'), NFC);
  problem text := app.display_name_problem(trimmed);
BEGIN
  IF trimmed IS NULL OR trimmed = '' THEN
    RAISE EXCEPTION 'display_name must not be empty'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send a name of 1 to 32 characters.';
  ELSIF pg_catalog.char_length(trimmed) > 32 THEN
    RAISE EXCEPTION 'display_name is % characters long; the limit is 32', pg_catalog.char_length(trimmed)
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send a name of 1 to 32 characters.';
  ELSIF problem = 'control' THEN
    RAISE EXCEPTION 'display_name must not contain control characters'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Use printable characters only.';
  ELSIF problem IS NOT NULL THEN
    RAISE EXCEPTION 'display_name must not contain invisible, format, bidi or unassigned characters'
      USING ERRCODE = 'invalid_parameter_value', DETAIL = pg_catalog.jsonb_build_object('reason', problem)::text,
            HINT = 'Use letters, digits, punctuation, symbols and spaces.';
  END IF;
  RETURN trimmed;
END
$$;


ALTER FUNCTION app.check_display_name(name text) OWNER TO postgres;

--
-- Name: FUNCTION check_display_name(name text); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.check_display_name(name text) IS 'Trims and NFC-normalises a display name, or raises 22023 saying what is wrong with it (details {"reason": ...} for a deceptive character, see app.display_name_problem).';


--
-- Name: check_email(text); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.check_email(email text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO ''
    AS $_$
DECLARE
  normalized text := pg_catalog.lower(pg_catalog.btrim(email));
BEGIN
  IF normalized IS NULL OR normalized !~ '^[^@[:space:][:cntrl:]]+@[^@[:space:][:cntrl:]]+\.[^@[:space:][:cntrl:]]+$'
     OR pg_catalog.char_length(normalized) > 254 THEN
    RAISE EXCEPTION 'malformed email address'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send an address like ada@example.org, at most 254 characters.';
  END IF;
  RETURN normalized;
END
$_$;


ALTER FUNCTION app.check_email(email text) OWNER TO postgres;

--
-- Name: FUNCTION check_email(email text); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.check_email(email text) IS 'Lowercases and trims an email, or raises 22023 when it is malformed.';


--
-- Name: check_password(text); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.check_password(password text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO ''
    AS $$
BEGIN
  IF password IS NULL OR pg_catalog.char_length(password) < 8 THEN
    RAISE EXCEPTION 'password is too short'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Use at least 8 characters.';
  ELSIF pg_catalog.octet_length(password) > 72 THEN
    -- bcrypt ignores everything past 72 bytes; refuse rather than silently truncate.
    RAISE EXCEPTION 'password is too long'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Use at most 72 bytes.';
  END IF;
  RETURN password;
END
$$;


ALTER FUNCTION app.check_password(password text) OWNER TO postgres;

--
-- Name: FUNCTION check_password(password text); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.check_password(password text) IS 'Returns the password if bcrypt can hash it whole, or raises 22023.';


--
-- Name: check_prompt(text, text); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.check_prompt(system_prompt text, note text) RETURNS void
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO ''
    AS $$
BEGIN
  IF system_prompt IS NULL OR pg_catalog.char_length(system_prompt) NOT BETWEEN 1 AND 32000
     OR pg_catalog.btrim(system_prompt, E' \t\n\r') = '' THEN
    RAISE EXCEPTION 'a system prompt has 1 to 32000 characters'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send a system_prompt of 1 to 32000 characters, not blank.';
  END IF;
  IF note IS NOT NULL AND (pg_catalog.char_length(note) NOT BETWEEN 1 AND 500
                           OR note ~ '[\x01-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]') THEN
    RAISE EXCEPTION 'malformed prompt note'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Use 1 to 500 characters; newline is the only control character allowed.';
  END IF;
END
$$;


ALTER FUNCTION app.check_prompt(system_prompt text, note text) OWNER TO postgres;

--
-- Name: FUNCTION check_prompt(system_prompt text, note text); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.check_prompt(system_prompt text, note text) IS 'Raises 22023 for a system prompt outside 1 to 32000 characters or a malformed note.';


--
-- Name: client_address_bucket(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.client_address_bucket() RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $_$
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
$_$;


ALTER FUNCTION app.client_address_bucket() OWNER TO postgres;

--
-- Name: FUNCTION client_address_bucket(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.client_address_bucket() IS 'The caller''s rate-limit bucket ''address:<ip>'' (IPv6 by /64) from the right-most entry of the trusted forwarding header in app.identity_settings; ''address:unknown'' when that header is missing or malformed; NULL when no header is trusted.';


--
-- Name: dba_publish_map(text, text, jsonb, text); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.dba_publish_map(world_slug text, room_slug text, map jsonb, name text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
DECLARE
  w app.worlds;
BEGIN
  SELECT * INTO w FROM app.worlds x WHERE x.slug = world_slug;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown world' USING ERRCODE = 'no_data_found', HINT = 'SELECT slug FROM app.worlds lists them.';
  END IF;
  RETURN app.map_publish(w, room_slug, map, name, 'dba', NULL);
END
$$;


ALTER FUNCTION app.dba_publish_map(world_slug text, room_slug text, map jsonb, name text) OWNER TO postgres;

--
-- Name: FUNCTION dba_publish_map(world_slug text, room_slug text, map jsonb, name text); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.dba_publish_map(world_slug text, room_slug text, map jsonb, name text) IS 'psql for DBAs: SELECT app.dba_publish_map(''ark'', ''town'', :''map''); publishes like api.publish_map, in any world.';


--
-- Name: dba_rederive_map(text, text); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.dba_rederive_map(world_slug text, room_slug text) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
DECLARE
  room app.rooms;
  current app.map_versions;
  checked record;
BEGIN
  SELECT r.* INTO room FROM app.rooms r JOIN app.worlds w ON w.id = r.world_id
   WHERE w.slug = world_slug AND r.slug = room_slug FOR UPDATE OF r;
  SELECT m.* INTO current FROM app.map_versions m WHERE m.room_id = room.id AND m.version = room.map_version;
  IF current.room_id IS NULL THEN
    RAISE EXCEPTION 'no such room with a map' USING ERRCODE = 'no_data_found',
      HINT = 'SELECT w.slug, r.slug FROM app.rooms r JOIN app.worlds w ON w.id = r.world_id WHERE r.map_version IS NOT NULL';
  END IF;
  checked := app.map_check(current.map, room.world_id, room.id);
  IF checked.errors @> '[{"severity": "error"}]' THEN
    PERFORM app.map_refuse(checked.errors);
  END IF;
  PERFORM app.map_derive(room.id, current.version, NULL, checked.summary, checked.collision, checked.buildings,
                         checked.spawns, checked.settings);
  RETURN current.version;
END
$$;


ALTER FUNCTION app.dba_rederive_map(world_slug text, room_slug text) OWNER TO postgres;

--
-- Name: FUNCTION dba_rederive_map(world_slug text, room_slug text); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.dba_rederive_map(world_slug text, room_slug text) IS 'psql for DBAs: SELECT app.dba_rederive_map(''ark'', ''town''); makes the room again what its current map says (derived rows, size, settings), without a new version; returns that version.';


--
-- Name: duration_words(interval); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.duration_words(length interval) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path TO ''
    RETURN (WITH s(seconds) AS (SELECT (round(EXTRACT(epoch FROM duration_words.length)))::bigint AS round) SELECT CASE WHEN ((s.seconds % (86400)::bigint) = 0) THEN format('%s day%s'::text, (s.seconds / 86400), CASE WHEN (s.seconds = 86400) THEN ''::text ELSE 's'::text END) WHEN ((s.seconds % (3600)::bigint) = 0) THEN format('%s hour%s'::text, (s.seconds / 3600), CASE WHEN (s.seconds = 3600) THEN ''::text ELSE 's'::text END) WHEN ((s.seconds % (60)::bigint) = 0) THEN format('%s minute%s'::text, (s.seconds / 60), CASE WHEN (s.seconds = 60) THEN ''::text ELSE 's'::text END) ELSE format('%s second%s'::text, s.seconds, CASE WHEN (s.seconds = 1) THEN ''::text ELSE 's'::text END) END AS format FROM s);


ALTER FUNCTION app.duration_words(length interval) OWNER TO postgres;

--
-- Name: FUNCTION duration_words(length interval); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.duration_words(length interval) IS 'A window as a hint says it: 15 minutes, 1 hour, 30 days.';


--
-- Name: editable_world_ids(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.editable_world_ids() RETURNS uuid[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL SAFE
    SET search_path TO ''
    AS $$
DECLARE
  ids uuid[];
BEGIN
  SELECT coalesce(pg_catalog.array_agg(m.world_id), '{}') INTO ids
    FROM app.world_members m JOIN app.worlds w ON w.id = m.world_id
   WHERE m.user_id = auth.user_id() AND m.role IN ('owner', 'editor') AND w.archived_at IS NULL
     AND w.owner_id IS NOT NULL
     AND NOT EXISTS (SELECT FROM app.world_bans b
                      WHERE b.world_id = m.world_id AND b.user_id = m.user_id
                        AND (b.until IS NULL OR b.until > pg_catalog.now()));
  RETURN ids;
END
$$;


ALTER FUNCTION app.editable_world_ids() OWNER TO postgres;

--
-- Name: FUNCTION editable_world_ids(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.editable_world_ids() IS 'The player worlds the signed-in player owns or edits, archived ones and ones they are banned from excepted.';


--
-- Name: http_reason_phrase(integer); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.http_reason_phrase(status integer) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path TO ''
    RETURN CASE status WHEN 400 THEN 'Bad Request'::text WHEN 401 THEN 'Unauthorized'::text WHEN 403 THEN 'Forbidden'::text WHEN 404 THEN 'Not Found'::text WHEN 409 THEN 'Conflict'::text WHEN 413 THEN 'Content Too Large'::text WHEN 422 THEN 'Unprocessable Content'::text WHEN 429 THEN 'Too Many Requests'::text WHEN 503 THEN 'Service Unavailable'::text ELSE NULL::text END;


ALTER FUNCTION app.http_reason_phrase(status integer) OWNER TO postgres;

--
-- Name: FUNCTION http_reason_phrase(status integer); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.http_reason_phrase(status integer) IS 'The standard reason phrase (RFC 9110) of each status the API answers with (its 4xx, and 503 for a feature the installation has not configured); NULL for any other status.';


--
-- Name: identity_housekeeping(boolean); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.identity_housekeeping(force boolean DEFAULT false) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO ''
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


ALTER FUNCTION app.identity_housekeeping(force boolean) OWNER TO postgres;

--
-- Name: FUNCTION identity_housekeeping(force boolean); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.identity_housekeeping(force boolean) IS 'At most once per app.identity_settings.housekeeping_every (always with force), one run at a time: deletes up to housekeeping_batch abandoned anonymous accounts, expired login and register throttle rows and expired rate-limit buckets. Returns {ran, abandoned_users, login_throttle, register_throttle, rate_limit_buckets}. An operator may call it from cron as the owner: SELECT app.identity_housekeeping(true).';


--
-- Name: installation_world_ids(boolean); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.installation_world_ids(include_archived boolean DEFAULT false) RETURNS uuid[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL SAFE
    SET search_path TO ''
    AS $$
DECLARE
  ids uuid[];
BEGIN
  SELECT coalesce(pg_catalog.array_agg(w.id), '{}') INTO ids
    FROM app.worlds w WHERE w.owner_id IS NULL AND (include_archived OR w.archived_at IS NULL);
  RETURN ids;
END
$$;


ALTER FUNCTION app.installation_world_ids(include_archived boolean) OWNER TO postgres;

--
-- Name: FUNCTION installation_world_ids(include_archived boolean); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.installation_world_ids(include_archived boolean) IS 'The worlds no player owns (archived ones only when asked): content_admin edits the unarchived ones, and reads their members and bans.';


--
-- Name: invitation_refused(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.invitation_refused() RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
BEGIN
  PERFORM app.raise_api_error(404, 'PT404', 'unknown invitation',
                              'Ask the world''s owner or an editor for a new invitation.', NULL);
END
$$;


ALTER FUNCTION app.invitation_refused() OWNER TO postgres;

--
-- Name: FUNCTION invitation_refused(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.invitation_refused() IS 'The one refusal of accept_invitation: unknown, expired, revoked, used up, wrong email and banned all answer this 404.';


--
-- Name: jitsi_epoch(jsonb); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.jitsi_epoch(value jsonb) RETURNS timestamp with time zone
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO ''
    AS $$
  SELECT CASE WHEN pg_catalog.jsonb_typeof(value) = 'number' AND (value #>> '{}')::numeric BETWEEN 0 AND 32503680000
              THEN pg_catalog.to_timestamp((value #>> '{}')::double precision) END
$$;


ALTER FUNCTION app.jitsi_epoch(value jsonb) OWNER TO postgres;

--
-- Name: FUNCTION jitsi_epoch(value jsonb); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.jitsi_epoch(value jsonb) IS 'An event_sync time (seconds since the epoch) as timestamptz; NULL if it is not one.';


--
-- Name: jitsi_event(text, jsonb); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.jitsi_event(event text, payload jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $_$
DECLARE
  building uuid;
  occupant jsonb;
  occupants jsonb;
  who uuid;
  joined timestamptz;
  gone timestamptz;
  ended timestamptz;
  recorded integer := 0;
  skipped integer := 0;
  open_call record;
BEGIN
  IF event IS NULL OR event NOT IN ('room/created', 'room/destroyed', 'occupant/joined', 'occupant/left') THEN
    RAISE EXCEPTION 'unknown event'
      USING ERRCODE = 'invalid_parameter_value',
            DETAIL = pg_catalog.jsonb_build_object('event', pg_catalog.left(event, 64))::text,
            HINT = 'event is the event_sync path: room/created, room/destroyed, occupant/joined or occupant/left.';
  END IF;
  IF payload IS NULL OR pg_catalog.jsonb_typeof(payload) <> 'object'
     OR pg_catalog.jsonb_typeof(payload -> 'room_name') IS DISTINCT FROM 'string' THEN
    RAISE EXCEPTION 'payload must be an event_sync JSON object with room_name'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send the body event_sync posted, as it is.';
  END IF;
  IF event LIKE 'occupant/%' AND (pg_catalog.jsonb_typeof(payload -> 'occupant') IS DISTINCT FROM 'object'
       OR pg_catalog.jsonb_typeof(payload -> 'occupant' -> 'occupant_jid') IS DISTINCT FROM 'string'
       OR app.jitsi_epoch(payload -> 'occupant' -> 'joined_at') IS NULL
       OR (event = 'occupant/left' AND app.jitsi_epoch(payload -> 'occupant' -> 'left_at') IS NULL)) THEN
    RAISE EXCEPTION 'an occupant event needs occupant.occupant_jid and its times'
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'occupant: {occupant_jid, joined_at, left_at (occupant/left)}, times in seconds since the epoch.';
  END IF;
  IF event = 'room/destroyed' AND payload ? 'all_occupants' AND pg_catalog.jsonb_typeof(payload -> 'all_occupants') <> 'array' THEN
    RAISE EXCEPTION 'all_occupants must be an array'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send the body event_sync posted, as it is.';
  END IF;

  building := app.meeting_building_by_jitsi_name(payload ->> 'room_name');
  IF building IS NULL THEN
    -- A room no meeting building stands for (another Jitsi user, a renamed world, a deleted building).
    -- Logged without the client's text; answered 200, so event_sync does not retry it.
    RAISE WARNING 'jitsi_event: an event for a Jitsi room of no meeting building was ignored';
    RETURN pg_catalog.jsonb_build_object('event', event, 'recorded', 0, 'ignored', 'unknown_room');
  END IF;
  IF payload -> 'is_breakout' = 'true' THEN
    -- Breakout rooms name their main room; their occupants are still in the call.
    RETURN pg_catalog.jsonb_build_object('event', event, 'recorded', 0, 'ignored', 'breakout');
  END IF;

  IF event = 'room/created' THEN
    PERFORM app.meeting_open_session(building);
    RETURN pg_catalog.jsonb_build_object('event', event, 'recorded', 0, 'ignored', NULL);
  END IF;

  occupants := CASE WHEN event = 'room/destroyed' THEN coalesce(payload -> 'all_occupants', '[]')
                    ELSE pg_catalog.jsonb_build_array(payload -> 'occupant') END;
  ended := coalesce(app.jitsi_epoch(payload -> 'destroyed_at'), pg_catalog.now());
  FOR occupant IN SELECT value FROM pg_catalog.jsonb_array_elements(occupants) LOOP
    joined := app.jitsi_epoch(occupant -> 'joined_at');
    gone := CASE WHEN event = 'occupant/joined' THEN NULL
                 ELSE coalesce(app.jitsi_epoch(occupant -> 'left_at'), ended) END;
    -- The occupant's id is the user id of the token they joined with (context.user.id).
    who := CASE WHEN occupant ->> 'id' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                THEN (occupant ->> 'id')::uuid END;
    IF pg_catalog.jsonb_typeof(occupant -> 'occupant_jid') IS DISTINCT FROM 'string' OR joined IS NULL
       OR pg_catalog.char_length(occupant ->> 'occupant_jid') NOT BETWEEN 1 AND 512
       OR NOT EXISTS (SELECT FROM app.users u WHERE u.id = who) THEN
      skipped := skipped + 1;  -- a guest without our token, or a deleted account
      CONTINUE;
    END IF;
    IF app.meeting_call_record(building, who, occupant ->> 'occupant_jid', joined, gone) THEN
      recorded := recorded + 1;
    END IF;
  END LOOP;

  IF event = 'room/destroyed' THEN
    -- The call is over: whoever is still recorded in it left now; zone attendance goes on.
    FOR open_call IN
      SELECT a.building_id, a.occupant_jid, a.joined_at, a.user_id FROM app.meeting_attendance a
       WHERE a.building_id = building AND a.source = 'call' AND a.left_at IS NULL
       ORDER BY a.id
    LOOP
      IF app.meeting_call_record(building, open_call.user_id, open_call.occupant_jid, open_call.joined_at, ended) THEN
        recorded := recorded + 1;
      END IF;
    END LOOP;
    PERFORM app.meeting_close_if_empty(s.id) FROM app.meeting_sessions s
     WHERE s.building_id = building AND s.ended_at IS NULL;
  END IF;
  RETURN pg_catalog.jsonb_build_object('event', event, 'recorded', recorded,
                                       'ignored', CASE WHEN skipped > 0 THEN 'unknown_occupant' END);
END
$_$;


ALTER FUNCTION app.jitsi_event(event text, payload jsonb) OWNER TO postgres;

--
-- Name: FUNCTION jitsi_event(event text, payload jsonb); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.jitsi_event(event text, payload jsonb) IS 'One event_sync event (room/created, room/destroyed, occupant/joined, occupant/left) with its JSON body: records call attendance once per (room, occupant_jid, joined_at), ends it at room/destroyed. {event, recorded, ignored}; an unknown room is ignored with a warning.';


--
-- Name: listed_world_ids(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.listed_world_ids() RETURNS uuid[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL SAFE
    SET search_path TO ''
    AS $$
DECLARE
  uid uuid := auth.user_id();
  ids uuid[];
BEGIN
  SELECT coalesce(pg_catalog.array_agg(x.id), '{}') INTO ids
    FROM (SELECT w.id FROM app.worlds w WHERE w.visibility = 'public' AND w.archived_at IS NULL
          UNION
          SELECT m.world_id FROM app.world_members m JOIN app.worlds w ON w.id = m.world_id
           WHERE m.user_id = uid AND (w.archived_at IS NULL OR w.owner_id = uid)) AS x;
  RETURN ids;
END
$$;


ALTER FUNCTION app.listed_world_ids() OWNER TO postgres;

--
-- Name: FUNCTION listed_world_ids(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.listed_world_ids() IS 'The worlds GET /worlds lists for the caller: public ones and their member worlds (archived only for the owner).';


--
-- Name: map_check(jsonb, uuid, uuid); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.map_check(map jsonb, world_id uuid, room_id uuid, OUT errors jsonb, OUT summary jsonb, OUT collision bit varying, OUT buildings jsonb, OUT spawns jsonb, OUT settings jsonb) RETURNS record
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $_$
DECLARE
  max_bytes CONSTANT integer := 4194304;
  text_form text;
  bare text;
  gid_mask CONSTANT bigint := 268435455;  -- Tiled keeps flip and rotation flags in the top four bits
  slug_shape CONSTANT text := '^[a-z0-9]+(-[a-z0-9]+)*$';
  w integer; h integer; tw integer; th integer;
  ts record; reg app.tilesets; first integer; ts_ok boolean; tilesets_ok boolean := true;
  -- The gids the tilesets define, and the ones that collide, as multiranges: one lookup per tile.
  valid_gids int8multirange := '{}'; collide_gids int8multirange := '{}';
  layer_blocked integer[]; layer_tiles jsonb; all_firsts integer[] := '{}'; bad_firsts integer[] := '{}';
  leaves jsonb; too_deep text; bad_group text; leaf record; layer jsonb; path text; enc text; bad boolean;
  gids bigint[]; raw bytea; bad_first bigint; bad_count bigint; layer_collides boolean;
  blocked_idx integer[] := '{}'; start_layers jsonb := '[]'; objs jsonb := '[]'; n_objects integer := 0;
  obj record; o jsonb; cls text; kind text; props jsonb; p record; q record;
  ox double precision; oy double precision; ow double precision; oh double precision; is_point boolean;
  left_x integer; top_y integer; right_x integer; bottom_y integer; tx integer; ty integer;
  b_name text; b_slug text; b_agent uuid; b_target uuid; b_jitsi text; door_x integer; door_y integer;
  dir text; agent_slug text;
  n_start integer := 0;
  -- Lists grow by array appends (amortised constant time); a jsonb value would be copied whole each time.
  problems jsonb[] := '{}'; b_list jsonb[] := '{}'; s_list jsonb[] := '{}'; door_list jsonb[] := '{}';
  found_problems jsonb[]; jitsi_path text; bits text; spawn_x integer; spawn_y integer; free_at integer;
BEGIN
  errors := '[]'; buildings := '[]'; spawns := '[]'; settings := '{}';
  IF pg_catalog.jsonb_typeof(map) IS DISTINCT FROM 'object' THEN
    errors := pg_catalog.to_jsonb(problems || app.map_problem('', 'the map must be a JSON object (a Tiled JSON map)'));
    RETURN;
  END IF;
  -- 4 MB of JSON as sent. PostgreSQL writes jsonb with ", " and ": " where a client may have sent "," and
  -- ":", so only a map whose rendering is over the limit is measured again without those spaces (strings
  -- emptied first, so that their contents do not count as separators).
  IF pg_catalog.octet_length(map::text) > max_bytes THEN
    text_form := map::text;
    bare := pg_catalog.regexp_replace(text_form, '"(?:[^"\\]|\\.)*"', '""', 'g');
    IF pg_catalog.octet_length(text_form) - (pg_catalog.octet_length(bare)
         - pg_catalog.octet_length(pg_catalog.replace(pg_catalog.replace(bare, ', ', ','), ': ', ':'))) > max_bytes THEN
      errors := pg_catalog.to_jsonb(problems || app.map_problem('', 'the map is larger than 4 MB of JSON'));
      RETURN;
    END IF;
  END IF;

  -- Format
  IF map ->> 'type' IS DISTINCT FROM 'map' THEN
    problems := problems || app.map_problem('/type', 'type must be "map"');
  END IF;
  IF map ->> 'orientation' IS DISTINCT FROM 'orthogonal' THEN
    problems := problems || app.map_problem('/orientation', 'only orthogonal maps are supported');
  END IF;
  IF map ? 'infinite' AND map -> 'infinite' IS DISTINCT FROM 'false'::jsonb THEN
    problems := problems || app.map_problem('/infinite', 'infinite maps are not supported: untick Infinite in the map properties');
  END IF;
  w := app.map_int(map -> 'width'); h := app.map_int(map -> 'height');
  tw := app.map_int(map -> 'tilewidth'); th := app.map_int(map -> 'tileheight');
  IF w IS NULL OR w NOT BETWEEN 1 AND 1000 THEN
    problems := problems || app.map_problem('/width', 'width must be a whole number of tiles from 1 to 1000');
  END IF;
  IF h IS NULL OR h NOT BETWEEN 1 AND 1000 THEN
    problems := problems || app.map_problem('/height', 'height must be a whole number of tiles from 1 to 1000');
  END IF;
  IF w BETWEEN 1 AND 1000 AND h BETWEEN 1 AND 1000 AND w * h > 250000 THEN
    problems := problems || app.map_problem('/width', 'width x height must be at most 250000 tiles');
  END IF;
  IF tw IS NULL OR tw NOT BETWEEN 8 AND 256 THEN
    problems := problems || app.map_problem('/tilewidth', 'tilewidth must be a whole number of pixels from 8 to 256');
  END IF;
  IF th IS NULL OR th NOT BETWEEN 8 AND 256 THEN
    problems := problems || app.map_problem('/tileheight', 'tileheight must be a whole number of pixels from 8 to 256');
  END IF;
  errors := pg_catalog.to_jsonb(problems);
  IF errors @> '[{"path": "/width"}]' OR errors @> '[{"path": "/height"}]'
     OR errors @> '[{"path": "/tilewidth"}]' OR errors @> '[{"path": "/tileheight"}]' THEN
    RETURN;  -- nothing else can be placed without the grid
  END IF;

  -- Tilesets: embedded, and each one of GET /tilesets; the registry's tilecount bounds the gids.
  IF pg_catalog.jsonb_typeof(map -> 'tilesets') IS DISTINCT FROM 'array' THEN
    problems := problems || app.map_problem('/tilesets', 'tilesets must be an array');
    tilesets_ok := false;
  ELSIF pg_catalog.jsonb_array_length(map -> 'tilesets') > 32 THEN
    problems := problems || app.map_problem('/tilesets', 'a map may have at most 32 tilesets');
    tilesets_ok := false;
  ELSE
    FOR ts IN SELECT e.value AS t, (e.o - 1)::integer AS k
                FROM pg_catalog.jsonb_array_elements(map -> 'tilesets') WITH ORDINALITY AS e(value, o) LOOP
      path := '/tilesets/' || ts.k;
      ts_ok := true;
      IF pg_catalog.jsonb_typeof(ts.t) IS DISTINCT FROM 'object' THEN
        problems := problems || app.map_problem(path, 'a tileset must be a JSON object');
        tilesets_ok := false;
        CONTINUE;
      END IF;
      first := app.map_int(ts.t -> 'firstgid');
      IF first < 1 THEN
        first := NULL;
      END IF;
      all_firsts := all_firsts || first;
      IF ts.t ? 'source' THEN
        problems := problems || app.map_problem(path || '/source', 'external tilesets are not supported: embed the tileset (Tiled: Map > Embed Tilesets)');
        bad_firsts := bad_firsts || first;
        CONTINUE;
      END IF;
      IF first IS NULL THEN
        problems := problems || app.map_problem(path || '/firstgid', 'firstgid must be a positive whole number');
        ts_ok := false;
      END IF;
      SELECT * INTO reg FROM app.tilesets r WHERE r.image = ts.t ->> 'image';
      IF NOT FOUND THEN
        problems := problems || app.map_problem(path || '/image', 'the tileset image is none of GET /tilesets: use one of the installation''s tileset images');
        bad_firsts := bad_firsts || first;
        CONTINUE;
      END IF;
      IF app.map_int(ts.t -> 'tilewidth') IS DISTINCT FROM reg.tile_width THEN
        problems := problems || app.map_problem(path || '/tilewidth', 'tilewidth differs from the registered tileset''s (GET /tilesets)');
        ts_ok := false;
      END IF;
      IF app.map_int(ts.t -> 'tileheight') IS DISTINCT FROM reg.tile_height THEN
        problems := problems || app.map_problem(path || '/tileheight', 'tileheight differs from the registered tileset''s (GET /tilesets)');
        ts_ok := false;
      END IF;
      IF app.map_int(ts.t -> 'columns') IS DISTINCT FROM reg.columns THEN
        problems := problems || app.map_problem(path || '/columns', 'columns differs from the registered tileset''s (GET /tilesets)');
        ts_ok := false;
      END IF;
      IF NOT ts_ok THEN
        bad_firsts := bad_firsts || first;
        CONTINUE;
      END IF;
      valid_gids := valid_gids + pg_catalog.int8multirange(pg_catalog.int8range(first, first::bigint + reg.tilecount));
      collide_gids := collide_gids + (
        SELECT coalesce(pg_catalog.range_agg(pg_catalog.int8range(first::bigint + app.map_int(tile -> 'id'), first::bigint + app.map_int(tile -> 'id') + 1)), '{}')
          FROM pg_catalog.jsonb_array_elements(CASE WHEN pg_catalog.jsonb_typeof(ts.t -> 'tiles') = 'array'
                                                    THEN ts.t -> 'tiles' ELSE '[]' END) AS tile
         WHERE app.map_int(tile -> 'id') BETWEEN 0 AND reg.tilecount - 1
           AND (app.map_prop(tile -> 'properties', 'collides')).value = 'true'::jsonb);
    END LOOP;
    -- A refused tileset (already an error) still owns the gids from its firstgid to the next tileset's:
    -- they are not reported again, and the gids of the good tilesets are still checked. One without a
    -- usable firstgid could own any gid, and the gid check is off.
    IF pg_catalog.array_position(bad_firsts, NULL) IS NOT NULL THEN
      tilesets_ok := false;
    END IF;
    valid_gids := valid_gids + coalesce((
      SELECT pg_catalog.range_agg(pg_catalog.int8range(b, (SELECT min(a) FROM pg_catalog.unnest(all_firsts) AS a WHERE a > b)))
        FROM pg_catalog.unnest(bad_firsts) AS b WHERE b IS NOT NULL), '{}');
  END IF;

  -- Layers, group layers flattened in document order (sorted by their index path).
  IF pg_catalog.jsonb_typeof(map -> 'layers') IS DISTINCT FROM 'array' THEN
    problems := problems || app.map_problem('/layers', 'layers must be an array');
    leaves := '[]';
  ELSE
    WITH RECURSIVE l(path, sortkey, layer, depth) AS (
      SELECT '/layers/' || (e.o - 1), ARRAY[e.o], e.value, 1
        FROM pg_catalog.jsonb_array_elements(map -> 'layers') WITH ORDINALITY AS e(value, o)
      UNION ALL
      SELECT l.path || '/layers/' || (e.o - 1), l.sortkey || e.o, e.value, l.depth + 1
        FROM l, pg_catalog.jsonb_array_elements(
                  CASE WHEN l.layer ->> 'type' = 'group' AND pg_catalog.jsonb_typeof(l.layer -> 'layers') = 'array'
                            AND l.depth < 32 THEN l.layer -> 'layers' ELSE '[]' END) WITH ORDINALITY AS e(value, o))
    SELECT coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('path', l.path, 'layer', l.layer) ORDER BY l.sortkey)
                      FILTER (WHERE l.layer ->> 'type' IS DISTINCT FROM 'group'), '[]'),
           min(l.path) FILTER (WHERE l.layer ->> 'type' = 'group' AND l.depth >= 32
                                 AND pg_catalog.jsonb_typeof(l.layer -> 'layers') = 'array'
                                 AND pg_catalog.jsonb_array_length(l.layer -> 'layers') > 0),
           min(l.path) FILTER (WHERE l.layer ->> 'type' = 'group' AND pg_catalog.jsonb_typeof(l.layer -> 'layers') IS DISTINCT FROM 'array')
      INTO leaves, too_deep, bad_group FROM l;
    IF bad_group IS NOT NULL THEN
      problems := problems || app.map_problem(bad_group || '/layers', 'a group layer''s layers must be an array');
    END IF;
    IF too_deep IS NOT NULL THEN
      problems := problems || app.map_problem(too_deep || '/layers', 'group layers may nest at most 32 deep');
    END IF;
    IF pg_catalog.jsonb_array_length(leaves) > 64 THEN
      problems := problems || app.map_problem('/layers', 'a map may have at most 64 layers (group layers count by what they hold)');
    END IF;
  END IF;

  FOR leaf IN SELECT e.value ->> 'path' AS path, e.value -> 'layer' AS layer FROM pg_catalog.jsonb_array_elements(leaves) AS e LOOP
    path := leaf.path;
    layer := leaf.layer;
    IF pg_catalog.jsonb_typeof(layer) IS DISTINCT FROM 'object'
       OR layer ->> 'type' IS NULL OR layer ->> 'type' NOT IN ('tilelayer', 'objectgroup', 'imagelayer') THEN
      problems := problems || app.map_problem(path, 'a layer must be a tilelayer, objectgroup, imagelayer or group');
    ELSIF layer ->> 'type' = 'tilelayer' THEN
      IF coalesce(layer ->> 'compression', '') <> '' THEN
        problems := problems || app.map_problem(path || '/compression', 'compressed layer data is not supported: save with Tile Layer Format: CSV');
        CONTINUE;
      END IF;
      enc := layer ->> 'encoding';
      IF enc IS NOT NULL AND enc NOT IN ('csv', 'base64') THEN
        problems := problems || app.map_problem(path || '/encoding', 'encoding must be csv or base64: save with Tile Layer Format: CSV');
        CONTINUE;
      END IF;
      bad := false;
      IF layer ? 'width' AND app.map_int(layer -> 'width') IS DISTINCT FROM w THEN
        problems := problems || app.map_problem(path || '/width', 'a tile layer must be as wide as the map');
        bad := true;
      END IF;
      IF layer ? 'height' AND app.map_int(layer -> 'height') IS DISTINCT FROM h THEN
        problems := problems || app.map_problem(path || '/height', 'a tile layer must be as high as the map');
        bad := true;
      END IF;
      CONTINUE WHEN bad;
      gids := NULL;
      IF coalesce(enc, 'csv') = 'csv' THEN
        IF pg_catalog.jsonb_typeof(layer -> 'data') = 'array' AND pg_catalog.jsonb_array_length(layer -> 'data') = w * h THEN
          SELECT pg_catalog.array_agg(CASE WHEN pg_catalog.jsonb_typeof(e.v) = 'number' AND (e.v #>> '{}') ~ '^[0-9]{1,10}$'
                                                AND (e.v #>> '{}')::bigint < 4294967296
                                           THEN (e.v #>> '{}')::bigint END ORDER BY e.o)
            INTO gids FROM pg_catalog.jsonb_array_elements(layer -> 'data') WITH ORDINALITY AS e(v, o);
          IF pg_catalog.array_position(gids, NULL) IS NOT NULL THEN
            gids := NULL;
          END IF;
        END IF;
      ELSIF pg_catalog.jsonb_typeof(layer -> 'data') = 'string' THEN
        BEGIN
          raw := pg_catalog.decode(layer ->> 'data', 'base64');
        EXCEPTION WHEN invalid_parameter_value THEN
          raw := NULL;
        END;
        IF pg_catalog.length(raw) = 4 * w * h THEN
          SELECT pg_catalog.array_agg(pg_catalog.get_byte(raw, 4 * i)::bigint
                                      + (pg_catalog.get_byte(raw, 4 * i + 1)::bigint << 8)
                                      + (pg_catalog.get_byte(raw, 4 * i + 2)::bigint << 16)
                                      + (pg_catalog.get_byte(raw, 4 * i + 3)::bigint << 24) ORDER BY i)
            INTO gids FROM pg_catalog.generate_series(0, w * h - 1) AS i;
        END IF;
      END IF;
      IF gids IS NULL THEN
        problems := problems || app.map_problem(path || '/data', pg_catalog.format(
          'data must hold %s tiles (width x height) as whole numbers from 0: a CSV array, or uncompressed base64', w * h));
        CONTINUE;
      END IF;
      -- One pass over the layer's tiles: gids outside every tileset, walls, and start tiles.
      layer_collides := (app.map_prop(layer -> 'properties', 'collides')).value = 'true'::jsonb;
      SELECT min(g.n) FILTER (WHERE NOT valid_gids @> g.t), count(*) FILTER (WHERE NOT valid_gids @> g.t),
             coalesce(pg_catalog.array_agg((g.n - 1)::integer) FILTER (WHERE layer_collides OR collide_gids @> g.t), '{}'),
             coalesce(pg_catalog.jsonb_agg(g.n - 1 ORDER BY g.n) FILTER (WHERE layer ->> 'name' = 'start'), '[]')
        INTO bad_first, bad_count, layer_blocked, layer_tiles
        FROM (SELECT u.n, u.gid & gid_mask AS t FROM pg_catalog.unnest(gids) WITH ORDINALITY AS u(gid, n)) AS g
       WHERE g.t > 0;
      IF tilesets_ok AND bad_count > 0 THEN
        -- A base64 layer's data is one string: the pointer stops at it, and the message names the tile.
        problems := problems || CASE WHEN enc = 'base64'
          THEN app.map_problem(path || '/data', pg_catalog.format(
                 '%s tiles of this layer use a gid outside every tileset; the first is tile %s', bad_count, bad_first - 1))
          ELSE app.map_problem(path || '/data/' || (bad_first - 1), pg_catalog.format(
                 '%s tiles of this layer use a gid outside every tileset; this is the first', bad_count)) END;
      END IF;
      blocked_idx := blocked_idx || layer_blocked;
      IF layer ->> 'name' = 'start' THEN
        start_layers := start_layers || pg_catalog.jsonb_build_object('path', path, 'tiles', layer_tiles,
                                                                      'base64', enc IS NOT DISTINCT FROM 'base64');
      END IF;
    ELSIF layer ->> 'type' = 'objectgroup' AND layer ? 'objects' THEN
      IF pg_catalog.jsonb_typeof(layer -> 'objects') IS DISTINCT FROM 'array' THEN
        problems := problems || app.map_problem(path || '/objects', 'objects must be an array');
        CONTINUE;
      END IF;
      n_objects := n_objects + pg_catalog.jsonb_array_length(layer -> 'objects');
      IF n_objects <= 10000 THEN
        objs := objs || (SELECT coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                                  'path', path || '/objects/' || (e.o - 1), 'o', e.value) ORDER BY e.o), '[]')
                           FROM pg_catalog.jsonb_array_elements(layer -> 'objects') WITH ORDINALITY AS e(value, o));
      END IF;
    END IF;
  END LOOP;
  IF n_objects > 10000 THEN
    problems := problems || app.map_problem('/layers', 'a map may have at most 10000 objects');
    objs := '[]';
  END IF;

  -- The collision grid, one bit per tile.
  SELECT pg_catalog.string_agg(CASE WHEN b.i IS NULL THEN '0' ELSE '1' END, '' ORDER BY g.i)
    INTO bits
    FROM pg_catalog.generate_series(0, w * h - 1) AS g(i)
    LEFT JOIN (SELECT DISTINCT x AS i FROM pg_catalog.unnest(blocked_idx) AS x) AS b ON b.i = g.i;
  collision := bits::bit varying;

  -- Map properties: the room's settings.
  p := app.map_prop(map -> 'properties', 'name');
  IF p.idx IS NOT NULL THEN
    IF pg_catalog.jsonb_typeof(p.value) IS DISTINCT FROM 'string' OR pg_catalog.char_length(p.value #>> '{}') NOT BETWEEN 1 AND 64
       OR (p.value #>> '{}') ~ '[[:cntrl:]]' THEN
      problems := problems || app.map_problem('/properties/' || p.idx, 'the map property name must be text of 1 to 64 characters');
    ELSE
      settings := settings || pg_catalog.jsonb_build_object('name', p.value);
    END IF;
  END IF;
  p := app.map_prop(map -> 'properties', 'max_speed');
  IF p.idx IS NOT NULL THEN
    IF app.map_num(p.value) IS NULL OR NOT (app.map_num(p.value) > 0 AND app.map_num(p.value) <= 100) THEN
      problems := problems || app.map_problem('/properties/' || p.idx, 'max_speed must be a number of tiles per second above 0 and at most 100');
    ELSE
      settings := settings || pg_catalog.jsonb_build_object('max_speed', p.value);
    END IF;
  END IF;
  p := app.map_prop(map -> 'properties', 'proximity_radius');
  IF p.idx IS NOT NULL THEN
    IF app.map_int(p.value) IS NULL OR app.map_int(p.value) NOT BETWEEN 0 AND 100 THEN
      problems := problems || app.map_problem('/properties/' || p.idx, 'proximity_radius must be a whole number of tiles from 0 to 100');
    ELSE
      settings := settings || pg_catalog.jsonb_build_object('proximity_radius', p.value);
    END IF;
  END IF;

  -- Doors first: a building finds the door point inside it whatever the order of the objects.
  FOR obj IN SELECT e.value ->> 'path' AS path, e.value -> 'o' AS o FROM pg_catalog.jsonb_array_elements(objs) AS e LOOP
    o := obj.o;
    CONTINUE WHEN pg_catalog.jsonb_typeof(o) IS DISTINCT FROM 'object'
               OR coalesce(nullif(o ->> 'class', ''), nullif(o ->> 'type', ''), '') <> 'door';
    ox := app.map_num(o -> 'x'); oy := app.map_num(o -> 'y');
    IF ox IS NULL OR oy IS NULL THEN
      problems := problems || app.map_problem(obj.path, 'a door needs x and y');
      CONTINUE;
    END IF;
    door_list := door_list || pg_catalog.jsonb_build_object('path', obj.path, 'x', floor(ox / tw)::integer, 'y', floor(oy / th)::integer);
  END LOOP;

  FOR obj IN SELECT e.value ->> 'path' AS path, e.value -> 'o' AS o FROM pg_catalog.jsonb_array_elements(objs) AS e LOOP
    o := obj.o;
    path := obj.path;
    IF pg_catalog.jsonb_typeof(o) IS DISTINCT FROM 'object' THEN
      problems := problems || app.map_problem(path, 'an object must be a JSON object');
      CONTINUE;
    END IF;
    -- Tiled 1.9 writes class, 1.8 and 1.10+ write type.
    cls := coalesce(nullif(o ->> 'class', ''), nullif(o ->> 'type', ''), '');
    props := o -> 'properties';
    IF props IS NOT NULL AND pg_catalog.jsonb_typeof(props) IS DISTINCT FROM 'array' THEN
      -- Tiled before 1.2 wrote an object here; read silently, a building's agent or door would be lost.
      problems := problems || app.map_problem(path || '/properties', 'properties must be an array of {name, type, value} (Tiled 1.2 and later)');
      CONTINUE;
    END IF;
    kind := CASE WHEN cls IN ('agent_room', 'portal', 'meeting', 'spawn', 'agent_spawn') THEN cls
                 WHEN cls IN ('', 'area') AND (app.map_prop(props, 'jitsiRoom')).idx IS NOT NULL THEN 'meeting' END;
    CONTINUE WHEN kind IS NULL;
    ox := app.map_num(o -> 'x'); oy := app.map_num(o -> 'y');
    ow := coalesce(app.map_num(o -> 'width'), 0); oh := coalesce(app.map_num(o -> 'height'), 0);
    IF ox IS NULL OR oy IS NULL OR ow < 0 OR oh < 0 THEN
      problems := problems || app.map_problem(path, 'the object needs numbers x and y, and a width and height that are not negative');
      CONTINUE;
    END IF;
    is_point := o -> 'point' = 'true'::jsonb OR (ow = 0 AND oh = 0);

    -- The slug: the property slug, else the name made a slug.
    p := app.map_prop(props, 'slug');
    IF p.idx IS NOT NULL AND (pg_catalog.jsonb_typeof(p.value) IS DISTINCT FROM 'string' OR (p.value #>> '{}') !~ slug_shape
                              OR pg_catalog.char_length(p.value #>> '{}') > 64) THEN
      problems := problems || app.map_problem(path || '/properties/' || p.idx, 'slug must be lowercase letters, digits and single dashes, at most 64 characters');
      CONTINUE;
    END IF;
    b_slug := coalesce(p.value #>> '{}', app.map_slugify(o ->> 'name'));

    IF kind IN ('spawn', 'agent_spawn') THEN
      tx := floor(CASE WHEN is_point THEN ox ELSE ox + ow / 2 END / tw)::integer;
      ty := floor(CASE WHEN is_point THEN oy ELSE oy + oh / 2 END / th)::integer;
      agent_slug := NULL; b_agent := NULL;
      IF kind = 'agent_spawn' THEN
        p := app.map_prop(props, 'agent');
        IF p.idx IS NULL THEN
          problems := problems || app.map_problem(path, 'an agent_spawn needs the property agent (an agent''s slug)');
          CONTINUE;
        END IF;
        agent_slug := p.value #>> '{}';
        b_agent := CASE WHEN pg_catalog.jsonb_typeof(p.value) = 'string' THEN app.agent_id_in_world(world_id, agent_slug) END;
        IF b_agent IS NULL THEN
          problems := problems || app.map_problem(path || '/properties/' || p.idx, 'no agent of this world or of the installation has this slug');
          CONTINUE;
        END IF;
      END IF;
      IF tx NOT BETWEEN 0 AND w - 1 OR ty NOT BETWEEN 0 AND h - 1 THEN
        problems := problems || app.map_problem(path, 'the spawn point lies outside the map');
        CONTINUE;
      ELSIF pg_catalog.get_bit(collision, ty * w + tx) = 1 THEN
        problems := problems || app.map_problem(path, 'the spawn point is on a wall');
        CONTINUE;
      END IF;
      p := app.map_prop(props, 'direction');
      dir := coalesce(p.value #>> '{}', 'down');
      IF dir NOT IN ('up', 'down', 'left', 'right') OR pg_catalog.jsonb_typeof(p.value) IS DISTINCT FROM 'string' AND p.idx IS NOT NULL THEN
        problems := problems || app.map_problem(path || '/properties/' || p.idx, 'direction must be up, down, left or right');
        CONTINUE;
      END IF;
      b_slug := coalesce(b_slug, CASE WHEN kind = 'spawn' THEN 'spawn-' || coalesce(app.map_int(o -> 'id'), 0)
                                      ELSE app.map_slugify('agent-' || agent_slug) END);
      s_list := s_list || pg_catalog.jsonb_build_object('path', path, 'slug', b_slug, 'x', tx, 'y', ty, 'direction', dir,
        'type', CASE WHEN kind = 'spawn' THEN 'player' ELSE 'agent' END, 'agent_id', b_agent);
      CONTINUE;
    END IF;

    -- A building: a rectangle of whole tiles.
    IF is_point OR ow <= 0 OR oh <= 0 OR o -> 'ellipse' = 'true'::jsonb OR o ? 'polygon' OR o ? 'polyline' THEN
      problems := problems || app.map_problem(path, 'a building must be a rectangle object');
      CONTINUE;
    END IF;
    left_x := floor(ox / tw)::integer; top_y := floor(oy / th)::integer;
    right_x := ceil((ox + ow) / tw)::integer - 1; bottom_y := ceil((oy + oh) / th)::integer - 1;
    IF left_x < 0 OR top_y < 0 OR right_x > w - 1 OR bottom_y > h - 1 THEN
      problems := problems || app.map_problem(path, 'the building lies outside the map');
      CONTINUE;
    END IF;
    b_name := nullif(o ->> 'name', '');
    IF pg_catalog.char_length(b_name) > 64 OR b_name ~ '[[:cntrl:]]' THEN
      problems := problems || app.map_problem(path || '/name', 'a building''s name must be at most 64 characters, without control characters');
      CONTINUE;
    END IF;
    b_slug := coalesce(b_slug, pg_catalog.replace(kind, '_', '-') || '-' || coalesce(app.map_int(o -> 'id'), 0));
    b_agent := NULL; b_target := NULL; b_jitsi := NULL; jitsi_path := NULL;
    IF kind = 'agent_room' THEN
      p := app.map_prop(props, 'agent');
      IF p.idx IS NULL THEN
        problems := problems || app.map_problem(path, 'an agent_room needs the property agent (an agent''s slug)');
        CONTINUE;
      END IF;
      b_agent := CASE WHEN pg_catalog.jsonb_typeof(p.value) = 'string' THEN app.agent_id_in_world(world_id, p.value #>> '{}') END;
      IF b_agent IS NULL THEN
        problems := problems || app.map_problem(path || '/properties/' || p.idx, 'no agent of this world or of the installation has this slug');
        CONTINUE;
      END IF;
    END IF;
    IF kind IN ('agent_room', 'portal') THEN
      p := app.map_prop(props, 'target_room');
      IF p.idx IS NULL AND kind = 'portal' THEN
        problems := problems || app.map_problem(path, 'a portal needs the property target_room (a room slug of the same world)');
        CONTINUE;
      END IF;
      IF p.idx IS NOT NULL AND world_id IS NOT NULL THEN
        SELECT r.id INTO b_target FROM app.rooms r
         WHERE r.world_id = map_check.world_id AND r.slug = p.value #>> '{}' AND pg_catalog.jsonb_typeof(p.value) = 'string';
        IF b_target IS NULL OR b_target = room_id THEN
          problems := problems || app.map_problem(path || '/properties/' || p.idx,
            CASE WHEN b_target IS NULL THEN 'target_room is no room of this world' ELSE 'a portal cannot lead to its own room' END);
          CONTINUE;
        END IF;
      ELSIF p.idx IS NOT NULL AND (pg_catalog.jsonb_typeof(p.value) IS DISTINCT FROM 'string' OR (p.value #>> '{}') !~ slug_shape) THEN
        problems := problems || app.map_problem(path || '/properties/' || p.idx, 'target_room must be a room slug');
        CONTINUE;
      END IF;
    END IF;
    p := app.map_prop(props, 'jitsiRoom');
    IF kind = 'meeting' THEN
      IF p.idx IS NULL THEN
        problems := problems || app.map_problem(path, 'a meeting needs the property jitsiRoom');
        CONTINUE;
      END IF;
      b_jitsi := p.value #>> '{}';
      IF pg_catalog.jsonb_typeof(p.value) IS DISTINCT FROM 'string' OR b_jitsi !~ '^[A-Za-z0-9_-]{1,64}$' THEN
        problems := problems || app.map_problem(path || '/properties/' || p.idx, 'jitsiRoom must be 1 to 64 letters, digits, dashes or underscores');
        CONTINUE;
      END IF;
      jitsi_path := path || '/properties/' || p.idx;
      IF world_id IS NOT NULL AND EXISTS (
           SELECT FROM app.buildings x
            WHERE x.world_id = map_check.world_id AND pg_catalog.lower(x.jitsi_room) = pg_catalog.lower(b_jitsi)
              AND (x.room_id IS DISTINCT FROM map_check.room_id OR NOT x.derived)) THEN
        problems := problems || app.map_problem(path || '/properties/' || p.idx, 'another meeting of this world has the same jitsiRoom');
        CONTINUE;
      END IF;
    END IF;

    -- The door: door_x/door_y, else a door point inside; a meeting without one gets its centre tile.
    p := app.map_prop(props, 'door_x');
    q := app.map_prop(props, 'door_y');
    door_x := NULL; door_y := NULL;
    IF p.idx IS NOT NULL OR q.idx IS NOT NULL THEN
      door_x := app.map_int(p.value); door_y := app.map_int(q.value);
      IF door_x IS NULL OR door_y IS NULL THEN
        problems := problems || app.map_problem(path || '/properties/' || coalesce(CASE WHEN door_x IS NULL THEN p.idx END, q.idx, p.idx),
                                            'door_x and door_y must both be whole numbers of tiles');
        CONTINUE;
      END IF;
      IF door_x NOT BETWEEN left_x AND right_x OR door_y NOT BETWEEN top_y AND bottom_y THEN
        problems := problems || app.map_problem(path || '/properties/' || coalesce(p.idx, q.idx), 'the door must lie inside its building');
        CONTINUE;
      ELSIF pg_catalog.get_bit(collision, door_y * w + door_x) = 1 THEN
        problems := problems || app.map_problem(path || '/properties/' || coalesce(p.idx, q.idx), 'the door is on a wall');
        CONTINUE;
      END IF;
    END IF;
    -- No door_x/door_y: the door point inside it, found for all buildings at once after this loop.
    b_list := b_list || pg_catalog.jsonb_build_object(
      'path', path, 'slug', b_slug, 'name', coalesce(b_name, b_slug), 'type', kind, 'x', left_x, 'y', top_y,
      'width', right_x - left_x + 1, 'height', bottom_y - top_y + 1, 'door_x', door_x, 'door_y', door_y,
      'agent_id', b_agent, 'target_room_id', b_target, 'jitsi_room', b_jitsi, 'jitsi_path', jitsi_path,
      'door_object', door_x IS NULL);
  END LOOP;

  -- Door points: a building without door_x/door_y takes the first door point inside it (a meeting without
  -- one, its centre tile). One join for all buildings, in document order.
  WITH b AS (SELECT u.e, u.ord FROM pg_catalog.unnest(b_list) WITH ORDINALITY AS u(e, ord)),
       d AS (SELECT (u.e ->> 'x')::integer AS x, (u.e ->> 'y')::integer AS y, u.e ->> 'path' AS path, u.ord
               FROM pg_catalog.unnest(door_list) WITH ORDINALITY AS u(e, ord)),
       f AS (SELECT b.e, b.ord, k.x, k.y, k.path AS door_path
               FROM b LEFT JOIN LATERAL (
                      SELECT d.x, d.y, d.path FROM d
                       WHERE (b.e ->> 'door_object')::boolean
                         AND d.x BETWEEN (b.e ->> 'x')::integer AND (b.e ->> 'x')::integer + (b.e ->> 'width')::integer - 1
                         AND d.y BETWEEN (b.e ->> 'y')::integer AND (b.e ->> 'y')::integer + (b.e ->> 'height')::integer - 1
                       ORDER BY d.ord LIMIT 1) AS k ON true)
  SELECT pg_catalog.array_agg(CASE WHEN NOT (f.e ->> 'door_object')::boolean THEN f.e
                                   WHEN f.door_path IS NOT NULL THEN f.e || pg_catalog.jsonb_build_object('door_x', f.x, 'door_y', f.y)
                                   ELSE f.e || pg_catalog.jsonb_build_object(
                                          'door_x', (2 * (f.e ->> 'x')::integer + (f.e ->> 'width')::integer - 1) / 2,
                                          'door_y', (2 * (f.e ->> 'y')::integer + (f.e ->> 'height')::integer - 1) / 2) END
                              ORDER BY f.ord)
           FILTER (WHERE NOT (f.e ->> 'door_object')::boolean
                      OR f.door_path IS NOT NULL AND pg_catalog.get_bit(collision, f.y * w + f.x) = 0
                      OR f.door_path IS NULL AND f.e ->> 'type' = 'meeting'),
         pg_catalog.array_agg(CASE WHEN f.door_path IS NOT NULL THEN app.map_problem(f.door_path, 'the door is on a wall')
                                   ELSE app.map_problem(f.e ->> 'path', 'the building needs a door: the properties door_x and door_y, or a door point inside it') END
                              ORDER BY f.ord)
           FILTER (WHERE (f.e ->> 'door_object')::boolean
                     AND (f.door_path IS NOT NULL AND pg_catalog.get_bit(collision, f.y * w + f.x) = 1
                          OR f.door_path IS NULL AND f.e ->> 'type' <> 'meeting'))
    INTO b_list, found_problems FROM f;
  problems := problems || coalesce(found_problems, '{}');

  -- A jitsiRoom once per map (case-insensitively, as Jitsi lowercases names), then a slug once per map:
  -- the later one is the error.
  SELECT pg_catalog.array_agg(x.e ORDER BY x.ord) FILTER (WHERE x.rn = 1 OR x.e ->> 'jitsi_room' IS NULL),
         pg_catalog.array_agg(app.map_problem(x.e ->> 'jitsi_path', 'another meeting of this world has the same jitsiRoom') ORDER BY x.ord)
           FILTER (WHERE x.rn > 1 AND x.e ->> 'jitsi_room' IS NOT NULL)
    INTO b_list, found_problems
    FROM (SELECT u.e, u.ord, pg_catalog.row_number() OVER (PARTITION BY pg_catalog.lower(u.e ->> 'jitsi_room') ORDER BY u.ord) AS rn
            FROM pg_catalog.unnest(b_list) WITH ORDINALITY AS u(e, ord)) AS x;
  problems := problems || coalesce(found_problems, '{}');
  SELECT pg_catalog.array_agg(x.e - 'door_object' - 'jitsi_path' ORDER BY x.ord) FILTER (WHERE x.rn = 1),
         pg_catalog.array_agg(app.map_problem(x.e ->> 'path', 'another building of this map has the same slug') ORDER BY x.ord)
           FILTER (WHERE x.rn > 1)
    INTO b_list, found_problems
    FROM (SELECT u.e, u.ord, pg_catalog.row_number() OVER (PARTITION BY u.e ->> 'slug' ORDER BY u.ord) AS rn
            FROM pg_catalog.unnest(b_list) WITH ORDINALITY AS u(e, ord)) AS x;
  problems := problems || coalesce(found_problems, '{}');
  buildings := coalesce(pg_catalog.to_jsonb(b_list), '[]');

  -- WorkAdventure's start layer: each of its tiles is a player spawn, start-1, start-2, ... in reading order.
  -- Start tiles on walls are one problem per layer (the first, and how many), as bad gids are; at most
  -- 10000 spawn points come from start layers, so that a publish writes a bounded number of rows.
  FOR leaf IN SELECT e.value ->> 'path' AS path, e.value -> 'tiles' AS tiles, (e.value ->> 'base64')::boolean AS base64
                FROM pg_catalog.jsonb_array_elements(start_layers) AS e LOOP
    SELECT min(t.n::integer) FILTER (WHERE pg_catalog.get_bit(collision, t.n::integer) = 1),
           count(*) FILTER (WHERE pg_catalog.get_bit(collision, t.n::integer) = 1),
           count(*) FILTER (WHERE pg_catalog.get_bit(collision, t.n::integer) = 0)
      INTO bad_first, bad_count, free_at
      FROM pg_catalog.jsonb_array_elements_text(leaf.tiles) AS t(n);
    IF bad_count > 0 THEN
      problems := problems || app.map_problem(
        leaf.path || '/data' || CASE WHEN leaf.base64 THEN '' ELSE '/' || bad_first END,
        pg_catalog.format('%s start tiles are on a wall; the first is tile %s', bad_count, bad_first));
    END IF;
    IF n_start + free_at > 10000 THEN
      problems := problems || app.map_problem(leaf.path, 'start layers may give at most 10000 spawn points');
      CONTINUE;
    END IF;
    s_list := s_list || ARRAY(
      SELECT pg_catalog.jsonb_build_object(
               'path', leaf.path || '/data' || CASE WHEN leaf.base64 THEN '' ELSE '/' || t.n END,
               'slug', 'start-' || (n_start + pg_catalog.row_number() OVER (ORDER BY t.n::integer)),
               'x', t.n::integer % w, 'y', t.n::integer / w, 'direction', 'down', 'type', 'player', 'agent_id', NULL)
        FROM pg_catalog.jsonb_array_elements_text(leaf.tiles) AS t(n)
       WHERE pg_catalog.get_bit(collision, t.n::integer) = 0
       ORDER BY t.n::integer);
    n_start := n_start + free_at;
  END LOOP;
  SELECT pg_catalog.array_agg(x.e ORDER BY x.ord) FILTER (WHERE x.rn = 1),
         pg_catalog.array_agg(app.map_problem(x.e ->> 'path', 'another spawn point of this map has the same slug') ORDER BY x.ord)
           FILTER (WHERE x.rn > 1)
    INTO s_list, found_problems
    FROM (SELECT u.e, u.ord, pg_catalog.row_number() OVER (PARTITION BY u.e ->> 'slug' ORDER BY u.ord) AS rn
            FROM pg_catalog.unnest(s_list) WITH ORDINALITY AS u(e, ord)) AS x;
  problems := problems || coalesce(found_problems, '{}');
  spawns := coalesce(pg_catalog.to_jsonb(s_list), '[]');

  -- The default spawn: the first player spawn by slug; with none, the centre, else the first free tile.
  SELECT (e ->> 'x')::integer, (e ->> 'y')::integer INTO spawn_x, spawn_y
    FROM pg_catalog.jsonb_array_elements(spawns) AS e WHERE e ->> 'type' = 'player' ORDER BY e ->> 'slug' COLLATE "C" LIMIT 1;
  IF spawn_x IS NULL THEN
    IF n_objects <= 10000 THEN  -- over the limit the objects were not read: the map may well have spawns
      problems := problems || app.map_problem('/layers', 'the map has no player spawn point: players start at its centre, or the first free tile', 'warning');
    END IF;
    IF pg_catalog.get_bit(collision, (h / 2) * w + w / 2) = 0 THEN
      spawn_x := w / 2; spawn_y := h / 2;
    ELSE
      free_at := pg_catalog.strpos(bits, '0') - 1;
      IF free_at >= 0 THEN
        spawn_x := free_at % w; spawn_y := free_at / w;
      END IF;
    END IF;
  END IF;
  IF pg_catalog.strpos(bits, '0') = 0 THEN
    problems := problems || app.map_problem('/layers', 'the map has no walkable tile');
  END IF;
  settings := settings || pg_catalog.jsonb_build_object('default_spawn_x', spawn_x, 'default_spawn_y', spawn_y);

  -- What editors made by hand in the room stays, so it must fit the new map.
  IF room_id IS NOT NULL THEN
    problems := problems || ARRAY(
      SELECT app.map_problem(e ->> 'path', 'a hand-made building or spawn point of the room already has this slug')
        FROM pg_catalog.jsonb_array_elements(buildings || spawns) AS e
       WHERE e ? 'width' AND EXISTS (SELECT FROM app.buildings b
                                      WHERE b.room_id = map_check.room_id AND NOT b.derived AND b.slug = e ->> 'slug')
          OR NOT e ? 'width' AND EXISTS (SELECT FROM app.spawn_points s
                                          WHERE s.room_id = map_check.room_id AND NOT s.derived AND s.slug = e ->> 'slug'));
    IF EXISTS (SELECT FROM app.buildings b WHERE b.room_id = map_check.room_id AND NOT b.derived
                  AND (b.x + b.width > w OR b.y + b.height > h OR b.door_x >= w OR b.door_y >= h)
               UNION ALL
               SELECT FROM app.spawn_points s WHERE s.room_id = map_check.room_id AND NOT s.derived AND (s.x >= w OR s.y >= h)) THEN
      problems := problems || app.map_problem('/width',
        'a hand-made building or spawn point of the room lies outside this map: move or delete it first (GET /buildings, GET /spawn_points)');
    END IF;
    IF EXISTS (SELECT FROM app.spawn_points s WHERE s.room_id = map_check.room_id AND NOT s.derived
                  AND s.x < w AND s.y < h AND pg_catalog.get_bit(collision, s.y * w + s.x) = 1
               UNION ALL
               SELECT FROM app.buildings b WHERE b.room_id = map_check.room_id AND NOT b.derived
                  AND b.door_x < w AND b.door_y < h AND pg_catalog.get_bit(collision, b.door_y * w + b.door_x) = 1) THEN
      problems := problems || app.map_problem('/layers',
        'a hand-made spawn point or door of the room is on a wall of this map: move it first (GET /buildings, GET /spawn_points)');
    END IF;
  END IF;

  summary := pg_catalog.jsonb_build_object(
    'width', w, 'height', h, 'tile_width', tw, 'tile_height', th,
    'layers', pg_catalog.jsonb_array_length(leaves),
    'blocked_tiles', pg_catalog.length(pg_catalog.replace(bits, '0', '')),
    'spawn_points', (SELECT count(*) FROM pg_catalog.jsonb_array_elements(spawns) AS e WHERE e ->> 'type' = 'player'),
    'buildings', pg_catalog.jsonb_array_length(buildings));
  errors := pg_catalog.to_jsonb(problems);
END
$_$;


ALTER FUNCTION app.map_check(map jsonb, world_id uuid, room_id uuid, OUT errors jsonb, OUT summary jsonb, OUT collision bit varying, OUT buildings jsonb, OUT spawns jsonb, OUT settings jsonb) OWNER TO postgres;

--
-- Name: FUNCTION map_check(map jsonb, world_id uuid, room_id uuid, OUT errors jsonb, OUT summary jsonb, OUT collision bit varying, OUT buildings jsonb, OUT spawns jsonb, OUT settings jsonb); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.map_check(map jsonb, world_id uuid, room_id uuid, OUT errors jsonb, OUT summary jsonb, OUT collision bit varying, OUT buildings jsonb, OUT spawns jsonb, OUT settings jsonb) IS 'Checks a Tiled JSON map for the room room_id of world world_id (both NULL for a dry run): every problem {severity, path, message} with its JSON pointer, the summary, and what the map makes of the room: collision bits, buildings, spawn points and settings.';


--
-- Name: map_derive(uuid, integer, text, jsonb, bit varying, jsonb, jsonb, jsonb); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.map_derive(room_id uuid, version integer, name text, map_summary jsonb, map_collision bit varying, map_buildings jsonb, map_spawns jsonb, map_settings jsonb) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
DECLARE
  chunk_size CONSTANT integer := 50;  -- moves per NOTIFY, as realtime.apply_moves sends them
  mw integer;
  mh integer;
  spawn record;
  moved jsonb;
  i integer := 0;
BEGIN
  mw := (map_summary ->> 'width')::integer;
  mh := (map_summary ->> 'height')::integer;

  -- Large enough for the old map and the new while rows move; the new size is set last.
  -- map_version is NULL meanwhile: a room with a map has the map's size (app.rooms_map_size).
  UPDATE app.rooms r SET width_tiles = greatest(r.width_tiles, mw), height_tiles = greatest(r.height_tiles, mh),
                         map_version = NULL
   WHERE r.id = map_derive.room_id;

  DELETE FROM app.buildings b
   WHERE b.room_id = map_derive.room_id AND b.derived
     AND b.slug NOT IN (SELECT e ->> 'slug' FROM pg_catalog.jsonb_array_elements(map_buildings) AS e);
  INSERT INTO app.buildings AS b (room_id, slug, name, type, x, y, width, height, door_x, door_y, agent_id,
                                  target_room_id, jitsi_room, derived)
  SELECT map_derive.room_id, n.slug, n.name, n.type, n.x, n.y, n.width, n.height, n.door_x, n.door_y, n.agent_id,
         n.target_room_id, n.jitsi_room, true
    FROM pg_catalog.jsonb_to_recordset(map_buildings)
         AS n(slug text, name text, type text, x integer, y integer, width integer, height integer, door_x integer,
              door_y integer, agent_id uuid, target_room_id uuid, jitsi_room text)
  ON CONFLICT ON CONSTRAINT buildings_slug_key DO UPDATE SET
    name = EXCLUDED.name, type = EXCLUDED.type, x = EXCLUDED.x, y = EXCLUDED.y, width = EXCLUDED.width,
    height = EXCLUDED.height, door_x = EXCLUDED.door_x, door_y = EXCLUDED.door_y, agent_id = EXCLUDED.agent_id,
    target_room_id = EXCLUDED.target_room_id, jitsi_room = EXCLUDED.jitsi_room
  WHERE b.derived;

  DELETE FROM app.spawn_points s
   WHERE s.room_id = map_derive.room_id AND s.derived
     AND s.slug NOT IN (SELECT e ->> 'slug' FROM pg_catalog.jsonb_array_elements(map_spawns) AS e);
  INSERT INTO app.spawn_points AS s (room_id, slug, x, y, type, agent_id, direction, derived)
  SELECT map_derive.room_id, n.slug, n.x, n.y, n.type, n.agent_id, n.direction::app.direction, true
    FROM pg_catalog.jsonb_to_recordset(map_spawns)
         AS n(slug text, x integer, y integer, type text, agent_id uuid, direction text)
  ON CONFLICT ON CONSTRAINT spawn_points_slug_key DO UPDATE SET
    x = EXCLUDED.x, y = EXCLUDED.y, type = EXCLUDED.type, agent_id = EXCLUDED.agent_id, direction = EXCLUDED.direction
  WHERE s.derived;

  -- Players on a tile that is now a wall, or outside the map, go to the first free player spawn (by slug),
  -- else to the default spawn, which map_check chose free. Their rows are locked first, in user_id order as
  -- the move path locks them: a move in flight commits before this looks at where its player stands, and
  -- a move that comes later waits for this transaction and is judged by the new map's walls.
  PERFORM FROM app.player_presence p WHERE p.room_id = map_derive.room_id ORDER BY p.user_id FOR UPDATE;
  SELECT s.x, s.y INTO spawn FROM app.spawn_points s
   WHERE s.room_id = map_derive.room_id AND s.type = 'player' AND s.x < mw AND s.y < mh
     AND pg_catalog.get_bit(map_collision, s.y * mw + s.x) = 0
   ORDER BY s.slug COLLATE "C" LIMIT 1;
  IF spawn.x IS NULL THEN
    SELECT (map_settings ->> 'default_spawn_x')::integer AS x, (map_settings ->> 'default_spawn_y')::integer AS y INTO spawn;
  END IF;
  WITH relocated AS (
    UPDATE app.player_presence p SET x = spawn.x, y = spawn.y, last_update = pg_catalog.clock_timestamp()
     WHERE p.room_id = map_derive.room_id
       AND (p.x >= mw OR p.y >= mh OR pg_catalog.get_bit(map_collision, p.y * mw + p.x) = 1)
    RETURNING p.user_id, p.x, p.y, p.direction, p.status)
  SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('user_id', r.user_id, 'x', r.x, 'y', r.y, 'direction', r.direction)
                              ORDER BY r.user_id)
    INTO moved FROM relocated r WHERE r.status <> 'offline';

  UPDATE app.rooms r SET
    width_tiles = mw, height_tiles = mh,
    default_spawn_x = (map_settings ->> 'default_spawn_x')::integer,
    default_spawn_y = (map_settings ->> 'default_spawn_y')::integer,
    name = coalesce(map_derive.name, map_settings ->> 'name', r.name),
    max_speed = coalesce((map_settings ->> 'max_speed')::numeric, r.max_speed),
    proximity_radius = coalesce((map_settings ->> 'proximity_radius')::integer, r.proximity_radius),
    map_version = map_derive.version
   WHERE r.id = map_derive.room_id;

  WHILE i < coalesce(pg_catalog.jsonb_array_length(moved), 0) LOOP
    PERFORM app.presence_notify(pg_catalog.jsonb_build_object(
      'type', 'moves',
      'moves', (SELECT pg_catalog.jsonb_agg(e.value ORDER BY e.o) FROM pg_catalog.jsonb_array_elements(moved) WITH ORDINALITY AS e(value, o)
                 WHERE e.o > i AND e.o <= i + chunk_size)) || app.room_where(map_derive.room_id));
    i := i + chunk_size;
  END LOOP;

END
$$;


ALTER FUNCTION app.map_derive(room_id uuid, version integer, name text, map_summary jsonb, map_collision bit varying, map_buildings jsonb, map_spawns jsonb, map_settings jsonb) OWNER TO postgres;

--
-- Name: FUNCTION map_derive(room_id uuid, version integer, name text, map_summary jsonb, map_collision bit varying, map_buildings jsonb, map_spawns jsonb, map_settings jsonb); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.map_derive(room_id uuid, version integer, name text, map_summary jsonb, map_collision bit varying, map_buildings jsonb, map_spawns jsonb, map_settings jsonb) IS 'Derives the room from version `version` of its map, given what app.map_check made of it (it found no error): size, settings, derived buildings and spawn points, players moved off new walls.';


--
-- Name: map_editor_world_ids(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.map_editor_world_ids() RETURNS uuid[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL SAFE
    SET search_path TO ''
    AS $$
BEGIN
  CASE coalesce(auth.claims() ->> 'role', 'web_anon')
    WHEN 'player' THEN RETURN app.editable_world_ids();
    WHEN 'content_admin' THEN RETURN app.installation_world_ids(true);
    ELSE RETURN '{}';
  END CASE;
END
$$;


ALTER FUNCTION app.map_editor_world_ids() OWNER TO postgres;

--
-- Name: FUNCTION map_editor_world_ids(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.map_editor_world_ids() IS 'The worlds whose maps the caller publishes and whose history they read: their own and edited worlds for a player, the installation''s for content_admin.';


--
-- Name: map_int(jsonb); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.map_int(v jsonb) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO ''
    RETURN CASE WHEN ((jsonb_typeof(v) = 'number'::text) AND ((((v #>> '{}'::text[]))::numeric % (1)::numeric) = (0)::numeric) AND (abs(((v #>> '{}'::text[]))::numeric) < (2147483647)::numeric)) THEN (((v #>> '{}'::text[]))::numeric)::integer ELSE NULL::integer END;


ALTER FUNCTION app.map_int(v jsonb) OWNER TO postgres;

--
-- Name: map_num(jsonb); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.map_num(v jsonb) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO ''
    RETURN CASE WHEN ((jsonb_typeof(v) = 'number'::text) AND (abs(((v #>> '{}'::text[]))::numeric) < '1000000000'::numeric)) THEN ((v #>> '{}'::text[]))::double precision ELSE NULL::double precision END;


ALTER FUNCTION app.map_num(v jsonb) OWNER TO postgres;

--
-- Name: map_problem(text, text, text); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.map_problem(path text, message text, severity text DEFAULT 'error'::text) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO ''
    RETURN jsonb_build_object('severity', severity, 'path', path, 'message', message);


ALTER FUNCTION app.map_problem(path text, message text, severity text) OWNER TO postgres;

--
-- Name: map_prop(jsonb, text); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.map_prop(props jsonb, prop text, OUT idx integer, OUT value jsonb) RETURNS record
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path TO ''
    AS $$
BEGIN
  SELECT (e.o - 1)::integer, e.p -> 'value' INTO idx, value
    FROM pg_catalog.jsonb_array_elements(CASE WHEN pg_catalog.jsonb_typeof(props) = 'array' THEN props ELSE '[]' END)
         WITH ORDINALITY AS e(p, o)
   WHERE e.p ->> 'name' = prop
   ORDER BY e.o
   LIMIT 1;
END
$$;


ALTER FUNCTION app.map_prop(props jsonb, prop text, OUT idx integer, OUT value jsonb) OWNER TO postgres;

--
-- Name: map_publish(app.worlds, text, jsonb, text, text, uuid, integer); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.map_publish(w app.worlds, room_slug text, map jsonb, name text, publisher_role text, publisher uuid, restored_from integer DEFAULT NULL::integer) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $_$
DECLARE
  room app.rooms;
  checked record;
  problems jsonb;
  v integer;
  mw integer;
  mh integer;
BEGIN
  IF room_slug IS NULL OR room_slug !~ '^[a-z0-9]+(-[a-z0-9]+)*$' OR pg_catalog.char_length(room_slug) > 64 THEN
    PERFORM app.raise_api_error(400, 'PT400', 'room_slug must be a slug', 'Lowercase letters, digits and single dashes, at most 64 characters.',
                                pg_catalog.jsonb_build_object('room_slug', pg_catalog.left(room_slug, 64)));
  END IF;
  IF name IS NOT NULL AND (pg_catalog.char_length(name) NOT BETWEEN 1 AND 64 OR name ~ '[[:cntrl:]]') THEN
    PERFORM app.raise_api_error(400, 'PT400', 'name must be 1 to 64 characters', 'Leave name out to take the map''s property name.',
                                pg_catalog.jsonb_build_object('name', pg_catalog.left(name, 64)));
  END IF;
  -- Publishers of one room queue on its row, so versions are numbered without gaps or twins.
  SELECT * INTO room FROM app.rooms r WHERE r.world_id = w.id AND r.slug = room_slug FOR UPDATE;
  checked := app.map_check(map, w.id, room.id);
  problems := checked.errors;
  IF problems @> '[{"severity": "error"}]' THEN
    PERFORM app.map_refuse(problems);
  END IF;
  mw := (checked.summary ->> 'width')::integer;
  mh := (checked.summary ->> 'height')::integer;

  IF room.id IS NULL THEN
    INSERT INTO app.rooms (world_id, slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y)
    VALUES (w.id, room_slug, coalesce(name, checked.settings ->> 'name', room_slug), room_slug, mw, mh,
            (checked.settings ->> 'default_spawn_x')::integer, (checked.settings ->> 'default_spawn_y')::integer)
    ON CONFLICT (world_id, slug) DO NOTHING;
    -- A concurrent publisher may have created it first: either way, queue on it now.
    SELECT * INTO room FROM app.rooms r WHERE r.world_id = w.id AND r.slug = room_slug FOR UPDATE;
  END IF;

  v := coalesce((SELECT max(x.version) FROM app.map_versions x WHERE x.room_id = room.id), 0) + 1;
  INSERT INTO app.map_versions (room_id, world_id, version, name, map, summary, width, height, collision,
                                published_by, publisher_role, restored_from)
  VALUES (room.id, w.id, v, coalesce(name, checked.settings ->> 'name', room.name), map, checked.summary, mw, mh,
          checked.collision, publisher, publisher_role, restored_from);

  PERFORM app.map_derive(room.id, v, name, checked.summary, checked.collision, checked.buildings, checked.spawns,
                         checked.settings);
  RETURN pg_catalog.jsonb_build_object('room_id', room.id, 'version', v, 'summary', checked.summary);
END
$_$;


ALTER FUNCTION app.map_publish(w app.worlds, room_slug text, map jsonb, name text, publisher_role text, publisher uuid, restored_from integer) OWNER TO postgres;

--
-- Name: FUNCTION map_publish(w app.worlds, room_slug text, map jsonb, name text, publisher_role text, publisher uuid, restored_from integer); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.map_publish(w app.worlds, room_slug text, map jsonb, name text, publisher_role text, publisher uuid, restored_from integer) IS 'Publishes a map as the next version of room room_slug of world w (created if missing) and derives the room from it; 400 with every problem when it is not valid. The callers check who may.';


--
-- Name: map_refuse(jsonb); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.map_refuse(problems jsonb) RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
BEGIN
  PERFORM app.raise_api_error(400, 'PT400', 'the map is not valid',
    'Every problem is in details.errors, each with the JSON pointer of what is wrong; POST /rpc/validate_map lists them without publishing.',
    pg_catalog.jsonb_build_object('errors', problems));
END
$$;


ALTER FUNCTION app.map_refuse(problems jsonb) OWNER TO postgres;

--
-- Name: map_slugify(text); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.map_slugify(name text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO ''
    RETURN NULLIF(btrim("left"(btrim(regexp_replace(lower(name), '[^a-z0-9]+'::text, '-'::text, 'g'::text), '-'::text), 64), '-'::text), ''::text);


ALTER FUNCTION app.map_slugify(name text) OWNER TO postgres;

--
-- Name: map_versions_immutable(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.map_versions_immutable() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
BEGIN
  IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT FROM app.rooms r WHERE r.id = OLD.room_id) THEN
    RETURN OLD;  -- the room's deletion cascades
  END IF;
  RAISE EXCEPTION 'map versions are immutable'
    USING ERRCODE = 'integrity_constraint_violation',
          HINT = 'Publish a new version (api.publish_map) or restore an old one (api.restore_map).';
END
$$;


ALTER FUNCTION app.map_versions_immutable() OWNER TO postgres;

--
-- Name: map_world(text); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.map_world(world_slug text) RETURNS app.worlds
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
DECLARE
  w app.worlds;
BEGIN
  IF world_slug IS NULL THEN
    PERFORM app.raise_api_error(400, 'PT400', 'world_slug is required', 'The installation''s own world is ark; GET /worlds lists yours.');
  END IF;
  w := app.agent_world(world_slug);
  IF w.archived_at IS NOT NULL OR NOT w.id = ANY (app.map_editor_world_ids()) THEN
    PERFORM app.raise_api_error(403, 'PT403', 'only the world''s owner and editors publish its maps',
                                'content_admin publishes the installation''s maps; an archived world takes none.',
                                pg_catalog.jsonb_build_object('world', w.slug));
  END IF;
  RETURN w;
END
$$;


ALTER FUNCTION app.map_world(world_slug text) OWNER TO postgres;

--
-- Name: meeting_building_by_jitsi_name(text); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.meeting_building_by_jitsi_name(jitsi_name text) RETURNS uuid
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  SELECT b.id
    FROM app.worlds w
    JOIN app.buildings b ON b.world_id = w.id
   WHERE pg_catalog.strpos(jitsi_name, '_') > 1
     AND w.slug = pg_catalog.split_part(pg_catalog.lower(jitsi_name), '_', 1)
     AND b.type = 'meeting'
     AND pg_catalog.lower(b.jitsi_room) = pg_catalog.substr(pg_catalog.lower(jitsi_name), pg_catalog.strpos(jitsi_name, '_') + 1)
$$;


ALTER FUNCTION app.meeting_building_by_jitsi_name(jitsi_name text) OWNER TO postgres;

--
-- Name: FUNCTION meeting_building_by_jitsi_name(jitsi_name text); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.meeting_building_by_jitsi_name(jitsi_name text) IS 'The meeting building a Jitsi room name (app.meeting_jitsi_name) stands for, or NULL.';


--
-- Name: meeting_call_record(uuid, uuid, text, timestamp with time zone, timestamp with time zone); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.meeting_call_record(building_id uuid, user_id uuid, occupant_jid text, joined_at timestamp with time zone, left_at timestamp with time zone) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
#variable_conflict use_column
DECLARE
  found_row app.meeting_attendance;
  session uuid;
  inserted bigint;
BEGIN
  SELECT * INTO found_row FROM app.meeting_attendance a
   WHERE a.building_id = meeting_call_record.building_id AND a.source = 'call'
     AND a.occupant_jid = meeting_call_record.occupant_jid AND a.joined_at = meeting_call_record.joined_at
     FOR UPDATE;
  IF FOUND THEN
    IF found_row.left_at IS NOT NULL OR meeting_call_record.left_at IS NULL THEN
      RETURN false;  -- a replay
    END IF;
    UPDATE app.meeting_attendance a SET left_at = greatest(meeting_call_record.left_at, a.joined_at)
     WHERE a.id = found_row.id;
    PERFORM app.meeting_close_if_empty(found_row.session_id);
    RETURN true;
  END IF;
  session := app.meeting_open_session(meeting_call_record.building_id);
  INSERT INTO app.meeting_attendance (session_id, building_id, world_id, user_id, source, joined_at, left_at, occupant_jid)
  SELECT s.id, s.building_id, s.world_id, meeting_call_record.user_id, 'call', meeting_call_record.joined_at,
         CASE WHEN meeting_call_record.left_at IS NOT NULL  -- greatest() would turn a NULL into joined_at
              THEN greatest(meeting_call_record.left_at, meeting_call_record.joined_at) END,
         meeting_call_record.occupant_jid
    FROM app.meeting_sessions s WHERE s.id = session
  ON CONFLICT (building_id, occupant_jid, joined_at) WHERE source = 'call' DO NOTHING
  RETURNING id INTO inserted;
  IF meeting_call_record.left_at IS NOT NULL THEN
    PERFORM app.meeting_close_if_empty(session);
  END IF;
  RETURN inserted IS NOT NULL;
END
$$;


ALTER FUNCTION app.meeting_call_record(building_id uuid, user_id uuid, occupant_jid text, joined_at timestamp with time zone, left_at timestamp with time zone) OWNER TO postgres;

--
-- Name: FUNCTION meeting_call_record(building_id uuid, user_id uuid, occupant_jid text, joined_at timestamp with time zone, left_at timestamp with time zone); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.meeting_call_record(building_id uuid, user_id uuid, occupant_jid text, joined_at timestamp with time zone, left_at timestamp with time zone) IS 'Records a call occupant (source call) once per (building, occupant_jid, joined_at); a left_at closes the row, and the session when nobody is left.';


--
-- Name: meeting_close_if_empty(uuid); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.meeting_close_if_empty(session_id uuid) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
BEGIN
  PERFORM FROM app.meeting_sessions s WHERE s.id = meeting_close_if_empty.session_id AND s.ended_at IS NULL FOR UPDATE;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  -- A later statement than the lock: it sees whoever joined and committed while this waited.
  PERFORM FROM app.meeting_attendance a WHERE a.session_id = meeting_close_if_empty.session_id AND a.left_at IS NULL;
  IF FOUND THEN
    RETURN false;
  END IF;
  UPDATE app.meeting_sessions s
     SET ended_at = greatest(pg_catalog.now(), s.started_at,
                             (SELECT max(a.left_at) FROM app.meeting_attendance a WHERE a.session_id = s.id))
   WHERE s.id = meeting_close_if_empty.session_id;
  RETURN true;
END
$$;


ALTER FUNCTION app.meeting_close_if_empty(session_id uuid) OWNER TO postgres;

--
-- Name: FUNCTION meeting_close_if_empty(session_id uuid); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.meeting_close_if_empty(session_id uuid) IS 'Ends a session nobody is in any more (no open zone or call attendance); true when it ended it.';


--
-- Name: meeting_frame(text, uuid, uuid); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.meeting_frame(kind text, building_id uuid, user_id uuid) RETURNS jsonb
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  SELECT pg_catalog.jsonb_build_object('type', kind, 'building_id', b.id, 'user_id', meeting_frame.user_id)
         || app.room_where(b.room_id)
    FROM app.buildings b WHERE b.id = meeting_frame.building_id
$$;


ALTER FUNCTION app.meeting_frame(kind text, building_id uuid, user_id uuid) OWNER TO postgres;

--
-- Name: FUNCTION meeting_frame(kind text, building_id uuid, user_id uuid); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.meeting_frame(kind text, building_id uuid, user_id uuid) IS 'A meeting_joined or meeting_left frame: {type, world, room, building_id, user_id}, addressed to the building''s room.';


--
-- Name: meeting_jitsi_name(text, text); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.meeting_jitsi_name(world_slug text, jitsi_room text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path TO ''
    RETURN ((world_slug || '_'::text) || lower(jitsi_room));


ALTER FUNCTION app.meeting_jitsi_name(world_slug text, jitsi_room text) OWNER TO postgres;

--
-- Name: FUNCTION meeting_jitsi_name(world_slug text, jitsi_room text); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.meeting_jitsi_name(world_slug text, jitsi_room text) IS 'The Jitsi room of a meeting building: <world slug>_<jitsi_room in lower case>, unique per installation (a world slug has no underscore; buildings_meeting_jitsi_room_key).';


--
-- Name: meeting_open_session(uuid); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.meeting_open_session(building_id uuid) RETURNS uuid
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
#variable_conflict use_column
DECLARE
  session uuid;
BEGIN
  LOOP
    INSERT INTO app.meeting_sessions (building_id, world_id, jitsi_room)
    SELECT b.id, b.world_id, app.meeting_jitsi_name(w.slug, b.jitsi_room)
      FROM app.buildings b JOIN app.worlds w ON w.id = b.world_id
     WHERE b.id = meeting_open_session.building_id AND b.type = 'meeting'
    ON CONFLICT (building_id) WHERE ended_at IS NULL DO NOTHING;
    SELECT s.id INTO session FROM app.meeting_sessions s
     WHERE s.building_id = meeting_open_session.building_id AND s.ended_at IS NULL
       FOR UPDATE;
    IF FOUND THEN
      RETURN session;
    END IF;
    -- Closed between the insert and the lock (by the last one out), or the building is gone.
    PERFORM FROM app.buildings b WHERE b.id = meeting_open_session.building_id AND b.type = 'meeting';
    IF NOT FOUND THEN
      RETURN NULL;
    END IF;
  END LOOP;
END
$$;


ALTER FUNCTION app.meeting_open_session(building_id uuid) OWNER TO postgres;

--
-- Name: FUNCTION meeting_open_session(building_id uuid); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.meeting_open_session(building_id uuid) IS 'The open session of a meeting building, opened when there is none (the first one in), locked FOR UPDATE; NULL for no meeting building.';


--
-- Name: buildings; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.buildings (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    room_id uuid NOT NULL,
    slug app.slug NOT NULL,
    name text NOT NULL,
    type text NOT NULL,
    x integer NOT NULL,
    y integer NOT NULL,
    width integer NOT NULL,
    height integer NOT NULL,
    door_x integer NOT NULL,
    door_y integer NOT NULL,
    agent_id uuid,
    target_room_id uuid,
    jitsi_room text,
    world_id uuid NOT NULL,
    derived boolean DEFAULT false NOT NULL,
    CONSTRAINT buildings_height_positive CHECK ((height >= 1)),
    CONSTRAINT buildings_jitsi_room_shape CHECK ((jitsi_room ~ '^[A-Za-z0-9_-]{1,64}$'::text)),
    CONSTRAINT buildings_name_length CHECK (((char_length(name) >= 1) AND (char_length(name) <= 64))),
    CONSTRAINT buildings_no_self_portal CHECK ((target_room_id IS DISTINCT FROM room_id)),
    CONSTRAINT buildings_type_known CHECK ((type = ANY (ARRAY['agent_room'::text, 'meeting'::text, 'portal'::text]))),
    CONSTRAINT buildings_type_needs_target CHECK (
CASE type
    WHEN 'agent_room'::text THEN (agent_id IS NOT NULL)
    WHEN 'portal'::text THEN (target_room_id IS NOT NULL)
    WHEN 'meeting'::text THEN (jitsi_room IS NOT NULL)
    ELSE NULL::boolean
END),
    CONSTRAINT buildings_width_positive CHECK ((width >= 1)),
    CONSTRAINT buildings_x_nonnegative CHECK ((x >= 0)),
    CONSTRAINT buildings_y_nonnegative CHECK ((y >= 0))
);

ALTER TABLE ONLY app.buildings FORCE ROW LEVEL SECURITY;


ALTER TABLE app.buildings OWNER TO postgres;

--
-- Name: TABLE buildings; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.buildings IS 'Zones in a room. An agent_room needs agent_id, a portal target_room_id, a meeting jitsi_room.';


--
-- Name: COLUMN buildings.target_room_id; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app.buildings.target_room_id IS 'The room the door leads to (required for portals; an agent_room leads to its agent''s room).';


--
-- Name: COLUMN buildings.derived; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app.buildings.derived IS 'Made from the room''s map: replaced on each publish. Hand-made rows (false) stay.';


--
-- Name: meeting_zone_holds(app.buildings, uuid, integer, integer, text); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.meeting_zone_holds(b app.buildings, room_id uuid, x integer, y integer, status text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (((b).type = 'meeting'::text) AND ((b).room_id = room_id) AND (status <> 'offline'::text) AND (x >= (b).x) AND (x < ((b).x + (b).width)) AND (y >= (b).y) AND (y < ((b).y + (b).height)));


ALTER FUNCTION app.meeting_zone_holds(b app.buildings, room_id uuid, x integer, y integer, status text) OWNER TO postgres;

--
-- Name: FUNCTION meeting_zone_holds(b app.buildings, room_id uuid, x integer, y integer, status text); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.meeting_zone_holds(b app.buildings, room_id uuid, x integer, y integer, status text) IS 'Whether a player at (room_id, x, y) with this status stands in meeting building b''s zone: the zone rule.';


--
-- Name: meeting_zones_after_delete(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.meeting_zones_after_delete() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  users uuid[];
BEGIN
  SELECT pg_catalog.array_agg(o.user_id) INTO users FROM old_rows o;
  IF users IS NOT NULL THEN
    PERFORM app.meeting_zones_follow(users);
  END IF;
  RETURN NULL;
END
$$;


ALTER FUNCTION app.meeting_zones_after_delete() OWNER TO postgres;

--
-- Name: FUNCTION meeting_zones_after_delete(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.meeting_zones_after_delete() IS 'Zone attendance of players whose presence row is gone: they leave their meeting.';


--
-- Name: meeting_zones_after_insert(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.meeting_zones_after_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  users uuid[];
BEGIN
  SELECT pg_catalog.array_agg(n.user_id) INTO users FROM new_rows n WHERE n.status <> 'offline';
  IF users IS NOT NULL THEN
    PERFORM app.meeting_zones_follow(users);
  END IF;
  RETURN NULL;
END
$$;


ALTER FUNCTION app.meeting_zones_after_insert() OWNER TO postgres;

--
-- Name: FUNCTION meeting_zones_after_insert(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.meeting_zones_after_insert() IS 'Zone attendance of players who entered presence (app.meeting_zones_follow).';


--
-- Name: meeting_zones_after_update(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.meeting_zones_after_update() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  users uuid[];
BEGIN
  -- The move path: one query per statement finds the players for whom some meeting building of the old or
  -- the new room holds exactly one of their two places (usually none); only those are looked at further.
  -- A building that moves, grows or goes is handled by its own trigger (meeting_zones_building).
  SELECT pg_catalog.array_agg(n.user_id) INTO users
    FROM new_rows n JOIN old_rows o ON o.user_id = n.user_id
   WHERE EXISTS (SELECT FROM app.buildings b
                  WHERE b.room_id IN (n.room_id, o.room_id) AND b.type = 'meeting'
                    AND app.meeting_zone_holds(b, n.room_id, n.x, n.y, n.status)
                        <> app.meeting_zone_holds(b, o.room_id, o.x, o.y, o.status));
  IF users IS NOT NULL THEN
    PERFORM app.meeting_zones_follow(users);
  END IF;
  RETURN NULL;
END
$$;


ALTER FUNCTION app.meeting_zones_after_update() OWNER TO postgres;

--
-- Name: FUNCTION meeting_zones_after_update(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.meeting_zones_after_update() IS 'Zone attendance of players who stepped into or out of a meeting building''s zone (app.meeting_zones_follow).';


--
-- Name: meeting_zones_building(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.meeting_zones_building() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  rooms uuid[] := ARRAY[]::uuid[];
  users uuid[];
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.type = 'meeting' THEN
    rooms := rooms || OLD.room_id;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.type = 'meeting' THEN
    rooms := rooms || NEW.room_id;
  END IF;
  IF rooms <> '{}' THEN
    SELECT pg_catalog.array_agg(p.user_id) INTO users FROM app.player_presence p
     WHERE p.room_id = ANY (rooms) AND p.status <> 'offline';
    IF users IS NOT NULL THEN
      PERFORM app.meeting_zones_follow(users);
    END IF;
  END IF;
  RETURN NULL;
END
$$;


ALTER FUNCTION app.meeting_zones_building() OWNER TO postgres;

--
-- Name: FUNCTION meeting_zones_building(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.meeting_zones_building() IS 'A meeting building changed: zone attendance of the players in its rooms follows (app.meeting_zones_follow).';


--
-- Name: meeting_zones_follow(uuid[]); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.meeting_zones_follow(users uuid[]) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO ''
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
DECLARE
  change record;
  session uuid;
BEGIN
  FOR change IN
    WITH want AS (
      SELECT p.user_id, z.id AS building_id
        FROM app.player_presence p
        JOIN LATERAL (SELECT b.id FROM app.buildings b
                       WHERE b.room_id = p.room_id AND app.meeting_zone_holds(b, p.room_id, p.x, p.y, p.status)
                       ORDER BY b.slug LIMIT 1) z ON true
       WHERE p.user_id = ANY (users)),
    have AS (
      SELECT a.id, a.user_id, a.building_id, a.session_id
        FROM app.meeting_attendance a
       WHERE a.user_id = ANY (users) AND a.source = 'zone' AND a.left_at IS NULL)
    SELECT coalesce(w.user_id, h.user_id) AS user_id, w.building_id AS enters, h.building_id AS leaves,
           h.id AS attendance, h.session_id
      FROM want w FULL JOIN have h ON h.user_id = w.user_id
     WHERE w.building_id IS DISTINCT FROM h.building_id
     ORDER BY 1
  LOOP
    IF change.leaves IS NOT NULL THEN
      UPDATE app.meeting_attendance a SET left_at = greatest(pg_catalog.now(), a.joined_at) WHERE a.id = change.attendance;
      PERFORM app.meeting_close_if_empty(change.session_id);
      PERFORM app.presence_notify(app.meeting_frame('meeting_left', change.leaves, change.user_id));
    END IF;
    IF change.enters IS NOT NULL THEN
      session := app.meeting_open_session(change.enters);
      INSERT INTO app.meeting_attendance (session_id, building_id, world_id, user_id, source)
      SELECT s.id, s.building_id, s.world_id, change.user_id, 'zone' FROM app.meeting_sessions s WHERE s.id = session;
      PERFORM app.presence_notify(app.meeting_frame('meeting_joined', change.enters, change.user_id));
    END IF;
  END LOOP;
END
$$;


ALTER FUNCTION app.meeting_zones_follow(users uuid[]) OWNER TO postgres;

--
-- Name: FUNCTION meeting_zones_follow(users uuid[]); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.meeting_zones_follow(users uuid[]) IS 'Zone attendance follows presence for these players: entering a meeting building''s rectangle joins its meeting, stepping out, leaving the room or going offline leaves it (meeting_joined / meeting_left to the building''s room).';


--
-- Name: member_world_ids(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.member_world_ids() RETURNS uuid[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL SAFE
    SET search_path TO ''
    AS $$
DECLARE
  ids uuid[];
BEGIN
  SELECT coalesce(pg_catalog.array_agg(m.world_id), '{}') INTO ids
    FROM app.world_members m JOIN app.worlds w ON w.id = m.world_id
   WHERE m.user_id = auth.user_id() AND (w.archived_at IS NULL OR w.owner_id = m.user_id)
     AND NOT EXISTS (SELECT FROM app.world_bans b
                      WHERE b.world_id = m.world_id AND b.user_id = m.user_id
                        AND (b.until IS NULL OR b.until > pg_catalog.now()));
  RETURN ids;
END
$$;


ALTER FUNCTION app.member_world_ids() OWNER TO postgres;

--
-- Name: FUNCTION member_world_ids(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.member_world_ids() IS 'The worlds the signed-in player is a member of (an archived one only for its owner), not one they are banned from.';


--
-- Name: move_blocked(uuid, integer, integer, integer, integer); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.move_blocked(room_id uuid, from_x integer, from_y integer, to_x integer, to_y integer) RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
DECLARE
  grid bit varying;
  w integer;
  h integer;
  nx integer := abs(to_x - from_x);
  ny integer := abs(to_y - from_y);
  sx integer := sign(to_x - from_x)::integer;
  sy integer := sign(to_y - from_y)::integer;
  px integer := from_x;
  py integer := from_y;
  ix integer := 0;
  iy integer := 0;
  decision bigint;
BEGIN
  SELECT m.collision, m.width, m.height INTO grid, w, h
    FROM app.rooms r JOIN app.map_versions m ON m.room_id = r.id AND m.version = r.map_version
   WHERE r.id = move_blocked.room_id;
  IF grid IS NULL THEN
    RETURN false;  -- a room without a map has no walls
  END IF;
  -- The tile the player stands on is not asked: who stands on a wall (placed there by hand) may step off.
  WHILE ix < nx OR iy < ny LOOP
    -- Which border the segment crosses next: the vertical one (x), the horizontal one (y), or a corner.
    decision := (1 + 2 * ix)::bigint * ny - (1 + 2 * iy)::bigint * nx;
    IF decision = 0 THEN
      -- Through a corner: both tiles beside it count.
      IF px + sx BETWEEN 0 AND w - 1 AND py BETWEEN 0 AND h - 1 AND pg_catalog.get_bit(grid, py * w + px + sx) = 1
         OR px BETWEEN 0 AND w - 1 AND py + sy BETWEEN 0 AND h - 1 AND pg_catalog.get_bit(grid, (py + sy) * w + px) = 1 THEN
        RETURN true;
      END IF;
      px := px + sx; py := py + sy; ix := ix + 1; iy := iy + 1;
    ELSIF decision < 0 THEN
      px := px + sx; ix := ix + 1;
    ELSE
      py := py + sy; iy := iy + 1;
    END IF;
    IF px BETWEEN 0 AND w - 1 AND py BETWEEN 0 AND h - 1 AND pg_catalog.get_bit(grid, py * w + px) = 1 THEN
      RETURN true;
    END IF;
  END LOOP;
  RETURN false;
END
$$;


ALTER FUNCTION app.move_blocked(room_id uuid, from_x integer, from_y integer, to_x integer, to_y integer) OWNER TO postgres;

--
-- Name: FUNCTION move_blocked(room_id uuid, from_x integer, from_y integer, to_x integer, to_y integer); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.move_blocked(room_id uuid, from_x integer, from_y integer, to_x integer, to_y integer) IS 'Whether a move from (from_x, from_y) to (to_x, to_y) in the room ends on or crosses a wall of the room''s current map: a supercover line, so a diagonal past a wall''s corner is blocked too.';


--
-- Name: player_presence; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.player_presence (
    user_id uuid NOT NULL,
    room_id uuid NOT NULL,
    x integer NOT NULL,
    y integer NOT NULL,
    direction app.direction DEFAULT 'down'::text NOT NULL,
    status app.presence_status DEFAULT 'online'::text NOT NULL,
    session_token text,
    last_update timestamp with time zone DEFAULT now() NOT NULL,
    moved_at timestamp with time zone DEFAULT now() NOT NULL,
    move_budget real DEFAULT 0 NOT NULL,
    CONSTRAINT player_presence_move_budget_nonnegative CHECK ((move_budget >= (0)::double precision))
);

ALTER TABLE ONLY app.player_presence FORCE ROW LEVEL SECURITY;


ALTER TABLE app.player_presence OWNER TO postgres;

--
-- Name: TABLE player_presence; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.player_presence IS 'Last known room, position and status of each player.';


--
-- Name: COLUMN player_presence.session_token; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app.player_presence.session_token IS 'The connection that owns this presence; a late disconnect of an older connection changes nothing.';


--
-- Name: COLUMN player_presence.moved_at; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app.player_presence.moved_at IS 'When the last move was accepted (server clock).';


--
-- Name: COLUMN player_presence.move_budget; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app.player_presence.move_budget IS 'Tiles the player may still move right now (refills at max_speed per second).';


--
-- Name: rooms; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.rooms (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    slug app.slug NOT NULL,
    name text NOT NULL,
    tilemap_key text,
    width_tiles integer NOT NULL,
    height_tiles integer NOT NULL,
    default_spawn_x integer NOT NULL,
    default_spawn_y integer NOT NULL,
    is_main boolean DEFAULT false NOT NULL,
    max_speed numeric DEFAULT 10 NOT NULL,
    proximity_radius integer DEFAULT 5 NOT NULL,
    world_id uuid NOT NULL,
    main_of_world uuid GENERATED ALWAYS AS (
CASE
    WHEN is_main THEN world_id
    ELSE NULL::uuid
END) STORED,
    map_version integer,
    CONSTRAINT rooms_default_spawn_inside CHECK ((((default_spawn_x >= 0) AND (default_spawn_x <= (width_tiles - 1))) AND ((default_spawn_y >= 0) AND (default_spawn_y <= (height_tiles - 1))))),
    CONSTRAINT rooms_height_range CHECK (((height_tiles >= 1) AND (height_tiles <= 1000))),
    CONSTRAINT rooms_max_speed_positive CHECK (((max_speed > (0)::numeric) AND (max_speed <= (100)::numeric))),
    CONSTRAINT rooms_name_length CHECK (((char_length(name) >= 1) AND (char_length(name) <= 64))),
    CONSTRAINT rooms_proximity_radius_range CHECK (((proximity_radius >= 0) AND (proximity_radius <= 100))),
    CONSTRAINT rooms_tilemap_key_shape CHECK ((tilemap_key ~ '^[A-Za-z0-9_./-]{1,128}$'::text)),
    CONSTRAINT rooms_width_range CHECK (((width_tiles >= 1) AND (width_tiles <= 1000)))
);

ALTER TABLE ONLY app.rooms FORCE ROW LEVEL SECURITY;


ALTER TABLE app.rooms OWNER TO postgres;

--
-- Name: TABLE rooms; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.rooms IS 'Tile maps players walk in. Exactly the rows here exist in the game; add a row to add a room.';


--
-- Name: COLUMN rooms.is_main; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app.rooms.is_main IS 'The main room of its world, where players start; at most one per world.';


--
-- Name: COLUMN rooms.max_speed; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app.rooms.max_speed IS 'Fastest allowed movement, in tiles per second.';


--
-- Name: COLUMN rooms.proximity_radius; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app.rooms.proximity_radius IS 'How far, in tiles, proximity chat carries.';


--
-- Name: COLUMN rooms.world_id; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app.rooms.world_id IS 'The world the room belongs to; a room without one goes to the default world (app.world_settings).';


--
-- Name: COLUMN rooms.main_of_world; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app.rooms.main_of_world IS 'world_id for its world''s main room, NULL for the others: what rooms_one_main_per_world keeps unique.';


--
-- Name: COLUMN rooms.map_version; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app.rooms.map_version IS 'The current map (app.map_versions), NULL for a room without one: no walls.';


--
-- Name: move_verdict(app.player_presence, app.rooms, integer, integer, text, timestamp with time zone); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.move_verdict(here app.player_presence, room app.rooms, x integer, y integer, direction text, at timestamp with time zone, OUT reason text, OUT message text, OUT budget double precision) RETURNS record
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
DECLARE
  min_cost CONSTANT double precision := 0.25;
  distance double precision;
BEGIN
  IF here.user_id IS NULL OR here.status = 'offline' THEN
    reason := 'not_in_room'; message := 'join a room before moving';
  ELSIF x IS NULL OR y IS NULL THEN
    reason := 'bad_position'; message := 'x and y must be whole numbers of tiles';
  ELSIF direction IS NULL OR direction NOT IN ('up', 'down', 'left', 'right') THEN
    reason := 'bad_direction'; message := 'direction must be up, down, left or right';
  ELSIF x NOT BETWEEN 0 AND room.width_tiles - 1 OR y NOT BETWEEN 0 AND room.height_tiles - 1 THEN
    reason := 'outside_room';
    message := pg_catalog.format('(%s, %s) lies outside %s, which is %s x %s tiles', x, y, room.slug,
                                 room.width_tiles, room.height_tiles);
  ELSE
    -- Token bucket: refill for the time since the budget was last spent, capped at one second's walk
    -- plus one tile of tolerance; a move spends its straight-line length, and at least min_cost.
    budget := least(here.move_budget + greatest(extract(epoch FROM at - here.moved_at), 0) * room.max_speed,
                    room.max_speed + 1);
    distance := greatest(sqrt(((x - here.x) ^ 2 + (y - here.y) ^ 2)::double precision), min_cost);
    IF distance > budget + 1e-9 THEN
      reason := 'too_fast';
      message := pg_catalog.format('a move of %s tiles exceeds the %s tiles allowed now (max_speed %s tiles/s)',
                                   round(distance::numeric, 2), round(budget::numeric, 2), room.max_speed);
    ELSIF app.move_blocked(room.id, here.x, here.y, x, y) THEN
      -- After the budget: a wall is the costlier question, and a too-fast move is refused either way.
      reason := 'blocked';
      message := pg_catalog.format('the way from (%s, %s) to (%s, %s) is blocked by a wall', here.x, here.y, x, y);
    ELSE
      budget := greatest(budget - distance, 0);
      RETURN;
    END IF;
  END IF;
  budget := NULL;
END
$$;


ALTER FUNCTION app.move_verdict(here app.player_presence, room app.rooms, x integer, y integer, direction text, at timestamp with time zone, OUT reason text, OUT message text, OUT budget double precision) OWNER TO postgres;

--
-- Name: FUNCTION move_verdict(here app.player_presence, room app.rooms, x integer, y integer, direction text, at timestamp with time zone, OUT reason text, OUT message text, OUT budget double precision); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.move_verdict(here app.player_presence, room app.rooms, x integer, y integer, direction text, at timestamp with time zone, OUT reason text, OUT message text, OUT budget double precision) IS 'The move rule: reason is NULL when the move is accepted (budget is then the move budget left), else not_in_room, bad_position, bad_direction, outside_room, too_fast or blocked, with a readable message. Every move costs at least 0.25 tiles, a turn on the spot too.';


--
-- Name: my_world_role(uuid); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.my_world_role(w uuid) RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL SAFE
    SET search_path TO ''
    AS $$
BEGIN
  RETURN (SELECT m.role FROM app.world_members m WHERE m.world_id = w AND m.user_id = auth.user_id());
END
$$;


ALTER FUNCTION app.my_world_role(w uuid) OWNER TO postgres;

--
-- Name: FUNCTION my_world_role(w uuid); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.my_world_role(w uuid) IS 'The signed-in player''s role in the world, or NULL.';


--
-- Name: point_inside_room(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.point_inside_room() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  PERFORM app.assert_inside_room(NEW.room_id, NEW.x, NEW.y, TG_TABLE_NAME || ' position');
  RETURN NEW;
END
$$;


ALTER FUNCTION app.point_inside_room() OWNER TO postgres;

--
-- Name: presence_enter(uuid, text, text, text); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.presence_enter(user_id uuid, room_slug text, connection text, world_slug text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
DECLARE
  world app.worlds;
  room app.rooms;
  previous app.player_presence;
  had_presence boolean;
  was_here boolean;
  start_x integer;
  start_y integer;
  start_direction text;
  new_status text;
BEGIN
  IF room_slug IS NULL OR pg_catalog.btrim(room_slug) = '' THEN
    RAISE EXCEPTION 'room_slug is required'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send the slug of a room, e.g. town (GET /rooms).';
  END IF;
  -- The account first: app.world_by_slug records a visit, which needs an existing user.
  PERFORM FROM app.users u WHERE u.id = presence_enter.user_id;
  IF NOT FOUND THEN
    PERFORM app.raise_api_error(401, 'PT401', 'this account no longer exists', 'Sign in again.');
  END IF;
  world := app.world_by_slug(coalesce(presence_enter.world_slug,
                                      (SELECT s.default_world_slug FROM app.world_settings s)),
                             presence_enter.user_id);
  IF world.id IS NOT NULL THEN
    -- The rules are checked under the world row's share lock, which every change that takes players
    -- out (app.world_evict, at its commit) takes FOR UPDATE first: either that change sees this
    -- presence and takes it out, or this join waits for it and sees the change.
    SELECT * INTO world FROM app.worlds x WHERE x.id = world.id FOR SHARE;
  END IF;
  IF world.id IS NOT NULL AND app.world_may_enter(world, presence_enter.user_id) THEN
    -- FOR KEY SHARE waits for a publish of the room's map (it holds the room FOR UPDATE), so the spawn
    -- chosen below is the new map's: a player entering during a publish never lands on its new walls.
    SELECT * INTO room FROM app.rooms r WHERE r.world_id = world.id AND r.slug = presence_enter.room_slug FOR KEY SHARE;
  END IF;
  IF room.id IS NULL THEN
    -- An unknown world, a world this player may not enter and an unknown room: one answer.
    PERFORM app.raise_api_error(404, 'PT404', 'unknown room', 'GET /rooms lists the rooms.',
                                pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object('room_slug', room_slug, 'world_slug', world_slug)));
  END IF;

  SELECT * INTO previous FROM app.player_presence p WHERE p.user_id = presence_enter.user_id FOR UPDATE;
  had_presence := FOUND;
  was_here := had_presence AND previous.room_id = room.id AND previous.status <> 'offline';

  IF had_presence AND previous.room_id = room.id THEN
    -- Back in the room of the last visit: continue where the player stood.
    start_x := previous.x; start_y := previous.y; start_direction := previous.direction;
  ELSE
    SELECT s.x, s.y, s.direction INTO start_x, start_y, start_direction
      FROM app.spawn_points s WHERE s.room_id = room.id AND s.type = 'player' ORDER BY s.slug LIMIT 1;
    IF NOT FOUND THEN
      start_x := room.default_spawn_x; start_y := room.default_spawn_y; start_direction := 'down';
    END IF;
  END IF;
  new_status := CASE WHEN was_here AND previous.status = 'busy' THEN 'busy' ELSE 'online' END;

  INSERT INTO app.player_presence AS p
         (user_id, room_id, x, y, direction, status, session_token, last_update, moved_at, move_budget)
  VALUES (presence_enter.user_id, room.id, start_x, start_y, start_direction, new_status, connection,
          pg_catalog.now(), pg_catalog.clock_timestamp(), room.max_speed + 1)
  ON CONFLICT ON CONSTRAINT player_presence_pkey DO UPDATE
     SET room_id = EXCLUDED.room_id, x = EXCLUDED.x, y = EXCLUDED.y, direction = EXCLUDED.direction,
         status = EXCLUDED.status, session_token = EXCLUDED.session_token, last_update = EXCLUDED.last_update,
         -- Rejoining the same room must not refill the move allowance, or join-move-join outruns max_speed.
         moved_at = CASE WHEN p.room_id = EXCLUDED.room_id THEN p.moved_at ELSE EXCLUDED.moved_at END,
         move_budget = CASE WHEN p.room_id = EXCLUDED.room_id THEN p.move_budget ELSE EXCLUDED.move_budget END;

  IF had_presence AND previous.status <> 'offline' AND previous.room_id <> room.id THEN
    PERFORM app.presence_notify(pg_catalog.jsonb_build_object('type', 'player_left', 'user_id', presence_enter.user_id)
                                || app.room_where(previous.room_id));
  END IF;
  IF NOT was_here THEN
    PERFORM app.presence_notify(pg_catalog.jsonb_build_object(
      'type', 'player_joined', 'world', world.slug, 'room', room.slug,
      'player', app.presence_player(presence_enter.user_id)));
  ELSIF previous.status <> new_status THEN
    PERFORM app.presence_notify(pg_catalog.jsonb_build_object(
      'type', 'player_status', 'world', world.slug, 'room', room.slug, 'user_id', presence_enter.user_id,
      'status', new_status));
  END IF;

  RETURN app.presence_state(room.id);
END
$$;


ALTER FUNCTION app.presence_enter(user_id uuid, room_slug text, connection text, world_slug text) OWNER TO postgres;

--
-- Name: FUNCTION presence_enter(user_id uuid, room_slug text, connection text, world_slug text); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.presence_enter(user_id uuid, room_slug text, connection text, world_slug text) IS 'Puts a player in a room of a world (the default world when world_slug is NULL; at the saved position if they were last there, else at its player spawn) and returns presence_state. A world they may not enter answers 404 unknown room, like a room that does not exist. Rejoining the room one is already in announces nothing.';


--
-- Name: presence_leave(uuid, text); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.presence_leave(user_id uuid, connection text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
DECLARE
  left_room uuid;
  saved jsonb;
  place jsonb;
BEGIN
  -- With a connection, only that connection may end the presence: a player who reconnected
  -- elsewhere within the grace period keeps playing.
  UPDATE app.player_presence p
     SET status = 'offline', session_token = NULL, last_update = pg_catalog.now()
   WHERE p.user_id = presence_leave.user_id AND p.status <> 'offline'
     AND (connection IS NULL OR p.session_token = connection)
  RETURNING p.room_id, pg_catalog.jsonb_build_object('x', p.x, 'y', p.y, 'direction', p.direction)
       INTO left_room, saved;
  IF left_room IS NOT NULL THEN
    place := app.room_where(left_room);
    PERFORM app.presence_notify(pg_catalog.jsonb_build_object('type', 'player_left', 'user_id', presence_leave.user_id)
                                || place);
    RETURN saved || place;
  END IF;
  RETURN NULL;
END
$$;


ALTER FUNCTION app.presence_leave(user_id uuid, connection text) OWNER TO postgres;

--
-- Name: FUNCTION presence_leave(user_id uuid, connection text); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.presence_leave(user_id uuid, connection text) IS 'Marks a player offline (keeping their position) and announces player_left. Returns the saved position with its world and room, or NULL if nothing changed.';


--
-- Name: presence_move(uuid, integer, integer, text, timestamp with time zone); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.presence_move(user_id uuid, x integer, y integer, direction text, at timestamp with time zone, OUT reason text, OUT message text, OUT room_slug text, OUT room_id uuid) RETURNS record
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
DECLARE
  here app.player_presence;
  room app.rooms;
  verdict record;
BEGIN
  SELECT * INTO here FROM app.player_presence p WHERE p.user_id = presence_move.user_id FOR UPDATE;
  SELECT * INTO room FROM app.rooms r WHERE r.id = here.room_id;
  room_slug := room.slug;
  room_id := room.id;
  verdict := app.move_verdict(here, room, x, y, direction, at);
  reason := verdict.reason;
  message := verdict.message;
  IF reason IS NULL THEN
    UPDATE app.player_presence p
       SET x = presence_move.x, y = presence_move.y, direction = presence_move.direction,
           move_budget = verdict.budget, moved_at = at, last_update = at
     WHERE p.user_id = presence_move.user_id;
  END IF;
END
$$;


ALTER FUNCTION app.presence_move(user_id uuid, x integer, y integer, direction text, at timestamp with time zone, OUT reason text, OUT message text, OUT room_slug text, OUT room_id uuid) OWNER TO postgres;

--
-- Name: FUNCTION presence_move(user_id uuid, x integer, y integer, direction text, at timestamp with time zone, OUT reason text, OUT message text, OUT room_slug text, OUT room_id uuid); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.presence_move(user_id uuid, x integer, y integer, direction text, at timestamp with time zone, OUT reason text, OUT message text, OUT room_slug text, OUT room_id uuid) IS 'Validates one move by app.move_verdict and applies it. reason is NULL when accepted, else not_in_room, bad_position, bad_direction, outside_room, too_fast or blocked, with a readable message; room_slug and room_id name the mover''s room.';


--
-- Name: presence_notify(jsonb); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.presence_notify(frame jsonb) RETURNS void
    LANGUAGE sql
    SET search_path TO ''
    AS $$ SELECT pg_catalog.pg_notify('presence', frame::text) $$;


ALTER FUNCTION app.presence_notify(frame jsonb) OWNER TO postgres;

--
-- Name: FUNCTION presence_notify(frame jsonb); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.presence_notify(frame jsonb) IS 'Announces a presence frame to every bridge.';


--
-- Name: presence_player(uuid); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.presence_player(user_id uuid) RETURNS jsonb
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  SELECT pg_catalog.jsonb_build_object(
           'user_id', u.id, 'display_name', u.display_name, 'avatar_sprite', u.avatar_sprite,
           'x', p.x, 'y', p.y, 'direction', p.direction, 'status', p.status)
    FROM app.player_presence p
    JOIN app.users u ON u.id = p.user_id
   WHERE p.user_id = presence_player.user_id
$$;


ALTER FUNCTION app.presence_player(user_id uuid) OWNER TO postgres;

--
-- Name: FUNCTION presence_player(user_id uuid); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.presence_player(user_id uuid) IS 'One player as presence frames show them.';


--
-- Name: presence_set_status(uuid, text); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.presence_set_status(user_id uuid, status text) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
DECLARE
  cost CONSTANT double precision := 1;
  here app.player_presence;
  room app.rooms;
  at timestamptz := pg_catalog.clock_timestamp();
  budget double precision;
  retry_after integer;
BEGIN
  IF status IS NULL OR status NOT IN ('online', 'away', 'busy') THEN
    RAISE EXCEPTION 'status must be online, away or busy'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Leave the room to go offline.';
  END IF;
  SELECT * INTO here FROM app.player_presence p
   WHERE p.user_id = presence_set_status.user_id AND p.status <> 'offline' FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'join a room before changing status'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Send a join frame first.';
  END IF;
  IF here.status = presence_set_status.status THEN
    -- Nothing changes: a heartbeat of sorts, announced to nobody.
    UPDATE app.player_presence p SET last_update = pg_catalog.now() WHERE p.user_id = presence_set_status.user_id;
    RETURN;
  END IF;
  SELECT * INTO room FROM app.rooms r WHERE r.id = here.room_id;
  budget := least(here.move_budget + greatest(extract(epoch FROM at - here.moved_at), 0) * room.max_speed,
                  room.max_speed + 1);
  IF budget < cost - 1e-9 THEN
    retry_after := greatest(pg_catalog.ceil((cost - budget) / room.max_speed)::integer, 1);
    PERFORM app.raise_api_error(429, 'PT429', 'too many status changes; slow down',
              'A status change costs one tile of the move allowance, which refills at the room''s max_speed.',
              pg_catalog.jsonb_build_object('retry_after', retry_after),
              pg_catalog.jsonb_build_object('Retry-After', retry_after::text));
  END IF;
  UPDATE app.player_presence p
     SET status = presence_set_status.status, last_update = pg_catalog.now(),
         move_budget = greatest(budget - cost, 0), moved_at = at
   WHERE p.user_id = presence_set_status.user_id;
  PERFORM app.presence_notify(pg_catalog.jsonb_build_object(
    'type', 'player_status', 'user_id', presence_set_status.user_id, 'status', status) || app.room_where(room.id));
END
$$;


ALTER FUNCTION app.presence_set_status(user_id uuid, status text) OWNER TO postgres;

--
-- Name: FUNCTION presence_set_status(user_id uuid, status text); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.presence_set_status(user_id uuid, status text) IS 'Changes a present player''s status and announces player_status; a change costs one tile of the move budget (HTTP 429, code PT429, when it is spent), the status one already has costs nothing and announces nothing.';


--
-- Name: presence_state(uuid); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.presence_state(room_id uuid) RETURNS jsonb
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  SELECT pg_catalog.jsonb_build_object(
           'type', 'presence_state',
           'world', w.slug,
           'room', r.slug,
           'players', coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                         'user_id', u.id, 'display_name', u.display_name, 'avatar_sprite', u.avatar_sprite,
                         'x', p.x, 'y', p.y, 'direction', p.direction, 'status', p.status, 'meeting', a.building_id)
                       ORDER BY u.display_name, u.id) FILTER (WHERE u.id IS NOT NULL), '[]'::jsonb))
    FROM app.rooms r
    JOIN app.worlds w ON w.id = r.world_id
    LEFT JOIN app.player_presence p ON p.room_id = r.id AND p.status <> 'offline'
    LEFT JOIN app.users u ON u.id = p.user_id
    LEFT JOIN app.meeting_attendance a ON a.user_id = p.user_id AND a.source = 'zone' AND a.left_at IS NULL
   WHERE r.id = presence_state.room_id
   GROUP BY w.slug, r.slug
$$;


ALTER FUNCTION app.presence_state(room_id uuid) OWNER TO postgres;

--
-- Name: FUNCTION presence_state(room_id uuid); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.presence_state(room_id uuid) IS 'The presence_state frame of a room ({type, world, room, players}): everyone in it who is not offline, each with meeting (the building id of their meeting, or null).';


--
-- Name: purge_abandoned_anonymous_users(integer, interval); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.purge_abandoned_anonymous_users(batch integer, unseen_for interval) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
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


ALTER FUNCTION app.purge_abandoned_anonymous_users(batch integer, unseen_for interval) OWNER TO postgres;

--
-- Name: FUNCTION purge_abandoned_anonymous_users(batch integer, unseen_for interval); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.purge_abandoned_anonymous_users(batch integer, unseen_for interval) IS 'Deletes up to batch anonymous accounts without credentials, chats, delivered messages or recent presence that were not seen within unseen_for; returns how many.';


--
-- Name: raise_api_error(integer, text, text, text, jsonb, jsonb); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.raise_api_error(status integer, code text, message text, hint text, details jsonb DEFAULT NULL::jsonb, headers jsonb DEFAULT NULL::jsonb) RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $_$
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
$_$;


ALTER FUNCTION app.raise_api_error(status integer, code text, message text, hint text, details jsonb, headers jsonb) OWNER TO postgres;

--
-- Name: FUNCTION raise_api_error(status integer, code text, message text, hint text, details jsonb, headers jsonb); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.raise_api_error(status integer, code text, message text, hint text, details jsonb, headers jsonb) IS 'Raises an HTTP 4xx answer through PostgREST (SQLSTATE PGRST): the status with its standard reason phrase, a body {code, message, details, hint} whose details is the JSON text of the details argument, and the given headers. message and hint are fixed text; client values go only into details.';


--
-- Name: rate_limit_hit(uuid, text); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.rate_limit_hit(user_id uuid, action text) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
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
  -- clock_timestamp() is after the lock was granted: everything admitted before this call is counted.
  IF next_tat - pg_catalog.now() > rule.per + least(pg_catalog.clock_timestamp() - pg_catalog.now(), spacing / 2) THEN
    -- Raising rolls the state back too: a refused attempt does not count.
    retry_after := greatest(pg_catalog.ceil(extract(epoch FROM next_tat - pg_catalog.now() - rule.per)), 1);
    PERFORM app.raise_api_error(429, 'PT429', 'rate limit exceeded',
              pg_catalog.format('At most %s %s per %s. Try again in %s seconds (retry_after=%s).',
                                rule.max_events, action, rule.per, retry_after, retry_after),
              pg_catalog.jsonb_build_object('retry_after', retry_after),
              pg_catalog.jsonb_build_object('Retry-After', retry_after::text));
  END IF;
END
$$;


ALTER FUNCTION app.rate_limit_hit(user_id uuid, action text) OWNER TO postgres;

--
-- Name: FUNCTION rate_limit_hit(user_id uuid, action text); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.rate_limit_hit(user_id uuid, action text) IS 'Counts one event against the action''s rule, or answers HTTP 429 (code PT429, app.raise_api_error) with a Retry-After header and details {"retry_after": seconds}.';


--
-- Name: rate_limit_hit_bucket(text, text); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.rate_limit_hit_bucket(action text, bucket text) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO ''
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


ALTER FUNCTION app.rate_limit_hit_bucket(action text, bucket text) OWNER TO postgres;

--
-- Name: FUNCTION rate_limit_hit_bucket(action text, bucket text); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.rate_limit_hit_bucket(action text, bucket text) IS 'Counts one event of the action against one bucket (''*'' for everyone, ''address:<ip>'' per client address) with app.rate_limit_rules'' rule, or answers HTTP 429 (PT429) with a Retry-After header and details {"retry_after": seconds}.';


--
-- Name: readable_world_ids(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.readable_world_ids() RETURNS uuid[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL SAFE
    SET search_path TO ''
    AS $$ BEGIN RETURN app.readable_world_ids(auth.user_id()); END $$;


ALTER FUNCTION app.readable_world_ids() OWNER TO postgres;

--
-- Name: FUNCTION readable_world_ids(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.readable_world_ids() IS 'app.readable_world_ids for the signed-in player (public worlds for web_anon).';


--
-- Name: readable_world_ids(uuid); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.readable_world_ids(uid uuid) RETURNS uuid[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL SAFE
    SET search_path TO ''
    AS $$
DECLARE
  ids uuid[];
BEGIN
  IF uid IS NULL THEN
    SELECT coalesce(pg_catalog.array_agg(w.id), '{}') INTO ids
      FROM app.worlds w WHERE w.visibility = 'public' AND w.archived_at IS NULL;
    RETURN ids;
  END IF;
  SELECT coalesce(pg_catalog.array_agg(x.id), '{}') INTO ids
    FROM (SELECT w.id FROM app.worlds w WHERE w.visibility = 'public' AND w.archived_at IS NULL
          UNION
          SELECT m.world_id FROM app.world_members m JOIN app.worlds w ON w.id = m.world_id
           WHERE m.user_id = uid AND (w.archived_at IS NULL OR w.owner_id = uid)
          UNION
          SELECT v.world_id FROM app.world_visitors v JOIN app.worlds w ON w.id = v.world_id
           WHERE v.user_id = uid AND w.visibility = 'unlisted' AND w.archived_at IS NULL
          EXCEPT
          SELECT b.world_id FROM app.world_bans b
           WHERE b.user_id = uid AND (b.until IS NULL OR b.until > pg_catalog.now())) AS x;
  RETURN ids;
END
$$;


ALTER FUNCTION app.readable_world_ids(uid uuid) OWNER TO postgres;

--
-- Name: FUNCTION readable_world_ids(uid uuid); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.readable_world_ids(uid uuid) IS 'The worlds whose rooms, buildings, spawn points and presence the player may see.';


--
-- Name: request_role(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.request_role() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path TO ''
    AS $$ SELECT coalesce(auth.claims() ->> 'role', 'web_anon') $$;


ALTER FUNCTION app.request_role() OWNER TO postgres;

--
-- Name: FUNCTION request_role(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.request_role() IS 'The role claim of the request (web_anon without a token).';


--
-- Name: room_contents_world(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.room_contents_world() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
BEGIN
  NEW.world_id := (SELECT r.world_id FROM app.rooms r WHERE r.id = NEW.room_id);
  RETURN NEW;
END
$$;


ALTER FUNCTION app.room_contents_world() OWNER TO postgres;

--
-- Name: FUNCTION room_contents_world(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.room_contents_world() IS 'Sets world_id of a building or spawn point to its room''s.';


--
-- Name: room_evict_before_delete(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.room_evict_before_delete() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  world_slug text := (SELECT w.slug FROM app.worlds w WHERE w.id = OLD.world_id);
  inside uuid;
BEGIN
  IF world_slug IS NULL THEN
    RETURN OLD;  -- the world is being deleted: app.world_evict announced its players already
  END IF;
  -- In user_id order, the one lock order of presence rows.
  FOR inside IN
    SELECT p.user_id FROM app.player_presence p WHERE p.room_id = OLD.id ORDER BY p.user_id FOR UPDATE
  LOOP
    PERFORM app.presence_notify(pg_catalog.jsonb_build_object(
      'type', 'removed', 'world', world_slug, 'room', OLD.slug, 'user_id', inside, 'reason', 'deleted'));
  END LOOP;
  RETURN OLD;
END
$$;


ALTER FUNCTION app.room_evict_before_delete() OWNER TO postgres;

--
-- Name: FUNCTION room_evict_before_delete(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.room_evict_before_delete() IS 'Before a room is deleted: announces removed (reason deleted) for every player whose presence is in it, present or offline, so that the bridge takes their sockets out of it.';


--
-- Name: room_where(uuid); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.room_where(room_id uuid) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path TO ''
    AS $$
  SELECT pg_catalog.jsonb_build_object('world', w.slug, 'room', r.slug)
    FROM app.rooms r JOIN app.worlds w ON w.id = r.world_id
   WHERE r.id = room_where.room_id
$$;


ALTER FUNCTION app.room_where(room_id uuid) OWNER TO postgres;

--
-- Name: FUNCTION room_where(room_id uuid); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.room_where(room_id uuid) IS 'The address of a room in presence frames: {"world": world slug, "room": room slug}.';


--
-- Name: rooms_keep_contents_inside(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.rooms_keep_contents_inside() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
BEGIN
  IF EXISTS (SELECT FROM app.buildings b WHERE b.room_id = NEW.id
              AND (b.x + b.width > NEW.width_tiles OR b.y + b.height > NEW.height_tiles
                   OR b.door_x >= NEW.width_tiles OR b.door_y >= NEW.height_tiles))
     OR EXISTS (SELECT FROM app.spawn_points s WHERE s.room_id = NEW.id
              AND (s.x >= NEW.width_tiles OR s.y >= NEW.height_tiles))
     OR EXISTS (SELECT FROM app.player_presence p WHERE p.room_id = NEW.id
              AND (p.x >= NEW.width_tiles OR p.y >= NEW.height_tiles)) THEN
    RAISE EXCEPTION 'room % cannot shrink to % x %: something would lie outside it', NEW.slug, NEW.width_tiles, NEW.height_tiles
      USING ERRCODE = 'check_violation', HINT = 'Move or delete the buildings, spawn points or players first.';
  END IF;
  RETURN NEW;
END
$$;


ALTER FUNCTION app.rooms_keep_contents_inside() OWNER TO postgres;

--
-- Name: rooms_keep_history(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.rooms_keep_history() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  inside uuid;
BEGIN
  IF EXISTS (SELECT FROM app.chat_sessions s WHERE s.room_id = OLD.id) THEN
    RAISE SQLSTATE 'PGRST' USING
      MESSAGE = pg_catalog.json_build_object(
        'code', 'PT409',
        'message', 'this room has players'' chat history and cannot be deleted',
        'details', pg_catalog.json_build_object('room', OLD.slug)::text,
        'hint', 'Keep the room: remove the doors that lead to it, or edit it in place.')::text,
      DETAIL = '{"status":409,"status_text":"Conflict","headers":{}}';
  END IF;
  -- The players inside leave as they would by themselves: offline, with a player_left frame to the room.
  FOR inside IN
    SELECT p.user_id FROM app.player_presence p
     WHERE p.room_id = OLD.id AND p.status <> 'offline' ORDER BY p.user_id FOR UPDATE
  LOOP
    PERFORM app.presence_leave(inside);
  END LOOP;
  DELETE FROM app.player_presence p WHERE p.room_id = OLD.id;
  RETURN OLD;
END
$$;


ALTER FUNCTION app.rooms_keep_history() OWNER TO postgres;

--
-- Name: FUNCTION rooms_keep_history(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.rooms_keep_history() IS 'Refuses (409) to delete a room with chat history; otherwise the players inside leave (player_left) and its presence rows go.';


--
-- Name: rooms_keep_main(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.rooms_keep_main() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  world app.worlds;
BEGIN
  SELECT * INTO world FROM app.worlds w WHERE w.id = OLD.world_id;
  IF NOT FOUND OR world.owner_id IS NULL OR EXISTS (SELECT FROM app.rooms r WHERE r.world_id = OLD.world_id AND r.is_main) THEN
    RETURN NULL;
  END IF;
  PERFORM app.raise_api_error(409, 'PT409', 'a world keeps its main room',
                              'Make another room the main room in the same request, or archive the world.',
                              pg_catalog.jsonb_build_object('world', world.slug, 'room', OLD.slug));
  RETURN NULL;
END
$$;


ALTER FUNCTION app.rooms_keep_main() OWNER TO postgres;

--
-- Name: FUNCTION rooms_keep_main(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.rooms_keep_main() IS 'Refuses (409) a statement that leaves a player''s world without a main room.';


--
-- Name: rooms_map_size(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.rooms_map_size() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
BEGIN
  IF NEW.map_version IS NOT NULL AND EXISTS (
       SELECT FROM app.map_versions m
        WHERE m.room_id = NEW.id AND m.version = NEW.map_version
          AND (m.width, m.height) IS DISTINCT FROM (NEW.width_tiles, NEW.height_tiles)) THEN
    RAISE EXCEPTION 'a room with a map has the size of its map'
      USING ERRCODE = 'check_violation', HINT = 'Publish a map of the new size (POST /rpc/publish_map).';
  END IF;
  RETURN NEW;
END
$$;


ALTER FUNCTION app.rooms_map_size() OWNER TO postgres;

--
-- Name: rooms_world(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.rooms_world() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.world_id IS NULL THEN
      NEW.world_id := (SELECT w.id FROM app.worlds w JOIN app.world_settings s ON w.slug = s.default_world_slug);
    END IF;
  ELSIF NEW.world_id IS DISTINCT FROM OLD.world_id THEN
    RAISE EXCEPTION 'a room cannot move to another world'
      USING ERRCODE = 'check_violation', HINT = 'Create a room in the other world instead.';
  END IF;
  RETURN NEW;
END
$$;


ALTER FUNCTION app.rooms_world() OWNER TO postgres;

--
-- Name: FUNCTION rooms_world(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.rooms_world() IS 'Gives a new room without a world the default world, and keeps a room in its world.';


--
-- Name: rows_off_walls(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.rows_off_walls() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  version integer;
BEGIN
  IF TG_TABLE_NAME = 'rooms' THEN
    IF app.tile_blocked(NEW.id, NEW.map_version, NEW.default_spawn_x, NEW.default_spawn_y) THEN
      RAISE EXCEPTION 'the default spawn is on a wall'
        USING ERRCODE = 'check_violation', HINT = 'GET /room_maps shows the room''s map; a tile with collides is a wall.';
    END IF;
    RETURN NEW;
  END IF;
  SELECT r.map_version INTO version FROM app.rooms r WHERE r.id = NEW.room_id;
  -- One branch per table: PL/pgSQL resolves NEW's fields in an expression whatever AND decides first.
  IF TG_TABLE_NAME = 'spawn_points' THEN
    IF app.tile_blocked(NEW.room_id, version, NEW.x, NEW.y) THEN
      RAISE EXCEPTION 'a spawn point cannot stand on a wall'
        USING ERRCODE = 'check_violation', HINT = 'GET /room_maps shows the room''s map; a tile with collides is a wall.';
    END IF;
  ELSIF app.tile_blocked(NEW.room_id, version, NEW.door_x, NEW.door_y) THEN
    RAISE EXCEPTION 'a door cannot be on a wall'
      USING ERRCODE = 'check_violation', HINT = 'GET /room_maps shows the room''s map; a tile with collides is a wall.';
  END IF;
  RETURN NEW;
END
$$;


ALTER FUNCTION app.rows_off_walls() OWNER TO postgres;

--
-- Name: FUNCTION rows_off_walls(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.rows_off_walls() IS 'Refuses a spawn point, a door or a default spawn on a wall of the room''s current map.';


--
-- Name: set_trusted_client_address_header(text); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.set_trusted_client_address_header(header_name text) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $_$
BEGIN
  IF header_name IS NOT NULL AND pg_catalog.btrim(header_name) <> ''
     AND pg_catalog.btrim(header_name) !~ '^[A-Za-z0-9-]{1,64}$' THEN
    RAISE EXCEPTION 'TRUSTED_CLIENT_ADDRESS_HEADER must be a header name such as X-Forwarded-For'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  UPDATE app.identity_settings
     SET trusted_client_address_header = pg_catalog.lower(nullif(pg_catalog.btrim(header_name), ''));
END
$_$;


ALTER FUNCTION app.set_trusted_client_address_header(header_name text) OWNER TO postgres;

--
-- Name: FUNCTION set_trusted_client_address_header(header_name text); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.set_trusted_client_address_header(header_name text) IS 'Names the request header a reverse proxy sets to the client''s address (NULL or empty: none is trusted); db/configure.sql calls it at every deploy with TRUSTED_CLIENT_ADDRESS_HEADER.';


--
-- Name: slug_from_name(text); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.slug_from_name(name text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT
    SET search_path TO ''
    AS $$
  SELECT coalesce(nullif(pg_catalog.btrim(pg_catalog.left(
           pg_catalog.btrim(pg_catalog.regexp_replace(pg_catalog.lower(name), '[^a-z0-9]+', '-', 'g'), '-'), 64), '-'), ''), 'agent')
$$;


ALTER FUNCTION app.slug_from_name(name text) OWNER TO postgres;

--
-- Name: FUNCTION slug_from_name(name text); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.slug_from_name(name text) IS 'A slug derived from a name, e.g. "Captain Nemo!" -> captain-nemo; agent when no letter or digit is left.';


--
-- Name: tile_blocked(uuid, integer, integer, integer); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.tile_blocked(room_id uuid, map_version integer, x integer, y integer) RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  SELECT coalesce((SELECT x BETWEEN 0 AND m.width - 1 AND y BETWEEN 0 AND m.height - 1
                          AND pg_catalog.get_bit(m.collision, y * m.width + x) = 1
                     FROM app.map_versions m WHERE m.room_id = tile_blocked.room_id AND m.version = tile_blocked.map_version), false)
$$;


ALTER FUNCTION app.tile_blocked(room_id uuid, map_version integer, x integer, y integer) OWNER TO postgres;

--
-- Name: FUNCTION tile_blocked(room_id uuid, map_version integer, x integer, y integer); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.tile_blocked(room_id uuid, map_version integer, x integer, y integer) IS 'Whether (x, y) is a wall of version map_version of the room''s map (false without a map).';


--
-- Name: touch_updated_at(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
BEGIN
  NEW.updated_at := pg_catalog.now();
  RETURN NEW;
END
$$;


ALTER FUNCTION app.touch_updated_at() OWNER TO postgres;

--
-- Name: users_validate(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.users_validate() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
BEGIN
  NEW.display_name := app.check_display_name(NEW.display_name);
  PERFORM app.check_avatar_sprite(NEW.avatar_sprite);
  RETURN NEW;
END
$$;


ALTER FUNCTION app.users_validate() OWNER TO postgres;

--
-- Name: world_banned(uuid, uuid); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.world_banned(w uuid, uid uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE
    SET search_path TO ''
    AS $$
  SELECT EXISTS (SELECT FROM app.world_bans b
                  WHERE b.world_id = w AND b.user_id = uid AND (b.until IS NULL OR b.until > pg_catalog.now()))
$$;


ALTER FUNCTION app.world_banned(w uuid, uid uuid) OWNER TO postgres;

--
-- Name: FUNCTION world_banned(w uuid, uid uuid); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.world_banned(w uuid, uid uuid) IS 'True while uid is banned from world w.';


--
-- Name: world_by_slug(text, uuid); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.world_by_slug(slug text, uid uuid) RETURNS app.worlds
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  w app.worlds;
BEGIN
  SELECT * INTO w FROM app.worlds x WHERE x.slug = world_by_slug.slug;
  IF NOT FOUND
     OR uid IS NOT NULL AND app.world_banned(w.id, uid)
     OR w.archived_at IS NOT NULL AND (uid IS NULL OR w.owner_id IS DISTINCT FROM uid)
     OR w.visibility = 'private' AND app.world_role(w.id, uid) IS NULL THEN
    RETURN NULL;
  END IF;
  IF w.visibility = 'unlisted' AND uid IS NOT NULL AND app.world_role(w.id, uid) IS NULL THEN
    INSERT INTO app.world_visitors (world_id, user_id) VALUES (w.id, uid) ON CONFLICT DO NOTHING;
  END IF;
  RETURN w;
END
$$;


ALTER FUNCTION app.world_by_slug(slug text, uid uuid) OWNER TO postgres;

--
-- Name: FUNCTION world_by_slug(slug text, uid uuid); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.world_by_slug(slug text, uid uuid) IS 'The world uid may see under this slug (recording a visit to an unlisted one), or NULL.';


--
-- Name: users; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.users (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    display_name app.display_name NOT NULL,
    avatar_sprite text NOT NULL,
    email text,
    is_anonymous boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_seen_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT users_anonymous_without_email CHECK ((is_anonymous = (email IS NULL))),
    CONSTRAINT users_display_name_shape CHECK ((((char_length((display_name)::text) >= 1) AND (char_length((display_name)::text) <= 32)) AND ((display_name)::text !~ '^\s|\s$'::text) AND ((display_name)::text !~ '[[:cntrl:]]'::text))),
    CONSTRAINT users_display_name_visible CHECK (((display_name IS NFC NORMALIZED) AND (app.display_name_problem((display_name)::text) IS NULL))),
    CONSTRAINT users_email_shape CHECK (((email ~ '^[^@[:space:][:cntrl:]]+@[^@[:space:][:cntrl:]]+\.[^@[:space:][:cntrl:]]+$'::text) AND (char_length(email) <= 254) AND (email = lower(email))))
);

ALTER TABLE ONLY app.users FORCE ROW LEVEL SECURITY;


ALTER TABLE app.users OWNER TO postgres;

--
-- Name: TABLE users; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.users IS 'Everyone who has played: anonymous until they register an email and password.';


--
-- Name: world_caller(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.world_caller() RETURNS app.users
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
DECLARE
  u app.users;
BEGIN
  SELECT * INTO u FROM app.users x WHERE x.id = auth.user_id();
  IF NOT FOUND THEN
    PERFORM app.raise_api_error(401, 'PT401', 'this account no longer exists', 'Sign in again with /rpc/login_anonymous.');
  END IF;
  RETURN u;
END
$$;


ALTER FUNCTION app.world_caller() OWNER TO postgres;

--
-- Name: FUNCTION world_caller(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.world_caller() IS 'The signed-in player''s account row, or 401 when it no longer exists.';


--
-- Name: world_evict(uuid, uuid, text, text); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.world_evict(w uuid, uid uuid, cause text, announced_slug text DEFAULT NULL::text) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  world app.worlds;
  home app.rooms;
  gone record;
  evicted integer := 0;
BEGIN
  IF cause IS NULL OR cause NOT IN ('archived', 'banned', 'private', 'removed', 'renamed', 'deleted') THEN
    RAISE EXCEPTION 'cause must be archived, banned, private, removed, renamed or deleted'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'app.world_evict is called by the world triggers.';
  END IF;
  -- The world row's lock orders this against every join (app.presence_enter) and acceptance
  -- (api.accept_invitation), which take it FOR SHARE before they check the rules: a join that committed
  -- while this waited is seen below and taken out, and one that comes after waits and sees the change.
  SELECT * INTO world FROM app.worlds x WHERE x.id = w FOR UPDATE;
  IF NOT FOUND THEN
    RETURN 0;  -- deleted: its rooms and presence went with it
  END IF;
  IF cause = 'banned' AND uid IS NOT NULL AND app.world_banned(w, uid) THEN
    -- A ban ends the membership, whichever path wrote it (api.ban does so itself; a DBA's INSERT too).
    DELETE FROM app.world_members m WHERE m.world_id = w AND m.user_id = uid AND m.role <> 'owner';
  END IF;
  SELECT r.* INTO home
    FROM app.rooms r
    JOIN app.worlds d ON d.id = r.world_id
    JOIN app.world_settings s ON d.slug = s.default_world_slug
   WHERE r.is_main;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'the default world has no main room'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'app.world_settings.default_world_slug must name a world with a main room.';
  END IF;
  -- In user_id order, the one lock order of presence rows (apply_moves, touch, sweep).
  FOR gone IN
    SELECT q.user_id, q.room_slug, q.reason
      FROM (SELECT p.user_id, r.slug::text AS room_slug,
                   CASE WHEN cause IN ('renamed', 'deleted') THEN cause
                        WHEN world.archived_at IS NOT NULL THEN 'archived'
                        WHEN app.world_banned(w, p.user_id) THEN 'banned'
                        WHEN app.world_role(w, p.user_id) IS NOT NULL THEN NULL
                        WHEN cause = 'private' AND world.visibility = 'private' THEN 'private'
                        WHEN cause = 'removed' AND world.visibility IN ('private', 'unlisted') THEN 'removed'
                   END AS reason
              FROM app.player_presence p
              JOIN app.rooms r ON r.id = p.room_id
             -- Offline presences too: a socket may still be in the room while its player is offline in
             -- SQL (joined over the socket, then POST /rpc/leave_room); only a removed frame takes that
             -- socket out. A rename or a deletion too: a socket left under the old slug would hear the
             -- next world to take that slug.
             WHERE r.world_id = w AND (uid IS NULL OR p.user_id = uid)
             ORDER BY p.user_id
               FOR UPDATE OF p) AS q
     WHERE q.reason IS NOT NULL
     ORDER BY q.user_id
  LOOP
    UPDATE app.player_presence p
       SET room_id = home.id, x = home.default_spawn_x, y = home.default_spawn_y, direction = 'down',
           status = 'offline', session_token = NULL, last_update = pg_catalog.now(),
           moved_at = pg_catalog.clock_timestamp(), move_budget = home.max_speed + 1
     WHERE p.user_id = gone.user_id;
    PERFORM app.presence_notify(pg_catalog.jsonb_build_object(
      'type', 'removed', 'world', coalesce(announced_slug, world.slug), 'room', gone.room_slug, 'user_id', gone.user_id,
      'reason', gone.reason));
    evicted := evicted + 1;
  END LOOP;
  RETURN evicted;
END
$$;


ALTER FUNCTION app.world_evict(w uuid, uid uuid, cause text, announced_slug text) OWNER TO postgres;

--
-- Name: FUNCTION world_evict(w uuid, uid uuid, cause text, announced_slug text); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.world_evict(w uuid, uid uuid, cause text, announced_slug text) IS 'Takes every player (or only uid) whose presence, present or offline, is in world w''s rooms and who may no longer be there out of them: moved to the default world''s main room, offline, and announced as {"type":"removed","world","room","user_id","reason"} on channel presence (world: announced_slug when given, the slug the sockets know). renamed and deleted take everyone out. Returns the number evicted.';


--
-- Name: world_evict_trigger(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.world_evict_trigger() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
BEGIN
  IF TG_TABLE_NAME = 'world_bans' THEN
    PERFORM app.world_evict(NEW.world_id, NEW.user_id, 'banned');
  ELSIF TG_TABLE_NAME = 'world_members' THEN
    PERFORM app.world_evict(OLD.world_id, OLD.user_id, 'removed');
  ELSIF TG_NAME = 'worlds_evict_before_delete' THEN
    -- Before the row goes (its rooms and their presence go with it by cascade): the sockets learn it
    -- while the world's slug can still be named.
    PERFORM app.world_evict(OLD.id, NULL, 'deleted');
    RETURN OLD;
  ELSIF TG_NAME = 'worlds_evict_renamed' THEN
    -- The bridge knows the rooms by the old slug: everyone present is taken out under it, and joins
    -- again under the new one.
    PERFORM app.world_evict(NEW.id, NULL, 'renamed', OLD.slug);
  ELSIF NEW.archived_at IS NOT NULL THEN
    PERFORM app.world_evict(NEW.id, NULL, 'archived');
  ELSE
    PERFORM app.world_evict(NEW.id, NULL, 'private');
  END IF;
  RETURN NULL;
END
$$;


ALTER FUNCTION app.world_evict_trigger() OWNER TO postgres;

--
-- Name: FUNCTION world_evict_trigger(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.world_evict_trigger() IS 'At commit: a ban, an ended membership, a switch to private or an archive takes the players it concerns out of the world''s rooms (app.world_evict).';


--
-- Name: world_invitations_follow_inviter(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.world_invitations_follow_inviter() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
BEGIN
  UPDATE app.world_invitations i SET revoked_at = pg_catalog.now()
   WHERE i.world_id = OLD.world_id AND i.created_by = OLD.user_id
     AND i.revoked_at IS NULL AND i.uses < i.max_uses AND i.expires_at > pg_catalog.now()  -- still usable
     -- The right api.invite checks, by the creator's role now: none, member, or editor for an editor
     -- invitation.
     AND (TG_OP = 'DELETE' OR NEW.role = 'member' OR (NEW.role = 'editor' AND i.role = 'editor'));
  RETURN NULL;
END
$$;


ALTER FUNCTION app.world_invitations_follow_inviter() OWNER TO postgres;

--
-- Name: FUNCTION world_invitations_follow_inviter(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.world_invitations_follow_inviter() IS 'Trigger on app.world_members: revokes the invitations a member issued that their role no longer allows.';


--
-- Name: world_managed(text, uuid, text[], text); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.world_managed(slug text, uid uuid, roles text[], refusal text) RETURNS app.worlds
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
DECLARE
  w app.worlds := app.world_visible(slug, uid, true);
BEGIN
  IF app.world_role(w.id, uid) IS NULL OR NOT app.world_role(w.id, uid) = ANY (roles) THEN
    PERFORM app.raise_api_error(403, 'PT403', refusal, 'GET /world_members shows who holds which role.',
                                pg_catalog.jsonb_build_object('world', w.slug));
  END IF;
  IF w.archived_at IS NOT NULL THEN
    PERFORM app.raise_api_error(409, 'PT409', 'this world is archived', 'Restore it first with /rpc/restore_world.',
                                pg_catalog.jsonb_build_object('world', w.slug));
  END IF;
  RETURN w;
END
$$;


ALTER FUNCTION app.world_managed(slug text, uid uuid, roles text[], refusal text) OWNER TO postgres;

--
-- Name: FUNCTION world_managed(slug text, uid uuid, roles text[], refusal text); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.world_managed(slug text, uid uuid, roles text[], refusal text) IS 'The world uid holds one of roles in, locked: 404 when unseen, 403 without the role, 409 when archived.';


--
-- Name: world_may_enter(app.worlds, uuid); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.world_may_enter(w app.worlds, uid uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE
    SET search_path TO ''
    AS $$
  SELECT w.archived_at IS NULL
     AND NOT app.world_banned(w.id, uid)
     AND (w.visibility IN ('public', 'unlisted') OR app.world_role(w.id, uid) IS NOT NULL)
$$;


ALTER FUNCTION app.world_may_enter(w app.worlds, uid uuid) OWNER TO postgres;

--
-- Name: FUNCTION world_may_enter(w app.worlds, uid uuid); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.world_may_enter(w app.worlds, uid uuid) IS 'True when uid may be in the world''s rooms: not archived, not banned, and public, unlisted (by slug) or a member.';


--
-- Name: world_member_role(app.worlds, uuid); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.world_member_role(w app.worlds, uid uuid) RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
DECLARE
  r text := app.world_role(w.id, uid);
BEGIN
  IF r IS NULL THEN
    PERFORM app.raise_api_error(404, 'PT404', 'unknown member', 'GET /world_members?world_id=eq.<id> lists the members.',
                                pg_catalog.jsonb_build_object('world', w.slug, 'user_id', uid));
  END IF;
  RETURN r;
END
$$;


ALTER FUNCTION app.world_member_role(w app.worlds, uid uuid) OWNER TO postgres;

--
-- Name: FUNCTION world_member_role(w app.worlds, uid uuid); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.world_member_role(w app.worlds, uid uuid) IS 'The role of uid in the world, or 404 unknown member.';


--
-- Name: world_owner_check(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.world_owner_check() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  world uuid;
  w app.worlds;
BEGIN
  IF TG_TABLE_NAME = 'worlds' THEN
    world := NEW.id;
  ELSIF TG_OP = 'DELETE' THEN
    world := OLD.world_id;
  ELSE
    world := NEW.world_id;
  END IF;
  SELECT * INTO w FROM app.worlds WHERE id = world;
  IF NOT FOUND THEN
    RETURN NULL;  -- the world itself is gone
  END IF;
  IF w.owner_id IS NULL AND EXISTS (SELECT FROM app.world_members m WHERE m.world_id = world AND m.role = 'owner')
     OR w.owner_id IS NOT NULL AND NOT EXISTS (
          SELECT FROM app.world_members m WHERE m.world_id = world AND m.user_id = w.owner_id AND m.role = 'owner')
  THEN
    RAISE EXCEPTION 'a world has exactly one owner: worlds.owner_id, a member with role owner'
      USING ERRCODE = 'integrity_constraint_violation',
            DETAIL = pg_catalog.jsonb_build_object('world', w.slug)::text,
            HINT = 'Change owners with api.transfer_ownership, which moves both rows together.';
  END IF;
  RETURN NULL;
END
$$;


ALTER FUNCTION app.world_owner_check() OWNER TO postgres;

--
-- Name: FUNCTION world_owner_check(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.world_owner_check() IS 'Deferred check: worlds.owner_id is the one world_members row with role owner.';


--
-- Name: world_role(uuid, uuid); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.world_role(w uuid, uid uuid) RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE
    SET search_path TO ''
    AS $$ SELECT m.role FROM app.world_members m WHERE m.world_id = w AND m.user_id = uid $$;


ALTER FUNCTION app.world_role(w uuid, uid uuid) OWNER TO postgres;

--
-- Name: FUNCTION world_role(w uuid, uid uuid); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.world_role(w uuid, uid uuid) IS 'owner, editor, member, or NULL for a non-member.';


--
-- Name: world_visible(text, uuid, boolean); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.world_visible(slug text, uid uuid, lock boolean DEFAULT false) RETURNS app.worlds
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $_$
DECLARE
  w app.worlds;
BEGIN
  IF slug IS NOT NULL AND slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND pg_catalog.char_length(slug) <= 64 THEN
    w := app.world_by_slug(slug, uid);
  END IF;
  IF w.id IS NOT NULL AND lock THEN
    SELECT * INTO w FROM app.worlds x WHERE x.id = w.id FOR UPDATE;
    IF w.archived_at IS NOT NULL AND w.owner_id IS DISTINCT FROM uid
       OR w.visibility = 'private' AND app.world_role(w.id, uid) IS NULL
       OR uid IS NOT NULL AND app.world_banned(w.id, uid) THEN
      w := NULL;
    END IF;
  END IF;
  IF w.id IS NULL THEN
    PERFORM app.raise_api_error(404, 'PT404', 'unknown world', 'GET /worlds lists the worlds you may see.',
                                pg_catalog.jsonb_build_object('world', slug));
  END IF;
  RETURN w;
END
$_$;


ALTER FUNCTION app.world_visible(slug text, uid uuid, lock boolean) OWNER TO postgres;

--
-- Name: FUNCTION world_visible(slug text, uid uuid, lock boolean); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.world_visible(slug text, uid uuid, lock boolean) IS 'The world uid may see under this slug (optionally locked FOR UPDATE), or 404 unknown world for every other case alike.';


--
-- Name: worlds_drop_agents(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.worlds_drop_agents() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
BEGIN
  DELETE FROM app.agent_prompts x WHERE x.world_id = OLD.id;
  RETURN OLD;
END
$$;


ALTER FUNCTION app.worlds_drop_agents() OWNER TO postgres;

--
-- Name: FUNCTION worlds_drop_agents(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.worlds_drop_agents() IS 'Deletes the prompt history of a world''s agents when the world is deleted, so that they go with it.';


--
-- Name: worlds_edit_rules(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.worlds_edit_rules() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
BEGIN
  IF (NEW.slug IS DISTINCT FROM OLD.slug OR NEW.visibility IS DISTINCT FROM OLD.visibility)
     AND OLD.owner_id IS NOT NULL
     AND pg_catalog.current_setting('role', true) = 'player'
     AND app.world_role(OLD.id, auth.user_id()) IS DISTINCT FROM 'owner' THEN
    PERFORM app.raise_api_error(403, 'PT403', 'only the owner may change a world''s slug or visibility',
                                'Editors may change the name and the description.',
                                pg_catalog.jsonb_build_object('world', OLD.slug));
  END IF;
  -- The default world is where every join without a world goes and where evicted players wait: it stays
  -- public and unarchived, whoever asks (a DBA changes app.world_settings first).
  IF (NEW.visibility <> 'public' OR NEW.archived_at IS NOT NULL)
     AND OLD.slug = (SELECT s.default_world_slug FROM app.world_settings s) THEN
    PERFORM app.raise_api_error(409, 'PT409', 'the default world stays public',
                                'Name another default world in app.world_settings first.',
                                pg_catalog.jsonb_build_object('world', OLD.slug));
  END IF;
  RETURN NEW;
END
$$;


ALTER FUNCTION app.worlds_edit_rules() OWNER TO postgres;

--
-- Name: FUNCTION worlds_edit_rules(); Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON FUNCTION app.worlds_edit_rules() IS 'Refuses (403) a change of slug or visibility by anyone but the world''s owner.';


--
-- Name: base64url(bytea); Type: FUNCTION; Schema: auth; Owner: postgres
--

CREATE FUNCTION auth.base64url(data bytea) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path TO ''
    AS $$ SELECT pg_catalog.translate(pg_catalog.encode(data, 'base64'), E'+/=\n', '-_') $$;


ALTER FUNCTION auth.base64url(data bytea) OWNER TO postgres;

--
-- Name: FUNCTION base64url(data bytea); Type: COMMENT; Schema: auth; Owner: postgres
--

COMMENT ON FUNCTION auth.base64url(data bytea) IS 'Base64url without padding, as JWTs use it.';


--
-- Name: check_request(); Type: FUNCTION; Schema: auth; Owner: postgres
--

CREATE FUNCTION auth.check_request() RETURNS void
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
BEGIN
  IF auth.token_revoked(auth.claims()) THEN
    PERFORM auth.raise_token_revoked();
  END IF;
END
$$;


ALTER FUNCTION auth.check_request() OWNER TO postgres;

--
-- Name: FUNCTION check_request(); Type: COMMENT; Schema: auth; Owner: postgres
--

COMMENT ON FUNCTION auth.check_request() IS 'PostgREST''s db-pre-request (PGRST_DB_PRE_REQUEST=auth.check_request): answers 401 for a revoked token. One primary-key probe.';


--
-- Name: claims(); Type: FUNCTION; Schema: auth; Owner: postgres
--

CREATE FUNCTION auth.claims() RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT coalesce(nullif(current_setting('request.jwt.claims', true), '')::jsonb, '{}'::jsonb) $$;


ALTER FUNCTION auth.claims() OWNER TO postgres;

--
-- Name: FUNCTION claims(); Type: COMMENT; Schema: auth; Owner: postgres
--

COMMENT ON FUNCTION auth.claims() IS 'The verified JWT claims of the current request, or {} when there is none.';


--
-- Name: hs256(jsonb, text); Type: FUNCTION; Schema: auth; Owner: postgres
--

CREATE FUNCTION auth.hs256(claims jsonb, key text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT
    SET search_path TO ''
    AS $$
DECLARE
  signing_input text := auth.base64url(pg_catalog.convert_to('{"alg":"HS256","typ":"JWT"}', 'UTF8'))
                        || '.' || auth.base64url(pg_catalog.convert_to(claims::text, 'UTF8'));
BEGIN
  RETURN signing_input || '.' || auth.base64url(
    public.hmac(pg_catalog.convert_to(signing_input, 'UTF8'), pg_catalog.convert_to(key, 'UTF8'), 'sha256'));
END
$$;


ALTER FUNCTION auth.hs256(claims jsonb, key text) OWNER TO postgres;

--
-- Name: FUNCTION hs256(claims jsonb, key text); Type: COMMENT; Schema: auth; Owner: postgres
--

COMMENT ON FUNCTION auth.hs256(claims jsonb, key text) IS 'Signs claims with key as an HS256 JWT: the one signing routine.';


--
-- Name: issue_service_token(text, interval); Type: FUNCTION; Schema: auth; Owner: postgres
--

CREATE FUNCTION auth.issue_service_token(role text, ttl interval DEFAULT '30 days'::interval) RETURNS text
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
BEGIN
  IF role IS NULL OR role NOT IN ('agent_service', 'content_admin', 'jitsi_service') THEN
    RAISE EXCEPTION 'cannot issue a service token for role %', coalesce(role, 'NULL')
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Service tokens are for agent_service, content_admin or jitsi_service.';
  END IF;
  IF ttl IS NULL OR ttl <= interval '0' OR ttl > interval '366 days' THEN
    RAISE EXCEPTION 'a service token must live between a second and a year'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'For example: interval ''30 days''.';
  END IF;
  RETURN auth.sign(pg_catalog.jsonb_build_object(
    'role', role,
    'sid', pg_catalog.gen_random_uuid(),
    'gen', auth.token_generation('role:' || role),
    'iat', pg_catalog.floor(extract(epoch FROM pg_catalog.now()))::bigint,
    'exp', pg_catalog.floor(extract(epoch FROM pg_catalog.now() + ttl))::bigint));
END
$$;


ALTER FUNCTION auth.issue_service_token(role text, ttl interval) OWNER TO postgres;

--
-- Name: FUNCTION issue_service_token(role text, ttl interval); Type: COMMENT; Schema: auth; Owner: postgres
--

COMMENT ON FUNCTION auth.issue_service_token(role text, ttl interval) IS 'A revocable token for the agent worker, a content admin or the Jitsi event_sync module. Owner only: SELECT auth.issue_service_token(''jitsi_service'', interval ''30 days'').';


--
-- Name: issue_session_token(uuid, uuid, integer, interval); Type: FUNCTION; Schema: auth; Owner: postgres
--

CREATE FUNCTION auth.issue_session_token(user_id uuid, sid uuid, generation integer, ttl interval DEFAULT '24:00:00'::interval) RETURNS json
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
BEGIN
  -- api.logout keeps a session's revocation for 24 hours beyond the revoking moment: no token of a
  -- player session may live longer than that.
  IF ttl IS NULL OR ttl <= interval '0' OR ttl > interval '24 hours' THEN
    RAISE EXCEPTION 'a player token must live between a second and 24 hours'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Use the default of 24 hours.';
  END IF;
  RETURN pg_catalog.json_build_object(
           'user_id', user_id,
           'token', auth.sign(pg_catalog.jsonb_build_object(
                      'role', 'player',
                      'sub', user_id,
                      'sid', sid,
                      'gen', generation,
                      'iat', pg_catalog.floor(extract(epoch FROM pg_catalog.now()))::bigint,
                      'exp', pg_catalog.floor(extract(epoch FROM pg_catalog.now() + ttl))::bigint)),
           'expires_at', pg_catalog.date_trunc('second', pg_catalog.now() + ttl));
END
$$;


ALTER FUNCTION auth.issue_session_token(user_id uuid, sid uuid, generation integer, ttl interval) OWNER TO postgres;

--
-- Name: FUNCTION issue_session_token(user_id uuid, sid uuid, generation integer, ttl interval); Type: COMMENT; Schema: auth; Owner: postgres
--

COMMENT ON FUNCTION auth.issue_session_token(user_id uuid, sid uuid, generation integer, ttl interval) IS 'A player token of an existing session (sid) and generation: {user_id, token, expires_at}. refresh_token uses it.';


--
-- Name: issue_token(uuid, interval); Type: FUNCTION; Schema: auth; Owner: postgres
--

CREATE FUNCTION auth.issue_token(user_id uuid, ttl interval DEFAULT '24:00:00'::interval) RETURNS json
    LANGUAGE sql
    SET search_path TO ''
    AS $$
  SELECT auth.issue_session_token(user_id, pg_catalog.gen_random_uuid(), auth.token_generation('user:' || user_id), ttl)
$$;


ALTER FUNCTION auth.issue_token(user_id uuid, ttl interval) OWNER TO postgres;

--
-- Name: FUNCTION issue_token(user_id uuid, ttl interval); Type: COMMENT; Schema: auth; Owner: postgres
--

COMMENT ON FUNCTION auth.issue_token(user_id uuid, ttl interval) IS 'A player token for a user, in a new session: {user_id, token, expires_at}.';


--
-- Name: jitsi_sign(jsonb); Type: FUNCTION; Schema: auth; Owner: postgres
--

CREATE FUNCTION auth.jitsi_sign(claims jsonb) RETURNS text
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$ SELECT auth.hs256(claims, c.app_secret) FROM auth.jitsi_config c $$;


ALTER FUNCTION auth.jitsi_sign(claims jsonb) OWNER TO postgres;

--
-- Name: FUNCTION jitsi_sign(claims jsonb); Type: COMMENT; Schema: auth; Owner: postgres
--

COMMENT ON FUNCTION auth.jitsi_sign(claims jsonb) IS 'Signs claims with JITSI_APP_SECRET (HS256); NULL when the installation has no Jitsi.';


--
-- Name: prune_token_revocations(); Type: FUNCTION; Schema: auth; Owner: postgres
--

CREATE FUNCTION auth.prune_token_revocations() RETURNS void
    LANGUAGE sql
    SET search_path TO ''
    AS $$
  -- A bounded batch on every logout: rows are only ever created by a logout, so this keeps up.
  DELETE FROM auth.token_revocations r
   WHERE r.key IN (SELECT o.key FROM auth.token_revocations o
                    WHERE o.expires_at < pg_catalog.now()
                    ORDER BY o.expires_at LIMIT 100 FOR UPDATE SKIP LOCKED)
$$;


ALTER FUNCTION auth.prune_token_revocations() OWNER TO postgres;

--
-- Name: raise_token_revoked(); Type: FUNCTION; Schema: auth; Owner: postgres
--

CREATE FUNCTION auth.raise_token_revoked() RETURNS void
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
BEGIN
  PERFORM app.raise_api_error(401, 'PT401', 'the token has been revoked',
            'Sign in again with /rpc/login_anonymous or /rpc/login.', '{"reason": "revoked"}',
            '{"WWW-Authenticate": "Bearer error=\"invalid_token\", error_description=\"the token has been revoked\""}');
END
$$;


ALTER FUNCTION auth.raise_token_revoked() OWNER TO postgres;

--
-- Name: FUNCTION raise_token_revoked(); Type: COMMENT; Schema: auth; Owner: postgres
--

COMMENT ON FUNCTION auth.raise_token_revoked() IS 'Raises the 401 that a revoked token gets (owner only).';


--
-- Name: register_attempt(text, text); Type: FUNCTION; Schema: auth; Owner: postgres
--

CREATE FUNCTION auth.register_attempt(key text, action text) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
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
$$;


ALTER FUNCTION auth.register_attempt(key text, action text) OWNER TO postgres;

--
-- Name: FUNCTION register_attempt(key text, action text); Type: COMMENT; Schema: auth; Owner: postgres
--

COMMENT ON FUNCTION auth.register_attempt(key text, action text) IS 'Counts one register attempt against a caller or email key and the action''s rule, or answers 429 (PT429) while the key''s window is full.';


--
-- Name: revoke_subject(text); Type: FUNCTION; Schema: auth; Owner: postgres
--

CREATE FUNCTION auth.revoke_subject(subject text) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
DECLARE
  new_generation integer;
BEGIN
  INSERT INTO auth.token_revocations AS r (key, generation) VALUES (subject, 1)
  ON CONFLICT (key) DO UPDATE SET generation = r.generation + 1, revoked_at = pg_catalog.now()
  RETURNING r.generation INTO new_generation;
  PERFORM pg_catalog.pg_notify('token_revoked',
    pg_catalog.json_build_object('subject', subject, 'generation', new_generation)::text);
  RETURN new_generation;
END
$$;


ALTER FUNCTION auth.revoke_subject(subject text) OWNER TO postgres;

--
-- Name: FUNCTION revoke_subject(subject text); Type: COMMENT; Schema: auth; Owner: postgres
--

COMMENT ON FUNCTION auth.revoke_subject(subject text) IS 'Revokes every token of a subject issued so far; returns the new generation (owner only).';


--
-- Name: set_jitsi_config(text, text, text, text); Type: FUNCTION; Schema: auth; Owner: postgres
--

CREATE FUNCTION auth.set_jitsi_config(domain text, app_id text, app_secret text, audience text DEFAULT NULL::text) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
BEGIN
  -- All empty: this installation has no Jitsi (jitsi_token answers 503).
  IF coalesce(domain, '') = '' AND coalesce(app_id, '') = '' AND coalesce(app_secret, '') = '' THEN
    DELETE FROM auth.jitsi_config;
    RETURN false;
  END IF;
  IF coalesce(domain, '') = '' OR coalesce(app_id, '') = '' OR coalesce(app_secret, '') = '' THEN
    RAISE EXCEPTION 'JITSI_DOMAIN, JITSI_APP_ID and JITSI_APP_SECRET go together'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Set all three, or none for an installation without Jitsi.';
  END IF;
  INSERT INTO auth.jitsi_config AS c (singleton, domain, app_id, app_secret, audience, updated_at)
  VALUES (true, set_jitsi_config.domain, set_jitsi_config.app_id, set_jitsi_config.app_secret,
          coalesce(nullif(set_jitsi_config.audience, ''), 'jitsi'), pg_catalog.now())
  ON CONFLICT (singleton) DO UPDATE
     SET domain = EXCLUDED.domain, app_id = EXCLUDED.app_id, app_secret = EXCLUDED.app_secret,
         audience = EXCLUDED.audience, updated_at = EXCLUDED.updated_at;
  RETURN true;
END
$$;


ALTER FUNCTION auth.set_jitsi_config(domain text, app_id text, app_secret text, audience text) OWNER TO postgres;

--
-- Name: FUNCTION set_jitsi_config(domain text, app_id text, app_secret text, audience text); Type: COMMENT; Schema: auth; Owner: postgres
--

COMMENT ON FUNCTION auth.set_jitsi_config(domain text, app_id text, app_secret text, audience text) IS 'Stores the Jitsi domain, app id, app secret (32 bytes at least) and audience (default jitsi); all empty removes them. The owner calls it at deploy (db/configure.sql).';


--
-- Name: set_jwt_secret(text); Type: FUNCTION; Schema: auth; Owner: postgres
--

CREATE FUNCTION auth.set_jwt_secret(secret text) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
BEGIN
  IF secret IS NULL OR pg_catalog.octet_length(secret) < 32 THEN
    RAISE EXCEPTION 'the JWT secret must be at least 32 bytes long'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Generate one with: openssl rand -hex 32';
  END IF;
  INSERT INTO auth.jwt_secret (singleton, secret, updated_at) VALUES (true, secret, pg_catalog.now())
  ON CONFLICT (singleton) DO UPDATE SET secret = EXCLUDED.secret, updated_at = EXCLUDED.updated_at;
END
$$;


ALTER FUNCTION auth.set_jwt_secret(secret text) OWNER TO postgres;

--
-- Name: FUNCTION set_jwt_secret(secret text); Type: COMMENT; Schema: auth; Owner: postgres
--

COMMENT ON FUNCTION auth.set_jwt_secret(secret text) IS 'Stores the JWT signing key; the owner calls it at deploy with the key PostgREST uses.';


--
-- Name: sign(jsonb); Type: FUNCTION; Schema: auth; Owner: postgres
--

CREATE FUNCTION auth.sign(claims jsonb) RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
DECLARE
  key text;
BEGIN
  SELECT s.secret INTO key FROM auth.jwt_secret s;
  IF key IS NULL THEN
    RAISE EXCEPTION 'no JWT secret is configured'
      USING ERRCODE = 'object_not_in_prerequisite_state', HINT = 'Run db/configure.sql (make up does) to set it.';
  END IF;
  RETURN auth.hs256(claims, key);
END
$$;


ALTER FUNCTION auth.sign(claims jsonb) OWNER TO postgres;

--
-- Name: FUNCTION sign(claims jsonb); Type: COMMENT; Schema: auth; Owner: postgres
--

COMMENT ON FUNCTION auth.sign(claims jsonb) IS 'Signs claims as an HS256 JWT.';


--
-- Name: token_generation(text); Type: FUNCTION; Schema: auth; Owner: postgres
--

CREATE FUNCTION auth.token_generation(subject text) RETURNS integer
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$ SELECT coalesce((SELECT r.generation FROM auth.token_revocations r WHERE r.key = subject), 0) $$;


ALTER FUNCTION auth.token_generation(subject text) OWNER TO postgres;

--
-- Name: FUNCTION token_generation(subject text); Type: COMMENT; Schema: auth; Owner: postgres
--

COMMENT ON FUNCTION auth.token_generation(subject text) IS 'The current token generation of ''user:<uuid>'' or ''role:<name>'' (0 until its first logout_everywhere).';


--
-- Name: token_revoked(jsonb); Type: FUNCTION; Schema: auth; Owner: postgres
--

CREATE FUNCTION auth.token_revoked(claims jsonb) RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
DECLARE
  role text := claims ->> 'role';
BEGIN
  IF role IS NULL OR role = 'web_anon' THEN
    RETURN false;
  END IF;
  RETURN EXISTS (
    SELECT FROM auth.token_revocations r
     WHERE r.key = ANY (ARRAY[
             'sid:' || (claims ->> 'sid'),
             CASE role WHEN 'player' THEN 'user:' || (claims ->> 'sub') ELSE 'role:' || role END])
       AND (r.generation IS NULL
            OR r.generation > CASE WHEN pg_catalog.jsonb_typeof(claims -> 'gen') = 'number'
                                   THEN (claims ->> 'gen')::numeric ELSE 0 END));
END
$$;


ALTER FUNCTION auth.token_revoked(claims jsonb) OWNER TO postgres;

--
-- Name: FUNCTION token_revoked(claims jsonb); Type: COMMENT; Schema: auth; Owner: postgres
--

COMMENT ON FUNCTION auth.token_revoked(claims jsonb) IS 'Whether a verified token (its claims) has been revoked: its session by api.logout, or its generation by api.logout_everywhere.';


--
-- Name: token_subject(jsonb); Type: FUNCTION; Schema: auth; Owner: postgres
--

CREATE FUNCTION auth.token_subject(claims jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE
    SET search_path TO ''
    AS $$
  SELECT CASE claims ->> 'role'
           WHEN 'player' THEN 'user:' || (claims ->> 'sub')
           WHEN 'agent_service' THEN 'role:agent_service'
           WHEN 'content_admin' THEN 'role:content_admin'
         END
$$;


ALTER FUNCTION auth.token_subject(claims jsonb) OWNER TO postgres;

--
-- Name: agent_chat_replay(bigint, integer); Type: FUNCTION; Schema: realtime; Owner: postgres
--

CREATE FUNCTION realtime.agent_chat_replay(after_position bigint, max_rows integer DEFAULT 500) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
BEGIN
  RETURN (
  SELECT pg_catalog.jsonb_build_object(
    'head', (SELECT coalesce(pg_catalog.max(h.position), 0) FROM app.chat_log h),
    'messages', coalesce((
      SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('position', p.position, 'message',
                                    (SELECT app.chat_message_json(m) FROM app.chat_messages m WHERE m.id = p.message_id))
                                  ORDER BY p.position)
        FROM (SELECT l.position, l.message_id FROM app.chat_log l
                JOIN app.chat_sessions s ON s.id = l.session_id AND s.type = 'agent'
                JOIN app.chat_messages u ON u.id = l.message_id AND u.sender_type = 'user'
               WHERE l.position > coalesce(agent_chat_replay.after_position, 0)
               ORDER BY l.position
               LIMIT least(greatest(agent_chat_replay.max_rows, 1), 1000)) p), '[]'::jsonb))
  );
END
$$;


ALTER FUNCTION realtime.agent_chat_replay(after_position bigint, max_rows integer) OWNER TO postgres;

--
-- Name: FUNCTION agent_chat_replay(after_position bigint, max_rows integer); Type: COMMENT; Schema: realtime; Owner: postgres
--

COMMENT ON FUNCTION realtime.agent_chat_replay(after_position bigint, max_rows integer) IS 'The agent worker''s resume page: {head, messages: [{position, message}]}, users'' messages in agent sessions after after_position.';


--
-- Name: agent_messages_after(bigint, integer); Type: FUNCTION; Schema: realtime; Owner: postgres
--

CREATE FUNCTION realtime.agent_messages_after(after_id bigint, max_rows integer DEFAULT 500) RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  SELECT coalesce(pg_catalog.jsonb_agg(app.chat_message_json(m) ORDER BY m.id), '[]'::jsonb)
    FROM (SELECT m.*
            FROM app.chat_messages m
            JOIN app.chat_sessions s ON s.id = m.session_id
           WHERE m.id > after_id AND s.type = 'agent' AND m.sender_type = 'user'
           ORDER BY m.id
           LIMIT least(greatest(max_rows, 1), 1000)) m
$$;


ALTER FUNCTION realtime.agent_messages_after(after_id bigint, max_rows integer) OWNER TO postgres;

--
-- Name: FUNCTION agent_messages_after(after_id bigint, max_rows integer); Type: COMMENT; Schema: realtime; Owner: postgres
--

COMMENT ON FUNCTION realtime.agent_messages_after(after_id bigint, max_rows integer) IS 'Users'' messages in agent sessions with id > after_id: the agent worker''s resume page.';


--
-- Name: apply_moves(jsonb); Type: FUNCTION; Schema: realtime; Owner: postgres
--

CREATE FUNCTION realtime.apply_moves(moves jsonb) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $_$
DECLARE
  chunk_size CONSTANT integer := 50;
  uuid_shape CONSTANT text := '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
  move jsonb;
  arrival bigint;
  mover uuid;
  x integer;
  y integer;
  at timestamptz;
  here app.player_presence;
  room app.rooms;
  verdict record;
  moved boolean := false;
  -- The last accepted state of each player who moved, for the one UPDATE at the end.
  tick_users uuid[] := '{}';
  tick_x integer[] := '{}';
  tick_y integer[] := '{}';
  tick_direction text[] := '{}';
  tick_budget double precision[] := '{}';
  tick_at timestamptz[] := '{}';
  accepted jsonb := '{}';
  rejected jsonb := '[]';
  room_key text;
  place jsonb;
  list jsonb;
  i integer;
BEGIN
  IF moves IS NULL OR pg_catalog.jsonb_typeof(moves) <> 'array' THEN
    RAISE EXCEPTION 'moves must be a JSON array'
      USING ERRCODE = 'invalid_parameter_value', HINT = '[{"user_id": ..., "x": ..., "y": ..., "direction": ...}]';
  END IF;
  -- Positions are cheap to lose and expensive to flush: a crash may forget the last few
  -- milliseconds of moves, never a committed leave (which runs with the default setting).
  PERFORM pg_catalog.set_config('synchronous_commit', 'off', true);

  -- The movers' rows are locked at once, in user_id order, as touch and sweep lock them: two
  -- transactions that lock rows in different orders can deadlock (40P01), and a deadlock here cost a
  -- whole tick of moves.
  PERFORM FROM app.player_presence p
   WHERE p.user_id IN (SELECT (m ->> 'user_id')::uuid FROM pg_catalog.jsonb_array_elements(moves) AS m
                        WHERE m ->> 'user_id' ~* uuid_shape)
   ORDER BY p.user_id
     FOR UPDATE;

  -- Each player's moves in arrival order, judged one after the other on the state the previous one
  -- left (app.move_verdict, the rule REST's app.presence_move applies too), and written by ONE UPDATE at
  -- the end: the statement triggers on presence (meeting zones) then run once per tick, set-based, and
  -- see where each player ended the tick. Malformed user_ids (rejected) come first.
  -- World rules need no check per move: whoever a world no longer lets in was taken offline by
  -- app.world_evict in the transaction that changed the rules, so their move is not_in_room.
  FOR move, arrival IN
    SELECT value, ordinality FROM pg_catalog.jsonb_array_elements(moves) WITH ORDINALITY
     ORDER BY CASE WHEN value ->> 'user_id' ~* uuid_shape THEN (value ->> 'user_id')::uuid END NULLS FIRST,
              ordinality
  LOOP
    mover := CASE WHEN move ->> 'user_id' ~* uuid_shape THEN (move ->> 'user_id')::uuid END;
    IF mover IS NULL THEN
      rejected := rejected || pg_catalog.jsonb_build_object(
        'user_id', move -> 'user_id', 'reason', 'bad_frame', 'message', 'user_id must be a uuid', 'arrival', arrival);
      CONTINUE;
    END IF;
    IF here.user_id IS DISTINCT FROM mover THEN
      IF moved THEN
        tick_users := tick_users || here.user_id; tick_x := tick_x || here.x; tick_y := tick_y || here.y;
        tick_direction := tick_direction || here.direction; tick_budget := tick_budget || here.move_budget;
        tick_at := tick_at || here.moved_at;
      END IF;
      moved := false;
      here := NULL;
      SELECT * INTO here FROM app.player_presence p WHERE p.user_id = mover;
      here.user_id := mover;  -- a player with no row keeps the NULL rest, and is not_in_room
      IF room.id IS DISTINCT FROM here.room_id THEN
        room := NULL;
        SELECT * INTO room FROM app.rooms r WHERE r.id = here.room_id;
      END IF;
    END IF;
    -- Whole numbers within integer range, else NULL (rejected as bad_position).
    x := CASE WHEN pg_catalog.jsonb_typeof(move -> 'x') = 'number' AND (move ->> 'x')::numeric % 1 = 0
                   AND abs((move ->> 'x')::numeric) < 2147483647 THEN (move ->> 'x')::numeric::integer END;
    y := CASE WHEN pg_catalog.jsonb_typeof(move -> 'y') = 'number' AND (move ->> 'y')::numeric % 1 = 0
                   AND abs((move ->> 'y')::numeric) < 2147483647 THEN (move ->> 'y')::numeric::integer END;
    at := pg_catalog.clock_timestamp();
    verdict := app.move_verdict(CASE WHEN here.room_id IS NULL THEN NULL ELSE here END, room, x, y,
                                move ->> 'direction', at);
    IF verdict.reason IS NULL THEN
      here.x := x; here.y := y; here.direction := move ->> 'direction';
      here.move_budget := verdict.budget; here.moved_at := at;
      moved := true;
      -- By room id: two worlds may each have a room of the same slug.
      accepted := pg_catalog.jsonb_set(accepted, ARRAY[room.id::text],
        coalesce(accepted -> (room.id::text), '[]') || pg_catalog.jsonb_build_object(
          'user_id', mover, 'x', x, 'y', y, 'direction', move ->> 'direction'));
    ELSE
      rejected := rejected || pg_catalog.jsonb_build_object(
        'user_id', mover, 'reason', verdict.reason, 'message', verdict.message, 'arrival', arrival);
    END IF;
  END LOOP;
  IF moved THEN
    tick_users := tick_users || here.user_id; tick_x := tick_x || here.x; tick_y := tick_y || here.y;
    tick_direction := tick_direction || here.direction; tick_budget := tick_budget || here.move_budget;
    tick_at := tick_at || here.moved_at;
  END IF;

  IF tick_users <> '{}' THEN
    UPDATE app.player_presence p
       SET x = m.x, y = m.y, direction = m.direction, move_budget = m.budget, moved_at = m.at, last_update = m.at
      FROM ROWS FROM (pg_catalog.unnest(tick_users), pg_catalog.unnest(tick_x), pg_catalog.unnest(tick_y),
                     pg_catalog.unnest(tick_direction), pg_catalog.unnest(tick_budget), pg_catalog.unnest(tick_at))
             AS m(user_id, x, y, direction, budget, at)
     WHERE p.user_id = m.user_id;
  END IF;

  -- One NOTIFY per room per chunk of 50 moves, whatever the number of players.
  FOR room_key, list IN SELECT key, value FROM pg_catalog.jsonb_each(accepted) LOOP
    place := app.room_where(room_key::uuid);
    i := 0;
    WHILE i < pg_catalog.jsonb_array_length(list) LOOP
      PERFORM app.presence_notify(pg_catalog.jsonb_build_object(
        'type', 'moves',
        'moves', (SELECT pg_catalog.jsonb_agg(value ORDER BY ordinality)
                    FROM pg_catalog.jsonb_array_elements(list) WITH ORDINALITY
                   WHERE ordinality > i AND ordinality <= i + chunk_size)) || place);
      i := i + chunk_size;
    END LOOP;
  END LOOP;

  -- Rejections in arrival order, whatever order the moves were processed in.
  RETURN (SELECT coalesce(pg_catalog.jsonb_agg(value - 'arrival' ORDER BY (value ->> 'arrival')::bigint), '[]')
            FROM pg_catalog.jsonb_array_elements(rejected));
END
$_$;


ALTER FUNCTION realtime.apply_moves(moves jsonb) OWNER TO postgres;

--
-- Name: FUNCTION apply_moves(moves jsonb); Type: COMMENT; Schema: realtime; Owner: postgres
--

COMMENT ON FUNCTION realtime.apply_moves(moves jsonb) IS 'Applies a tick of moves in one transaction, in user_id order (each player''s in arrival order): validates each, sends one moves frame per room (in chunks of 50) and returns the rejected ones as [{user_id, reason, message}].';


--
-- Name: chat_head(); Type: FUNCTION; Schema: realtime; Owner: postgres
--

CREATE FUNCTION realtime.chat_head() RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$ SELECT coalesce(pg_catalog.max(l.position), 0) FROM app.chat_log l $$;


ALTER FUNCTION realtime.chat_head() OWNER TO postgres;

--
-- Name: FUNCTION chat_head(); Type: COMMENT; Schema: realtime; Owner: postgres
--

COMMENT ON FUNCTION realtime.chat_head() IS 'The highest stream position (0 when there is none): where a bridge''s tail starts.';


--
-- Name: chat_replay(uuid, bigint, integer); Type: FUNCTION; Schema: realtime; Owner: postgres
--

CREATE FUNCTION realtime.chat_replay(user_id uuid, after_position bigint, max_rows integer DEFAULT 500) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
BEGIN
  RETURN (
  -- head and messages come from one snapshot: every position up to head that the user may read is in
  -- this page or, when the page is full, after its last position.
  SELECT pg_catalog.jsonb_build_object(
    'head', (SELECT coalesce(pg_catalog.max(h.position), 0) FROM app.chat_log h),
    'messages', coalesce((
      SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('position', p.position, 'message',
                                    (SELECT app.chat_message_json(m) FROM app.chat_messages m WHERE m.id = p.message_id))
                                  ORDER BY p.position)
        FROM (
          -- By reader, through indexes: each of the user's sessions, then its positions; the proximity
          -- messages they heard, then theirs. Never a scan of the whole stream.
          SELECT theirs.position, theirs.message_id
            FROM (SELECT s.id FROM app.chat_sessions s WHERE s.user_id = chat_replay.user_id
                  UNION ALL
                  SELECT s.id FROM app.chat_sessions s WHERE s.other_user_id = chat_replay.user_id) mine
           CROSS JOIN LATERAL (
                  SELECT l.position, l.message_id FROM app.chat_log l
                   WHERE l.session_id = mine.id AND l.position > coalesce(chat_replay.after_position, 0)
                   ORDER BY l.position
                   LIMIT least(greatest(chat_replay.max_rows, 1), 1000)) theirs
          UNION
          SELECT l.position, l.message_id FROM app.chat_message_recipients r
            JOIN app.chat_log l ON l.message_id = r.message_id
           WHERE r.user_id = chat_replay.user_id AND l.position > coalesce(chat_replay.after_position, 0)
          ORDER BY 1
          LIMIT least(greatest(chat_replay.max_rows, 1), 1000)) p), '[]'::jsonb))
  );
END
$$;


ALTER FUNCTION realtime.chat_replay(user_id uuid, after_position bigint, max_rows integer) OWNER TO postgres;

--
-- Name: FUNCTION chat_replay(user_id uuid, after_position bigint, max_rows integer); Type: COMMENT; Schema: realtime; Owner: postgres
--

COMMENT ON FUNCTION realtime.chat_replay(user_id uuid, after_position bigint, max_rows integer) IS 'A resume page: {head, messages: [{position, message}]}, the messages the user can read after after_position, in position order, at most max_rows (1000); head is the highest position of the same snapshot.';


--
-- Name: chat_stamp(boolean); Type: FUNCTION; Schema: realtime; Owner: postgres
--

CREATE FUNCTION realtime.chat_stamp(wait boolean DEFAULT false) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    SET plan_cache_mode TO 'force_custom_plan'
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
            -- Guarded: with no transaction running at the last snapshot, "txid = ANY('{}')" is false for
            -- every row, and for a condition that is false the planner may take any index, even a
            -- partial one, and read it whole. The guard is a constant of this call's plan: the scan is
            -- never run.
            SELECT m.id, m.session_id FROM app.chat_messages m
             WHERE pg_catalog.cardinality(were_running) > 0 AND m.txid = ANY (were_running)) n
     ORDER BY n.id
    RETURNING 1)
  -- Nothing new, nothing written: an idle stream costs no WAL and no commit flush.
  UPDATE app.chat_log_state s SET snapshot = pg_catalog.pg_current_snapshot()
   WHERE EXISTS (SELECT FROM fresh);
  -- This transaction's own positions included: the caller gets the result only once it committed.
  RETURN (SELECT coalesce(pg_catalog.max(l.position), 0) FROM app.chat_log l);
END
$$;


ALTER FUNCTION realtime.chat_stamp(wait boolean) OWNER TO postgres;

--
-- Name: FUNCTION chat_stamp(wait boolean); Type: COMMENT; Schema: realtime; Owner: postgres
--

COMMENT ON FUNCTION realtime.chat_stamp(wait boolean) IS 'Gives every chat message committed since the last call its stream position and returns the highest position. Any bridge may call it; without wait, a call while another bridge stamps returns NULL at once.';


--
-- Name: chat_stream(bigint, integer); Type: FUNCTION; Schema: realtime; Owner: postgres
--

CREATE FUNCTION realtime.chat_stream(after_position bigint, max_rows integer DEFAULT 1000) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
BEGIN
  RETURN (
  -- The page of positions comes first, through chat_log's key; then each entry's message, session and
  -- recipients are looked up by key, one entry at a time (a correlated subquery is never turned into a
  -- join, so never into a scan of the whole table).
  -- Every position has its message (chat_log's foreign key cascades), so no entry is NULL.
  SELECT coalesce(pg_catalog.jsonb_agg(e.entry ORDER BY e.position), '[]'::jsonb)
    FROM (SELECT l.position,
                 (SELECT pg_catalog.jsonb_build_object(
                           'position', l.position,
                           'message_id', m.id,
                           -- The same readers as the RLS policies of app.chat_messages: the session's players
                           -- and the recipients stored with a proximity message.
                           'audience', pg_catalog.to_jsonb(pg_catalog.array_remove(
                                         ARRAY[s.user_id, s.other_user_id]
                                         || ARRAY(SELECT r.user_id FROM app.chat_message_recipients r WHERE r.message_id = m.id),
                                         NULL)),
                           'agent_service', s.type = 'agent' AND m.sender_type = 'user',
                           'message', pg_catalog.jsonb_build_object(
                             'id', m.id, 'session_id', m.session_id, 'type', s.type, 'sender_type', m.sender_type,
                             'sender_id', m.sender_id, 'sender_name', m.sender_name, 'content', m.content,
                             'created_at', m.created_at))
                    FROM app.chat_messages m, app.chat_sessions s
                   WHERE m.id = l.message_id AND s.id = l.session_id) AS entry
            FROM (SELECT l.position, l.message_id, l.session_id FROM app.chat_log l
                   WHERE l.position > coalesce(chat_stream.after_position, 0)
                   ORDER BY l.position
                   LIMIT least(greatest(chat_stream.max_rows, 1), 10000)) l) e
  );
END
$$;


ALTER FUNCTION realtime.chat_stream(after_position bigint, max_rows integer) OWNER TO postgres;

--
-- Name: FUNCTION chat_stream(after_position bigint, max_rows integer); Type: COMMENT; Schema: realtime; Owner: postgres
--

COMMENT ON FUNCTION realtime.chat_stream(after_position bigint, max_rows integer) IS 'The bridge''s chat tail: [{position, message_id, audience, agent_service, message}] after after_position, in position order, at most max_rows (10000).';


--
-- Name: chat_tail(bigint, integer); Type: FUNCTION; Schema: realtime; Owner: postgres
--

CREATE FUNCTION realtime.chat_tail(after_position bigint, max_rows integer DEFAULT 1000) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
BEGIN
  -- One round trip per tick of the bridge's tail: stamp, then read the stream, own stamps included.
  -- The caller gets the answer only once this transaction has committed, so every position it delivers
  -- exists for good, and the positions it sees are still a prefix of the stream.
  PERFORM realtime.chat_stamp(false);
  RETURN realtime.chat_stream(after_position, max_rows);
END
$$;


ALTER FUNCTION realtime.chat_tail(after_position bigint, max_rows integer) OWNER TO postgres;

--
-- Name: FUNCTION chat_tail(after_position bigint, max_rows integer); Type: COMMENT; Schema: realtime; Owner: postgres
--

COMMENT ON FUNCTION realtime.chat_tail(after_position bigint, max_rows integer) IS 'chat_stamp, then chat_stream: the bridge''s tail in one call.';


--
-- Name: default_world(); Type: FUNCTION; Schema: realtime; Owner: postgres
--

CREATE FUNCTION realtime.default_world() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$ SELECT s.default_world_slug::text FROM app.world_settings s $$;


ALTER FUNCTION realtime.default_world() OWNER TO postgres;

--
-- Name: FUNCTION default_world(); Type: COMMENT; Schema: realtime; Owner: postgres
--

COMMENT ON FUNCTION realtime.default_world() IS 'The slug of the installation''s default world, where a join frame without a world goes.';


--
-- Name: jitsi_event(text, jsonb); Type: FUNCTION; Schema: realtime; Owner: postgres
--

CREATE FUNCTION realtime.jitsi_event(event text, payload jsonb) RETURNS jsonb
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO ''
    AS $$ SELECT app.jitsi_event(event, payload) $$;


ALTER FUNCTION realtime.jitsi_event(event text, payload jsonb) OWNER TO postgres;

--
-- Name: FUNCTION jitsi_event(event text, payload jsonb); Type: COMMENT; Schema: realtime; Owner: postgres
--

COMMENT ON FUNCTION realtime.jitsi_event(event text, payload jsonb) IS 'POST /jitsi/events/<event> on the bridge, after it checked the jitsi_service token: the same as api.jitsi_event.';


--
-- Name: join(uuid, text, text, text); Type: FUNCTION; Schema: realtime; Owner: postgres
--

CREATE FUNCTION realtime."join"(user_id uuid, room_slug text, connection text, world_slug text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO ''
    AS $$ SELECT app.presence_enter(user_id, room_slug, connection, world_slug) $$;


ALTER FUNCTION realtime."join"(user_id uuid, room_slug text, connection text, world_slug text) OWNER TO postgres;

--
-- Name: FUNCTION "join"(user_id uuid, room_slug text, connection text, world_slug text); Type: COMMENT; Schema: realtime; Owner: postgres
--

COMMENT ON FUNCTION realtime."join"(user_id uuid, room_slug text, connection text, world_slug text) IS 'A join frame: enter the room of the world (the default world when NULL) and get its presence_state. connection identifies the socket. A world the player may not enter is an unknown room.';


--
-- Name: leave(uuid, text); Type: FUNCTION; Schema: realtime; Owner: postgres
--

CREATE FUNCTION realtime.leave(user_id uuid, connection text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO ''
    AS $$ SELECT app.presence_leave(user_id, connection) $$;


ALTER FUNCTION realtime.leave(user_id uuid, connection text) OWNER TO postgres;

--
-- Name: FUNCTION leave(user_id uuid, connection text); Type: COMMENT; Schema: realtime; Owner: postgres
--

COMMENT ON FUNCTION realtime.leave(user_id uuid, connection text) IS 'A leave frame (connection NULL), or the end of a grace period (connection given: only if that socket still owns the presence).';


--
-- Name: messages_after(uuid, bigint, integer); Type: FUNCTION; Schema: realtime; Owner: postgres
--

CREATE FUNCTION realtime.messages_after(user_id uuid, after_id bigint, max_rows integer DEFAULT 500) RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  SELECT coalesce(pg_catalog.jsonb_agg(app.chat_message_json(m) ORDER BY m.id), '[]'::jsonb)
    FROM (SELECT m.*
            FROM app.chat_messages m
           WHERE m.id > after_id
             AND (m.session_id IN (SELECT s.id FROM app.chat_sessions s
                                    WHERE s.user_id = messages_after.user_id OR s.other_user_id = messages_after.user_id)
                  OR m.id IN (SELECT r.message_id FROM app.chat_message_recipients r
                               WHERE r.user_id = messages_after.user_id AND r.message_id > after_id))
           ORDER BY m.id
           LIMIT least(greatest(max_rows, 1), 1000)) m
$$;


ALTER FUNCTION realtime.messages_after(user_id uuid, after_id bigint, max_rows integer) OWNER TO postgres;

--
-- Name: FUNCTION messages_after(user_id uuid, after_id bigint, max_rows integer); Type: COMMENT; Schema: realtime; Owner: postgres
--

COMMENT ON FUNCTION realtime.messages_after(user_id uuid, after_id bigint, max_rows integer) IS 'Messages the user can read with id > after_id, in id order, at most max_rows (1000): a resume page.';


--
-- Name: rejoin_room(text, jsonb, text); Type: FUNCTION; Schema: realtime; Owner: postgres
--

CREATE FUNCTION realtime.rejoin_room(room_slug text, members jsonb, world_slug text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  room uuid;
  member record;
  failure text;
  code text;
  refused jsonb := '[]';
BEGIN
  IF members IS NULL OR pg_catalog.jsonb_typeof(members) <> 'array' THEN
    RAISE EXCEPTION 'members must be a JSON array'
      USING ERRCODE = 'invalid_parameter_value', HINT = '[{"user_id": ..., "connection": ...}]';
  END IF;
  SELECT r.id INTO room
    FROM app.rooms r JOIN app.worlds w ON w.id = r.world_id
   WHERE r.slug = rejoin_room.room_slug
     AND w.slug = coalesce(rejoin_room.world_slug, (SELECT s.default_world_slug FROM app.world_settings s));
  IF NOT FOUND THEN
    RETURN NULL;  -- the room was deleted meanwhile
  END IF;
  -- In user_id order, the one lock order of presence rows.
  FOR member IN
    SELECT (m ->> 'user_id')::uuid AS user_id, m ->> 'connection' AS connection
      FROM pg_catalog.jsonb_array_elements(members) AS m
     ORDER BY 1
  LOOP
    -- Only a player who is offline now is entered again: one who is present is either here already
    -- or joined another room meanwhile (their socket here is then taken out by the bridge).
    PERFORM FROM app.player_presence p WHERE p.user_id = member.user_id AND p.status <> 'offline';
    CONTINUE WHEN FOUND;
    BEGIN
      PERFORM app.presence_enter(member.user_id, rejoin_room.room_slug, member.connection, rejoin_room.world_slug);
    EXCEPTION WHEN SQLSTATE 'PGRST' THEN
      -- app.raise_api_error: the code is inside the JSON message. A deleted account (its socket closes at
      -- its token's expiry anyway), or a player the world no longer lets in (banned, removed, made
      -- private or archived while the bridge was not listening): the bridge takes those sockets out.
      GET STACKED DIAGNOSTICS failure = MESSAGE_TEXT;
      code := failure::jsonb ->> 'code';
      IF code IS DISTINCT FROM 'PT401' AND code IS DISTINCT FROM 'PT404' THEN
        RAISE;
      END IF;
      IF code = 'PT404' THEN
        refused := refused || pg_catalog.to_jsonb(member.user_id);
      END IF;
    END;
  END LOOP;
  RETURN app.presence_state(room) || CASE WHEN refused = '[]' THEN '{}'::jsonb
                                          ELSE pg_catalog.jsonb_build_object('refused', refused) END;
END
$$;


ALTER FUNCTION realtime.rejoin_room(room_slug text, members jsonb, world_slug text) OWNER TO postgres;

--
-- Name: FUNCTION rejoin_room(room_slug text, members jsonb, world_slug text); Type: COMMENT; Schema: realtime; Owner: postgres
--

COMMENT ON FUNCTION realtime.rejoin_room(room_slug text, members jsonb, world_slug text) IS 'After an outage: enters the given sockets'' players ([{user_id, connection}]) into the room of the world (the default world when NULL) again if they went offline meanwhile, and returns the room''s presence_state (NULL if the room no longer exists), with "refused": [user_id, ...] for players the world no longer lets in.';


--
-- Name: revoked_tokens(jsonb); Type: FUNCTION; Schema: realtime; Owner: postgres
--

CREATE FUNCTION realtime.revoked_tokens(tokens jsonb) RETURNS integer[]
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  SELECT coalesce(pg_catalog.array_agg((t.n - 1)::integer ORDER BY t.n), '{}')
    FROM pg_catalog.jsonb_array_elements(CASE WHEN pg_catalog.jsonb_typeof(tokens) = 'array' THEN tokens ELSE '[]' END)
         WITH ORDINALITY AS t(claims, n)
   WHERE auth.token_revoked(t.claims)
$$;


ALTER FUNCTION realtime.revoked_tokens(tokens jsonb) OWNER TO postgres;

--
-- Name: FUNCTION revoked_tokens(tokens jsonb); Type: COMMENT; Schema: realtime; Owner: postgres
--

COMMENT ON FUNCTION realtime.revoked_tokens(tokens jsonb) IS 'The positions (from 0) of the revoked ones in a JSON array of verified token claims: the bridge checks its sockets with it.';


--
-- Name: room_state(text, text); Type: FUNCTION; Schema: realtime; Owner: postgres
--

CREATE FUNCTION realtime.room_state(room_slug text, world_slug text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  SELECT app.presence_state(r.id)
    FROM app.rooms r JOIN app.worlds w ON w.id = r.world_id
   WHERE r.slug = room_state.room_slug
     AND w.slug = coalesce(room_state.world_slug, (SELECT s.default_world_slug FROM app.world_settings s))
$$;


ALTER FUNCTION realtime.room_state(room_slug text, world_slug text) OWNER TO postgres;

--
-- Name: FUNCTION room_state(room_slug text, world_slug text); Type: COMMENT; Schema: realtime; Owner: postgres
--

COMMENT ON FUNCTION realtime.room_state(room_slug text, world_slug text) IS 'The presence_state frame of a room of a world (the default world when NULL), for resynchronizing clients after a listener reconnect; NULL for an unknown room.';


--
-- Name: set_status(uuid, text); Type: FUNCTION; Schema: realtime; Owner: postgres
--

CREATE FUNCTION realtime.set_status(user_id uuid, status text) RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO ''
    AS $$ SELECT app.presence_set_status(user_id, status) $$;


ALTER FUNCTION realtime.set_status(user_id uuid, status text) OWNER TO postgres;

--
-- Name: FUNCTION set_status(user_id uuid, status text); Type: COMMENT; Schema: realtime; Owner: postgres
--

COMMENT ON FUNCTION realtime.set_status(user_id uuid, status text) IS 'A status frame: online, away or busy.';


--
-- Name: sweep(interval, interval); Type: FUNCTION; Schema: realtime; Owner: postgres
--

CREATE FUNCTION realtime.sweep(away_after interval DEFAULT '00:01:00'::interval, offline_after interval DEFAULT '00:02:00'::interval) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
DECLARE
  gone record;
  idle record;
  went_offline integer := 0;
  went_away integer := 0;
BEGIN
  -- Any bridge may run this. Rows are locked in user_id order, and a row locked by anyone else (a
  -- move, a join, another sweep) is skipped: someone is busy with that player, so the player is not
  -- stale, and the next sweep looks again. Nobody is announced twice, and the sweep never waits.
  FOR gone IN
    WITH stale AS (
      SELECT p.user_id FROM app.player_presence p
       WHERE p.status <> 'offline' AND p.last_update < pg_catalog.now() - offline_after
       ORDER BY p.user_id
         FOR UPDATE SKIP LOCKED)
    UPDATE app.player_presence p SET status = 'offline', session_token = NULL
      FROM stale WHERE p.user_id = stale.user_id
    RETURNING p.user_id, p.room_id
  LOOP
    PERFORM app.presence_notify(pg_catalog.jsonb_build_object('type', 'player_left', 'user_id', gone.user_id)
                                || app.room_where(gone.room_id));
    went_offline := went_offline + 1;
  END LOOP;
  FOR idle IN
    WITH stale AS (
      SELECT p.user_id FROM app.player_presence p
       WHERE p.status IN ('online', 'busy') AND p.last_update < pg_catalog.now() - away_after
       ORDER BY p.user_id
         FOR UPDATE SKIP LOCKED)
    UPDATE app.player_presence p SET status = 'away'
      FROM stale WHERE p.user_id = stale.user_id
    RETURNING p.user_id, p.room_id
  LOOP
    PERFORM app.presence_notify(pg_catalog.jsonb_build_object(
      'type', 'player_status', 'user_id', idle.user_id, 'status', 'away') || app.room_where(idle.room_id));
    went_away := went_away + 1;
  END LOOP;
  RETURN pg_catalog.jsonb_build_object('away', went_away, 'offline', went_offline);
END
$$;


ALTER FUNCTION realtime.sweep(away_after interval, offline_after interval) OWNER TO postgres;

--
-- Name: FUNCTION sweep(away_after interval, offline_after interval); Type: COMMENT; Schema: realtime; Owner: postgres
--

COMMENT ON FUNCTION realtime.sweep(away_after interval, offline_after interval) IS 'Marks players with no sign of life for away_after as away, and for offline_after as offline, announcing each change. Works whoever owned them; locks in user_id order and skips rows locked right now.';


--
-- Name: touch(uuid[]); Type: FUNCTION; Schema: realtime; Owner: postgres
--

CREATE FUNCTION realtime.touch(user_ids uuid[]) RETURNS integer
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO ''
    AS $$
  -- Locks in user_id order like apply_moves, and skips a row that a move holds right now: that move
  -- refreshes last_update itself, and the next heartbeat comes long before the away threshold.
  WITH due AS (
    SELECT p.user_id FROM app.player_presence p
     WHERE p.user_id = ANY (user_ids) AND p.status <> 'offline'
     ORDER BY p.user_id
       FOR UPDATE SKIP LOCKED),
  touched AS (
    UPDATE app.player_presence p SET last_update = pg_catalog.now()
      FROM due WHERE p.user_id = due.user_id
    RETURNING 1)
  SELECT pg_catalog.count(*)::integer FROM touched
$$;


ALTER FUNCTION realtime.touch(user_ids uuid[]) OWNER TO postgres;

--
-- Name: FUNCTION touch(user_ids uuid[]); Type: COMMENT; Schema: realtime; Owner: postgres
--

COMMENT ON FUNCTION realtime.touch(user_ids uuid[]) IS 'Heartbeat for players whose sockets are open, so the stale sweep leaves them alone. Locks in user_id order and skips rows locked right now.';


--
-- Name: agent_inbox; Type: VIEW; Schema: api; Owner: postgres
--

CREATE VIEW api.agent_inbox WITH (security_invoker='true') AS
 SELECT m.id,
    m.session_id,
    a.slug AS agent_slug,
    m.sender_id,
    m.sender_name,
    m.content,
    m.created_at
   FROM ((((app.chat_sessions s
     JOIN app.agents a ON ((a.id = s.agent_id)))
     CROSS JOIN LATERAL ( SELECT n.sender_type
           FROM app.chat_messages n
          WHERE (n.session_id = s.id)
          ORDER BY n.id DESC
         LIMIT 1) newest)
     LEFT JOIN LATERAL ( SELECT r.id
           FROM app.chat_messages r
          WHERE ((r.session_id = s.id) AND (r.sender_type <> 'user'::text))
          ORDER BY r.id DESC
         LIMIT 1) answered ON (true))
     JOIN app.chat_messages m ON (((m.session_id = s.id) AND (m.id > COALESCE(answered.id, (0)::bigint)) AND (m.sender_type = 'user'::text))))
  WHERE ((s.type = 'agent'::text) AND (newest.sender_type = 'user'::text));


ALTER TABLE api.agent_inbox OWNER TO postgres;

--
-- Name: VIEW agent_inbox; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON VIEW api.agent_inbox IS 'Users'' messages in agent sessions not answered yet (after the session''s last agent message), for the agent worker (agent_service).';


--
-- Name: COLUMN agent_inbox.id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agent_inbox.id IS 'The message id.';


--
-- Name: COLUMN agent_inbox.session_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agent_inbox.session_id IS 'The agent session.';


--
-- Name: COLUMN agent_inbox.agent_slug; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agent_inbox.agent_slug IS 'The agent to answer as.';


--
-- Name: COLUMN agent_inbox.sender_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agent_inbox.sender_id IS 'The user who wrote it.';


--
-- Name: COLUMN agent_inbox.sender_name; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agent_inbox.sender_name IS 'Their name when they wrote it.';


--
-- Name: COLUMN agent_inbox.content; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agent_inbox.content IS 'The text.';


--
-- Name: COLUMN agent_inbox.created_at; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agent_inbox.created_at IS 'When it was sent.';


--
-- Name: agent_sprites; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.agent_sprites (
    key text NOT NULL,
    name text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT agent_sprites_key_shape CHECK ((key ~ '^[a-z0-9_-]{1,32}$'::text)),
    CONSTRAINT agent_sprites_name_length CHECK ((((char_length(name) >= 1) AND (char_length(name) <= 64)) AND (name !~ '[[:cntrl:]\u202a-\u202e\u2066-\u2069]'::text)))
);

ALTER TABLE ONLY app.agent_sprites FORCE ROW LEVEL SECURITY;


ALTER TABLE app.agent_sprites OWNER TO postgres;

--
-- Name: TABLE agent_sprites; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.agent_sprites IS 'Sprites an agent may wear (sprite_key); content_admin adds more.';


--
-- Name: agent_sprites; Type: VIEW; Schema: api; Owner: postgres
--

CREATE VIEW api.agent_sprites WITH (security_invoker='true') AS
 SELECT agent_sprites.key,
    agent_sprites.name,
    agent_sprites.created_at
   FROM app.agent_sprites;


ALTER TABLE api.agent_sprites OWNER TO postgres;

--
-- Name: VIEW agent_sprites; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON VIEW api.agent_sprites IS 'Sprites an agent may wear (sprite_key). Everyone reads them; content_admin adds, renames and removes them.';


--
-- Name: COLUMN agent_sprites.key; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agent_sprites.key IS 'The sprite_key, e.g. archie.';


--
-- Name: COLUMN agent_sprites.name; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agent_sprites.name IS 'A display name for pickers.';


--
-- Name: COLUMN agent_sprites.created_at; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.agent_sprites.created_at IS 'When it was added.';


--
-- Name: avatar_sprites; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.avatar_sprites (
    key text NOT NULL,
    name text NOT NULL,
    sort_order integer DEFAULT 0 NOT NULL,
    CONSTRAINT avatar_sprite_key_shape CHECK ((key ~ '^[a-z0-9_-]{1,32}$'::text)),
    CONSTRAINT avatar_sprite_name_length CHECK (((char_length(name) >= 1) AND (char_length(name) <= 64)))
);

ALTER TABLE ONLY app.avatar_sprites FORCE ROW LEVEL SECURITY;


ALTER TABLE app.avatar_sprites OWNER TO postgres;

--
-- Name: TABLE avatar_sprites; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.avatar_sprites IS 'Player avatar sprites that the client knows how to draw.';


--
-- Name: avatar_sprites; Type: VIEW; Schema: api; Owner: postgres
--

CREATE VIEW api.avatar_sprites WITH (security_invoker='true') AS
 SELECT avatar_sprites.key,
    avatar_sprites.name,
    avatar_sprites.sort_order
   FROM app.avatar_sprites;


ALTER TABLE api.avatar_sprites OWNER TO postgres;

--
-- Name: VIEW avatar_sprites; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON VIEW api.avatar_sprites IS 'Avatar sprites a player may choose.';


--
-- Name: COLUMN avatar_sprites.key; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.avatar_sprites.key IS 'Sprite key, sent as avatar_sprite.';


--
-- Name: COLUMN avatar_sprites.name; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.avatar_sprites.name IS 'Human-readable name.';


--
-- Name: COLUMN avatar_sprites.sort_order; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.avatar_sprites.sort_order IS 'Display order in the picker.';


--
-- Name: user_blocks; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.user_blocks (
    blocker uuid NOT NULL,
    blocked uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT user_blocks_not_self CHECK ((blocker <> blocked))
);

ALTER TABLE ONLY app.user_blocks FORCE ROW LEVEL SECURITY;


ALTER TABLE app.user_blocks OWNER TO postgres;

--
-- Name: TABLE user_blocks; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.user_blocks IS 'blocker blocked blocked: blocked may not start a private chat with blocker or send into one. Read by the blocker only.';


--
-- Name: blocked_users; Type: VIEW; Schema: api; Owner: postgres
--

CREATE VIEW api.blocked_users WITH (security_invoker='true') AS
 SELECT b.blocked AS user_id,
    b.created_at
   FROM app.user_blocks b;


ALTER TABLE api.blocked_users OWNER TO postgres;

--
-- Name: VIEW blocked_users; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON VIEW api.blocked_users IS 'The players you blocked: they cannot start a private chat with you or send into one. Only you see this list.';


--
-- Name: COLUMN blocked_users.user_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.blocked_users.user_id IS 'The player you blocked (GET /users has their profile).';


--
-- Name: COLUMN blocked_users.created_at; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.blocked_users.created_at IS 'When you blocked them.';


--
-- Name: buildings; Type: VIEW; Schema: api; Owner: postgres
--

CREATE VIEW api.buildings WITH (security_invoker='true') AS
 SELECT buildings.id,
    buildings.room_id,
    buildings.slug,
    buildings.name,
    buildings.type,
    buildings.x,
    buildings.y,
    buildings.width,
    buildings.height,
    buildings.door_x,
    buildings.door_y,
    buildings.agent_id,
    buildings.target_room_id,
    buildings.jitsi_room,
    buildings.world_id,
    buildings.derived
   FROM app.buildings;


ALTER TABLE api.buildings OWNER TO postgres;

--
-- Name: VIEW buildings; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON VIEW api.buildings IS 'Interactive zones: agent rooms, meeting spots and portals, with their doors.';


--
-- Name: COLUMN buildings.id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.buildings.id IS 'Building id.';


--
-- Name: COLUMN buildings.room_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.buildings.room_id IS 'The room the building stands in.';


--
-- Name: COLUMN buildings.slug; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.buildings.slug IS 'URL-safe name, unique within the room.';


--
-- Name: COLUMN buildings.name; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.buildings.name IS 'Display name, e.g. Scout''s Lab.';


--
-- Name: COLUMN buildings.type; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.buildings.type IS 'agent_room, meeting or portal.';


--
-- Name: COLUMN buildings.x; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.buildings.x IS 'Left tile.';


--
-- Name: COLUMN buildings.y; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.buildings.y IS 'Top tile.';


--
-- Name: COLUMN buildings.width; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.buildings.width IS 'Width in tiles.';


--
-- Name: COLUMN buildings.height; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.buildings.height IS 'Height in tiles.';


--
-- Name: COLUMN buildings.door_x; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.buildings.door_x IS 'Door tile x.';


--
-- Name: COLUMN buildings.door_y; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.buildings.door_y IS 'Door tile y.';


--
-- Name: COLUMN buildings.agent_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.buildings.agent_id IS 'The agent, for an agent_room.';


--
-- Name: COLUMN buildings.target_room_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.buildings.target_room_id IS 'Where the door leads: required for a portal, the agent''s room for an agent_room.';


--
-- Name: COLUMN buildings.jitsi_room; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.buildings.jitsi_room IS 'Jitsi room name, for a meeting.';


--
-- Name: COLUMN buildings.world_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.buildings.world_id IS 'The room''s world, set from room_id; a portal leads to a room of the same world.';


--
-- Name: COLUMN buildings.derived; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.buildings.derived IS 'Made by the room''s map: the next publish_map replaces it. false: made by hand, kept.';


--
-- Name: map_versions; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.map_versions (
    room_id uuid NOT NULL,
    world_id uuid NOT NULL,
    version integer NOT NULL,
    name text NOT NULL,
    map jsonb NOT NULL,
    summary jsonb NOT NULL,
    width integer NOT NULL,
    height integer NOT NULL,
    collision bit varying NOT NULL,
    published_by uuid,
    publisher_role text NOT NULL,
    published_at timestamp with time zone DEFAULT now() NOT NULL,
    restored_from integer,
    CONSTRAINT map_versions_area CHECK (((width * height) <= 250000)),
    CONSTRAINT map_versions_collision_size CHECK ((length((collision)::"bit") = (width * height))),
    CONSTRAINT map_versions_height_range CHECK (((height >= 1) AND (height <= 1000))),
    CONSTRAINT map_versions_name_length CHECK (((char_length(name) >= 1) AND (char_length(name) <= 64))),
    CONSTRAINT map_versions_publisher_role_known CHECK ((publisher_role = ANY (ARRAY['player'::text, 'content_admin'::text, 'dba'::text]))),
    CONSTRAINT map_versions_restored_earlier CHECK ((restored_from < version)),
    CONSTRAINT map_versions_version_positive CHECK ((version >= 1)),
    CONSTRAINT map_versions_width_range CHECK (((width >= 1) AND (width <= 1000)))
);

ALTER TABLE ONLY app.map_versions FORCE ROW LEVEL SECURITY;


ALTER TABLE app.map_versions OWNER TO postgres;

--
-- Name: TABLE map_versions; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.map_versions IS 'Published maps, one row per version, never changed: publish and restore append.';


--
-- Name: COLUMN map_versions.collision; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app.map_versions.collision IS 'One bit per tile, index y * width + x; 1 is a wall.';


--
-- Name: COLUMN map_versions.published_by; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app.map_versions.published_by IS 'The player who published (or restored) it; NULL for content_admin and DBAs (publisher_role).';


--
-- Name: COLUMN map_versions.restored_from; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app.map_versions.restored_from IS 'The version a restore published again, else NULL.';


--
-- Name: map_versions; Type: VIEW; Schema: api; Owner: postgres
--

CREATE VIEW api.map_versions WITH (security_invoker='true') AS
 SELECT m.room_id,
    m.version,
    m.name,
    m.published_by,
    m.publisher_role,
    m.published_at,
    m.restored_from,
    m.summary
   FROM app.map_versions m
  WHERE (m.world_id = ANY (( SELECT app.map_editor_world_ids() AS map_editor_world_ids)::uuid[]))
  ORDER BY m.room_id, m.version DESC;


ALTER TABLE api.map_versions OWNER TO postgres;

--
-- Name: VIEW map_versions; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON VIEW api.map_versions IS 'Every published version of the maps of the worlds you own or edit, newest first: ?room_id=eq.<room id>.';


--
-- Name: COLUMN map_versions.room_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.map_versions.room_id IS 'The room (GET /rooms).';


--
-- Name: COLUMN map_versions.version; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.map_versions.version IS 'Numbered from 1 per room, without gaps; the room''s current one is GET /rooms map_version.';


--
-- Name: COLUMN map_versions.name; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.map_versions.name IS 'The room''s name this version gave it.';


--
-- Name: COLUMN map_versions.published_by; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.map_versions.published_by IS 'The player who published it (on a restore: who restored it); NULL when content_admin or a DBA did (publisher_role).';


--
-- Name: COLUMN map_versions.publisher_role; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.map_versions.publisher_role IS 'player, content_admin or dba (psql as the database owner).';


--
-- Name: COLUMN map_versions.published_at; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.map_versions.published_at IS 'When it was published.';


--
-- Name: COLUMN map_versions.restored_from; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.map_versions.restored_from IS 'For a restore, the version it published again.';


--
-- Name: COLUMN map_versions.summary; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.map_versions.summary IS '{width, height, tile_width, tile_height, layers, blocked_tiles, spawn_points, buildings}, as validate_map reports it.';


--
-- Name: me; Type: VIEW; Schema: api; Owner: postgres
--

CREATE VIEW api.me WITH (security_invoker='true') AS
 SELECT users.id,
    users.display_name,
    users.avatar_sprite,
    users.email,
    users.is_anonymous,
    users.created_at,
    users.last_seen_at
   FROM app.users
  WHERE (users.id = auth.user_id());


ALTER TABLE api.me OWNER TO postgres;

--
-- Name: VIEW me; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON VIEW api.me IS 'The signed-in player''s own profile. PATCH changes display_name and avatar_sprite.';


--
-- Name: COLUMN me.id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.me.id IS 'Your user id.';


--
-- Name: COLUMN me.display_name; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.me.display_name IS 'Name shown above your avatar: 1 to 32 characters.';


--
-- Name: COLUMN me.avatar_sprite; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.me.avatar_sprite IS 'Your sprite; one of GET /avatar_sprites.';


--
-- Name: COLUMN me.email; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.me.email IS 'Your email, once registered.';


--
-- Name: COLUMN me.is_anonymous; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.me.is_anonymous IS 'True until you register.';


--
-- Name: COLUMN me.created_at; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.me.created_at IS 'When you first joined.';


--
-- Name: COLUMN me.last_seen_at; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.me.last_seen_at IS 'When you last signed in or refreshed your token.';


--
-- Name: meeting_attendance; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.meeting_attendance (
    id bigint NOT NULL,
    session_id uuid NOT NULL,
    building_id uuid NOT NULL,
    world_id uuid NOT NULL,
    user_id uuid NOT NULL,
    source text NOT NULL,
    joined_at timestamp with time zone DEFAULT now() NOT NULL,
    left_at timestamp with time zone,
    occupant_jid text,
    CONSTRAINT meeting_attendance_call_has_jid CHECK (((source = 'call'::text) = (occupant_jid IS NOT NULL))),
    CONSTRAINT meeting_attendance_leaves_after_join CHECK ((left_at >= joined_at)),
    CONSTRAINT meeting_attendance_occupant_jid_length CHECK (((char_length(occupant_jid) >= 1) AND (char_length(occupant_jid) <= 512))),
    CONSTRAINT meeting_attendance_source_known CHECK ((source = ANY (ARRAY['zone'::text, 'call'::text])))
);

ALTER TABLE ONLY app.meeting_attendance FORCE ROW LEVEL SECURITY;


ALTER TABLE app.meeting_attendance OWNER TO postgres;

--
-- Name: TABLE meeting_attendance; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.meeting_attendance IS 'Who was in which meeting session: source zone (stood in the building''s rectangle) or call (Jitsi reported them in the call), from joined_at to left_at (NULL: still there).';


--
-- Name: COLUMN meeting_attendance.occupant_jid; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app.meeting_attendance.occupant_jid IS 'A call''s occupant as event_sync names it; with building_id and joined_at the key that makes replayed events count once.';


--
-- Name: meeting_sessions; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.meeting_sessions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    building_id uuid NOT NULL,
    world_id uuid NOT NULL,
    jitsi_room text NOT NULL,
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    ended_at timestamp with time zone,
    CONSTRAINT meeting_sessions_ends_after_start CHECK ((ended_at >= started_at))
);

ALTER TABLE ONLY app.meeting_sessions FORCE ROW LEVEL SECURITY;


ALTER TABLE app.meeting_sessions OWNER TO postgres;

--
-- Name: TABLE meeting_sessions; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.meeting_sessions IS 'One meeting of a meeting building: open (ended_at NULL) while anyone is in its zone or its call; at most one open per building.';


--
-- Name: COLUMN meeting_sessions.jitsi_room; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app.meeting_sessions.jitsi_room IS 'The Jitsi room name when the session opened (app.meeting_jitsi_name).';


--
-- Name: meeting_history; Type: VIEW; Schema: api; Owner: postgres
--

CREATE VIEW api.meeting_history WITH (security_invoker='true') AS
 SELECT a.session_id,
    a.building_id,
    w.slug AS world_slug,
    r.slug AS room_slug,
    s.jitsi_room,
    s.started_at,
    s.ended_at,
    a.user_id,
    a.source,
    a.joined_at,
    a.left_at,
    (floor(EXTRACT(epoch FROM (a.left_at - a.joined_at))))::integer AS duration_seconds
   FROM ((((app.meeting_attendance a
     JOIN app.meeting_sessions s ON ((s.id = a.session_id)))
     JOIN app.buildings b ON ((b.id = a.building_id)))
     JOIN app.rooms r ON ((r.id = b.room_id)))
     JOIN app.worlds w ON ((w.id = a.world_id)))
  ORDER BY a.joined_at DESC, a.id DESC;


ALTER TABLE api.meeting_history OWNER TO postgres;

--
-- Name: VIEW meeting_history; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON VIEW api.meeting_history IS 'Meeting attendance, newest first: your own, and everyone''s in the worlds you own or edit. Page with ?joined_at=lt.<the last joined_at>&limit=50.';


--
-- Name: COLUMN meeting_history.session_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.meeting_history.session_id IS 'The meeting session.';


--
-- Name: COLUMN meeting_history.building_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.meeting_history.building_id IS 'The meeting building.';


--
-- Name: COLUMN meeting_history.world_slug; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.meeting_history.world_slug IS 'The building''s world.';


--
-- Name: COLUMN meeting_history.room_slug; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.meeting_history.room_slug IS 'The building''s room.';


--
-- Name: COLUMN meeting_history.jitsi_room; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.meeting_history.jitsi_room IS 'The Jitsi room name of the session.';


--
-- Name: COLUMN meeting_history.started_at; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.meeting_history.started_at IS 'When the session began.';


--
-- Name: COLUMN meeting_history.ended_at; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.meeting_history.ended_at IS 'When the last one left; NULL while it goes on.';


--
-- Name: COLUMN meeting_history.user_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.meeting_history.user_id IS 'Who attended.';


--
-- Name: COLUMN meeting_history.source; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.meeting_history.source IS 'zone (stood in the meeting''s zone) or call (in its Jitsi call).';


--
-- Name: COLUMN meeting_history.joined_at; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.meeting_history.joined_at IS 'When they joined: the paging key (newest first).';


--
-- Name: COLUMN meeting_history.left_at; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.meeting_history.left_at IS 'When they left; NULL while still there.';


--
-- Name: COLUMN meeting_history.duration_seconds; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.meeting_history.duration_seconds IS 'Whole seconds from joined_at to left_at; NULL while still there.';


--
-- Name: meetings; Type: VIEW; Schema: api; Owner: postgres
--

CREATE VIEW api.meetings WITH (security_barrier='true') AS
 SELECT s.id AS session_id,
    s.building_id,
    w.slug AS world_slug,
    r.slug AS room_slug,
    s.jitsi_room,
    s.started_at,
    ( SELECT COALESCE(jsonb_agg(jsonb_build_object('user_id', x.user_id, 'display_name', u.display_name, 'joined_at', x.joined_at, 'in_call', x.in_call) ORDER BY x.joined_at, x.user_id), '[]'::jsonb) AS "coalesce"
           FROM (( SELECT a.user_id,
                    min(a.joined_at) AS joined_at,
                    bool_or((a.source = 'call'::text)) AS in_call
                   FROM app.meeting_attendance a
                  WHERE ((a.session_id = s.id) AND (a.left_at IS NULL))
                  GROUP BY a.user_id) x
             JOIN app.users u ON ((u.id = x.user_id)))) AS participants
   FROM (((app.meeting_sessions s
     JOIN app.buildings b ON ((b.id = s.building_id)))
     JOIN app.rooms r ON ((r.id = b.room_id)))
     JOIN app.worlds w ON ((w.id = s.world_id)))
  WHERE ((s.ended_at IS NULL) AND (s.world_id = ANY (( SELECT app.readable_world_ids() AS readable_world_ids)::uuid[])));


ALTER TABLE api.meetings OWNER TO postgres;

--
-- Name: VIEW meetings; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON VIEW api.meetings IS 'Live meetings in the worlds you may see: who is in each (in its zone, or in its Jitsi call: in_call), since when.';


--
-- Name: COLUMN meetings.session_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.meetings.session_id IS 'The meeting session: one per building while anyone is in it.';


--
-- Name: COLUMN meetings.building_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.meetings.building_id IS 'The meeting building (GET /buildings).';


--
-- Name: COLUMN meetings.world_slug; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.meetings.world_slug IS 'The building''s world.';


--
-- Name: COLUMN meetings.room_slug; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.meetings.room_slug IS 'The building''s room.';


--
-- Name: COLUMN meetings.jitsi_room; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.meetings.jitsi_room IS 'The Jitsi room name: <world slug>_<the building''s jitsi_room>, unique per installation.';


--
-- Name: COLUMN meetings.started_at; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.meetings.started_at IS 'When the first one came in.';


--
-- Name: COLUMN meetings.participants; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.meetings.participants IS '[{user_id, display_name, joined_at, in_call}], first joined first.';


--
-- Name: presence; Type: VIEW; Schema: api; Owner: postgres
--

CREATE VIEW api.presence WITH (security_barrier='true') AS
 SELECT p.user_id,
    u.display_name,
    u.avatar_sprite,
    p.room_id,
    r.slug AS room_slug,
    p.x,
    p.y,
    p.direction,
    p.status,
    p.last_update,
    r.world_id,
    w.slug AS world_slug
   FROM (((app.player_presence p
     JOIN app.users u ON ((u.id = p.user_id)))
     JOIN app.rooms r ON ((r.id = p.room_id)))
     JOIN app.worlds w ON ((w.id = r.world_id)))
  WHERE (((p.status)::text <> 'offline'::text) AND (r.world_id = ANY (( SELECT app.readable_world_ids() AS readable_world_ids)::uuid[])));


ALTER TABLE api.presence OWNER TO postgres;

--
-- Name: VIEW presence; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON VIEW api.presence IS 'Who is where right now, in the worlds you may see: every player who is not offline. Filter with world_slug=eq.ark&room_slug=eq.town.';


--
-- Name: COLUMN presence.user_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.presence.user_id IS 'The player.';


--
-- Name: COLUMN presence.display_name; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.presence.display_name IS 'Name shown above the avatar.';


--
-- Name: COLUMN presence.avatar_sprite; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.presence.avatar_sprite IS 'Sprite key.';


--
-- Name: COLUMN presence.room_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.presence.room_id IS 'The room.';


--
-- Name: COLUMN presence.room_slug; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.presence.room_slug IS 'The room''s slug.';


--
-- Name: COLUMN presence.x; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.presence.x IS 'Tile x.';


--
-- Name: COLUMN presence.y; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.presence.y IS 'Tile y.';


--
-- Name: COLUMN presence.direction; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.presence.direction IS 'Facing.';


--
-- Name: COLUMN presence.status; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.presence.status IS 'online, away or busy.';


--
-- Name: COLUMN presence.last_update; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.presence.last_update IS 'Last sign of life.';


--
-- Name: COLUMN presence.world_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.presence.world_id IS 'The room''s world.';


--
-- Name: COLUMN presence.world_slug; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.presence.world_slug IS 'The world''s slug.';


--
-- Name: room_maps; Type: VIEW; Schema: api; Owner: postgres
--

CREATE VIEW api.room_maps WITH (security_invoker='true') AS
 SELECT r.id AS room_id,
    w.slug AS world_slug,
    r.slug AS room_slug,
    m.version,
    m.map
   FROM ((app.rooms r
     JOIN app.worlds w ON ((w.id = r.world_id)))
     JOIN app.map_versions m ON (((m.room_id = r.id) AND (m.version = r.map_version))));


ALTER TABLE api.room_maps OWNER TO postgres;

--
-- Name: VIEW room_maps; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON VIEW api.room_maps IS 'The current map of each room you may see, as published: a Tiled JSON map. Filter with ?world_slug=eq.ark&room_slug=eq.town.';


--
-- Name: COLUMN room_maps.room_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.room_maps.room_id IS 'The room (GET /rooms).';


--
-- Name: COLUMN room_maps.world_slug; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.room_maps.world_slug IS 'The room''s world.';


--
-- Name: COLUMN room_maps.room_slug; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.room_maps.room_slug IS 'The room''s slug, unique in its world.';


--
-- Name: COLUMN room_maps.version; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.room_maps.version IS 'The current version (GET /map_versions for the history).';


--
-- Name: COLUMN room_maps.map; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.room_maps.map IS 'The Tiled JSON map, equal as JSON to what was published (key order may differ).';


--
-- Name: rooms; Type: VIEW; Schema: api; Owner: postgres
--

CREATE VIEW api.rooms WITH (security_invoker='true') AS
 SELECT rooms.id,
    rooms.slug,
    rooms.name,
    rooms.tilemap_key,
    rooms.width_tiles,
    rooms.height_tiles,
    rooms.default_spawn_x,
    rooms.default_spawn_y,
    rooms.is_main,
    rooms.max_speed,
    rooms.proximity_radius,
    rooms.world_id,
    rooms.map_version
   FROM app.rooms;


ALTER TABLE api.rooms OWNER TO postgres;

--
-- Name: VIEW rooms; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON VIEW api.rooms IS 'Rooms (tile maps) of the worlds you may see. Each world has one main room, is_main, where players start.';


--
-- Name: COLUMN rooms.id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.rooms.id IS 'Room id.';


--
-- Name: COLUMN rooms.slug; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.rooms.slug IS 'URL-safe name, unique within its world, e.g. town.';


--
-- Name: COLUMN rooms.name; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.rooms.name IS 'Display name.';


--
-- Name: COLUMN rooms.tilemap_key; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.rooms.tilemap_key IS 'Tilemap JSON the client loads; empty for a room without a map yet.';


--
-- Name: COLUMN rooms.width_tiles; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.rooms.width_tiles IS 'Width in tiles.';


--
-- Name: COLUMN rooms.height_tiles; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.rooms.height_tiles IS 'Height in tiles.';


--
-- Name: COLUMN rooms.default_spawn_x; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.rooms.default_spawn_x IS 'Tile x where players appear by default.';


--
-- Name: COLUMN rooms.default_spawn_y; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.rooms.default_spawn_y IS 'Tile y where players appear by default.';


--
-- Name: COLUMN rooms.is_main; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.rooms.is_main IS 'True for its world''s starting room; at most one per world.';


--
-- Name: COLUMN rooms.max_speed; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.rooms.max_speed IS 'Fastest allowed movement, tiles per second.';


--
-- Name: COLUMN rooms.proximity_radius; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.rooms.proximity_radius IS 'Proximity chat range, in tiles.';


--
-- Name: COLUMN rooms.world_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.rooms.world_id IS 'The world (GET /worlds); a room posted without one goes to the default world.';


--
-- Name: COLUMN rooms.map_version; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.rooms.map_version IS 'The current map version (GET /room_maps), NULL for a room without a map: no walls. Set by publish_map only.';


--
-- Name: spawn_points; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.spawn_points (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    room_id uuid NOT NULL,
    slug app.slug NOT NULL,
    x integer NOT NULL,
    y integer NOT NULL,
    type text NOT NULL,
    agent_id uuid,
    direction app.direction DEFAULT 'down'::text NOT NULL,
    world_id uuid NOT NULL,
    derived boolean DEFAULT false NOT NULL,
    CONSTRAINT spawn_points_agent_iff_agent_type CHECK (((type = 'agent'::text) = (agent_id IS NOT NULL))),
    CONSTRAINT spawn_points_type_known CHECK ((type = ANY (ARRAY['player'::text, 'agent'::text])))
);

ALTER TABLE ONLY app.spawn_points FORCE ROW LEVEL SECURITY;


ALTER TABLE app.spawn_points OWNER TO postgres;

--
-- Name: TABLE spawn_points; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.spawn_points IS 'Spawn positions; agent_id is set exactly when type is agent.';


--
-- Name: COLUMN spawn_points.derived; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app.spawn_points.derived IS 'Made from the room''s map: replaced on each publish. Hand-made rows (false) stay.';


--
-- Name: spawn_points; Type: VIEW; Schema: api; Owner: postgres
--

CREATE VIEW api.spawn_points WITH (security_invoker='true') AS
 SELECT spawn_points.id,
    spawn_points.room_id,
    spawn_points.slug,
    spawn_points.x,
    spawn_points.y,
    spawn_points.type,
    spawn_points.agent_id,
    spawn_points.direction,
    spawn_points.world_id,
    spawn_points.derived
   FROM app.spawn_points;


ALTER TABLE api.spawn_points OWNER TO postgres;

--
-- Name: VIEW spawn_points; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON VIEW api.spawn_points IS 'Where players and agents appear in each room.';


--
-- Name: COLUMN spawn_points.id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.spawn_points.id IS 'Spawn point id.';


--
-- Name: COLUMN spawn_points.room_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.spawn_points.room_id IS 'The room.';


--
-- Name: COLUMN spawn_points.slug; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.spawn_points.slug IS 'URL-safe name, unique within the room.';


--
-- Name: COLUMN spawn_points.x; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.spawn_points.x IS 'Tile x.';


--
-- Name: COLUMN spawn_points.y; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.spawn_points.y IS 'Tile y.';


--
-- Name: COLUMN spawn_points.type; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.spawn_points.type IS 'player or agent.';


--
-- Name: COLUMN spawn_points.agent_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.spawn_points.agent_id IS 'The agent, exactly when type is agent.';


--
-- Name: COLUMN spawn_points.direction; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.spawn_points.direction IS 'Initial facing: up, down, left or right.';


--
-- Name: COLUMN spawn_points.world_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.spawn_points.world_id IS 'The room''s world, set from room_id.';


--
-- Name: COLUMN spawn_points.derived; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.spawn_points.derived IS 'Made by the room''s map: the next publish_map replaces it. false: made by hand, kept.';


--
-- Name: tilesets; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.tilesets (
    name app.slug NOT NULL,
    image text NOT NULL,
    tile_width integer NOT NULL,
    tile_height integer NOT NULL,
    columns integer NOT NULL,
    tilecount integer NOT NULL,
    image_width integer NOT NULL,
    image_height integer NOT NULL,
    CONSTRAINT tilesets_columns_positive CHECK (((columns >= 1) AND (columns <= 4096))),
    CONSTRAINT tilesets_image_holds_tiles CHECK (((image_width >= (columns * tile_width)) AND ((image_height)::numeric >= (ceil(((tilecount)::numeric / (columns)::numeric)) * (tile_height)::numeric)))),
    CONSTRAINT tilesets_image_relative CHECK (((image ~ '^[A-Za-z0-9_-][A-Za-z0-9_./-]{0,199}$'::text) AND (image !~ '(^|/)\.\.(/|$)'::text))),
    CONSTRAINT tilesets_tile_height_range CHECK (((tile_height >= 8) AND (tile_height <= 256))),
    CONSTRAINT tilesets_tile_width_range CHECK (((tile_width >= 8) AND (tile_width <= 256))),
    CONSTRAINT tilesets_tilecount_positive CHECK (((tilecount >= 1) AND (tilecount <= 1048576)))
);

ALTER TABLE ONLY app.tilesets FORCE ROW LEVEL SECURITY;


ALTER TABLE app.tilesets OWNER TO postgres;

--
-- Name: TABLE tilesets; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.tilesets IS 'Tileset images the installation serves; a map''s tilesets must match one (image, tile size, columns).';


--
-- Name: tilesets; Type: VIEW; Schema: api; Owner: postgres
--

CREATE VIEW api.tilesets WITH (security_invoker='true') AS
 SELECT tilesets.name,
    tilesets.image,
    tilesets.tile_width,
    tilesets.tile_height,
    tilesets.columns,
    tilesets.tilecount,
    tilesets.image_width,
    tilesets.image_height
   FROM app.tilesets;


ALTER TABLE api.tilesets OWNER TO postgres;

--
-- Name: VIEW tilesets; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON VIEW api.tilesets IS 'The tileset images this installation serves. A map''s embedded tileset must match one by image, tile size and columns.';


--
-- Name: COLUMN tilesets.name; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.tilesets.name IS 'The tileset''s name, a slug (Tiled''s tileset name).';


--
-- Name: COLUMN tilesets.image; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.tilesets.image IS 'The image path as maps write it, relative to the client''s assets.';


--
-- Name: COLUMN tilesets.tile_width; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.tilesets.tile_width IS 'Tile width in pixels; a map''s tileset and tilewidth must match it.';


--
-- Name: COLUMN tilesets.tile_height; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.tilesets.tile_height IS 'Tile height in pixels; a map''s tileset and tileheight must match it.';


--
-- Name: COLUMN tilesets.columns; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.tilesets.columns IS 'Tiles per row of the image; a map''s tileset must say the same.';


--
-- Name: COLUMN tilesets.tilecount; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.tilesets.tilecount IS 'Tiles in the image: a map''s gids stay within firstgid .. firstgid + tilecount - 1.';


--
-- Name: COLUMN tilesets.image_width; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.tilesets.image_width IS 'The image''s width in pixels.';


--
-- Name: COLUMN tilesets.image_height; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.tilesets.image_height IS 'The image''s height in pixels.';


--
-- Name: user_settings; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.user_settings (
    user_id uuid NOT NULL,
    audio_enabled boolean DEFAULT true NOT NULL,
    video_enabled boolean DEFAULT false NOT NULL,
    volume integer DEFAULT 80 NOT NULL,
    theme text DEFAULT 'dark'::text NOT NULL,
    show_player_names boolean DEFAULT true NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT user_settings_theme_known CHECK ((theme = ANY (ARRAY['dark'::text, 'light'::text]))),
    CONSTRAINT user_settings_volume_range CHECK (((volume >= 0) AND (volume <= 100)))
);

ALTER TABLE ONLY app.user_settings FORCE ROW LEVEL SECURITY;


ALTER TABLE app.user_settings OWNER TO postgres;

--
-- Name: TABLE user_settings; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.user_settings IS 'Audio, video and display preferences, one row per user.';


--
-- Name: user_settings; Type: VIEW; Schema: api; Owner: postgres
--

CREATE VIEW api.user_settings WITH (security_invoker='true') AS
 SELECT user_settings.user_id,
    user_settings.audio_enabled,
    user_settings.video_enabled,
    user_settings.volume,
    user_settings.theme,
    user_settings.show_player_names,
    user_settings.updated_at
   FROM app.user_settings;


ALTER TABLE api.user_settings OWNER TO postgres;

--
-- Name: VIEW user_settings; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON VIEW api.user_settings IS 'Your own preferences (one row). PATCH to change them.';


--
-- Name: COLUMN user_settings.user_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.user_settings.user_id IS 'Your user id.';


--
-- Name: COLUMN user_settings.audio_enabled; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.user_settings.audio_enabled IS 'Microphone on by default.';


--
-- Name: COLUMN user_settings.video_enabled; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.user_settings.video_enabled IS 'Camera on by default.';


--
-- Name: COLUMN user_settings.volume; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.user_settings.volume IS 'Speaker volume, 0 to 100.';


--
-- Name: COLUMN user_settings.theme; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.user_settings.theme IS 'dark or light.';


--
-- Name: COLUMN user_settings.show_player_names; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.user_settings.show_player_names IS 'Show names above other players.';


--
-- Name: COLUMN user_settings.updated_at; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.user_settings.updated_at IS 'Last change.';


--
-- Name: users; Type: VIEW; Schema: api; Owner: postgres
--

CREATE VIEW api.users WITH (security_barrier='true') AS
 SELECT users.id,
    users.display_name,
    users.avatar_sprite,
    users.last_seen_at
   FROM app.users;


ALTER TABLE api.users OWNER TO postgres;

--
-- Name: VIEW users; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON VIEW api.users IS 'Public profiles of all players. Never includes an email.';


--
-- Name: COLUMN users.id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.users.id IS 'User id.';


--
-- Name: COLUMN users.display_name; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.users.display_name IS 'Name shown above the avatar.';


--
-- Name: COLUMN users.avatar_sprite; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.users.avatar_sprite IS 'Sprite key.';


--
-- Name: COLUMN users.last_seen_at; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.users.last_seen_at IS 'For "online X ago".';


--
-- Name: world_bans; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.world_bans (
    world_id uuid NOT NULL,
    user_id uuid NOT NULL,
    reason text DEFAULT ''::text NOT NULL,
    banned_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    until timestamp with time zone,
    CONSTRAINT world_bans_reason_bidi CHECK ((reason !~ '[\u202a-\u202e\u2066-\u2069]'::text)),
    CONSTRAINT world_bans_reason_shape CHECK (((char_length(reason) <= 500) AND (reason !~ '[\x01-\x08\x0b-\x1f\x7f]'::text))),
    CONSTRAINT world_bans_until_after_creation CHECK (((until IS NULL) OR (until > created_at)))
);

ALTER TABLE ONLY app.world_bans FORCE ROW LEVEL SECURITY;


ALTER TABLE app.world_bans OWNER TO postgres;

--
-- Name: TABLE world_bans; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.world_bans IS 'Players kept out of a world, for good or until a time. A ban also ends a membership.';


--
-- Name: world_bans; Type: VIEW; Schema: api; Owner: postgres
--

CREATE VIEW api.world_bans WITH (security_invoker='true') AS
 SELECT world_bans.world_id,
    world_bans.user_id,
    world_bans.reason,
    world_bans.banned_by,
    world_bans.created_at,
    world_bans.until
   FROM app.world_bans;


ALTER TABLE api.world_bans OWNER TO postgres;

--
-- Name: VIEW world_bans; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON VIEW api.world_bans IS 'Bans of the worlds you own or edit.';


--
-- Name: COLUMN world_bans.world_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.world_bans.world_id IS 'The world.';


--
-- Name: COLUMN world_bans.user_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.world_bans.user_id IS 'The banned player.';


--
-- Name: COLUMN world_bans.reason; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.world_bans.reason IS 'Why, as given by who banned them.';


--
-- Name: COLUMN world_bans.banned_by; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.world_bans.banned_by IS 'Who banned them.';


--
-- Name: COLUMN world_bans.created_at; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.world_bans.created_at IS 'When they were banned.';


--
-- Name: COLUMN world_bans.until; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.world_bans.until IS 'When the ban ends; null for good.';


--
-- Name: world_invitations; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.world_invitations (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    world_id uuid NOT NULL,
    role text DEFAULT 'member'::text NOT NULL,
    token_hash bytea NOT NULL,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone DEFAULT (now() + '7 days'::interval) NOT NULL,
    max_uses integer DEFAULT 1 NOT NULL,
    uses integer DEFAULT 0 NOT NULL,
    revoked_at timestamp with time zone,
    email text,
    CONSTRAINT world_invitations_email_shape CHECK (((email ~ '^[^@[:space:][:cntrl:]]+@[^@[:space:][:cntrl:]]+\.[^@[:space:][:cntrl:]]+$'::text) AND (char_length(email) <= 254) AND (email = lower(email)))),
    CONSTRAINT world_invitations_expiry_after_creation CHECK ((expires_at > created_at)),
    CONSTRAINT world_invitations_max_uses_range CHECK (((max_uses >= 1) AND (max_uses <= 1000))),
    CONSTRAINT world_invitations_role_known CHECK ((role = ANY (ARRAY['editor'::text, 'member'::text]))),
    CONSTRAINT world_invitations_token_hash_sha256 CHECK ((octet_length(token_hash) = 32)),
    CONSTRAINT world_invitations_uses_range CHECK (((uses >= 0) AND (uses <= max_uses)))
);

ALTER TABLE ONLY app.world_invitations FORCE ROW LEVEL SECURITY;


ALTER TABLE app.world_invitations OWNER TO postgres;

--
-- Name: TABLE world_invitations; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.world_invitations IS 'Invitations to a world: hashed tokens with an expiry, a use limit, revocation and an optional email binding.';


--
-- Name: world_invitations; Type: VIEW; Schema: api; Owner: postgres
--

CREATE VIEW api.world_invitations WITH (security_invoker='true') AS
 SELECT world_invitations.id,
    world_invitations.world_id,
    world_invitations.role,
    world_invitations.created_by,
    world_invitations.created_at,
    world_invitations.expires_at,
    world_invitations.max_uses,
    world_invitations.uses,
    world_invitations.revoked_at,
    world_invitations.email
   FROM app.world_invitations;


ALTER TABLE api.world_invitations OWNER TO postgres;

--
-- Name: VIEW world_invitations; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON VIEW api.world_invitations IS 'Invitations of the worlds you own or edit: metadata only, never a token or its hash.';


--
-- Name: COLUMN world_invitations.id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.world_invitations.id IS 'Invitation id, for /rpc/revoke_invitation.';


--
-- Name: COLUMN world_invitations.world_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.world_invitations.world_id IS 'The world it admits to.';


--
-- Name: COLUMN world_invitations.role; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.world_invitations.role IS 'The role it gives: editor or member.';


--
-- Name: COLUMN world_invitations.created_by; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.world_invitations.created_by IS 'Who created it.';


--
-- Name: COLUMN world_invitations.created_at; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.world_invitations.created_at IS 'When it was created.';


--
-- Name: COLUMN world_invitations.expires_at; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.world_invitations.expires_at IS 'After this it is refused.';


--
-- Name: COLUMN world_invitations.max_uses; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.world_invitations.max_uses IS 'How many players it may admit.';


--
-- Name: COLUMN world_invitations.uses; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.world_invitations.uses IS 'How many it has admitted.';


--
-- Name: COLUMN world_invitations.revoked_at; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.world_invitations.revoked_at IS 'When it was revoked; null while valid.';


--
-- Name: COLUMN world_invitations.email; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.world_invitations.email IS 'When set, only the registered player with this email may accept.';


--
-- Name: world_members; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.world_members (
    world_id uuid NOT NULL,
    user_id uuid NOT NULL,
    role text NOT NULL,
    joined_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT world_members_role_known CHECK ((role = ANY (ARRAY['owner'::text, 'editor'::text, 'member'::text])))
);

ALTER TABLE ONLY app.world_members FORCE ROW LEVEL SECURITY;


ALTER TABLE app.world_members OWNER TO postgres;

--
-- Name: TABLE world_members; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.world_members IS 'Who belongs to a world, and as what. Exactly one owner per player-owned world.';


--
-- Name: world_members; Type: VIEW; Schema: api; Owner: postgres
--

CREATE VIEW api.world_members WITH (security_invoker='true') AS
 SELECT m.world_id,
    m.user_id,
    m.role,
    m.joined_at,
    u.display_name
   FROM (app.world_members m
     LEFT JOIN api.users u ON ((u.id = m.user_id)));


ALTER TABLE api.world_members OWNER TO postgres;

--
-- Name: VIEW world_members; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON VIEW api.world_members IS 'Who belongs to the worlds you are a member of, with their roles: GET /world_members?world_id=eq.<id>.';


--
-- Name: COLUMN world_members.world_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.world_members.world_id IS 'The world (GET /worlds).';


--
-- Name: COLUMN world_members.user_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.world_members.user_id IS 'The member (GET /users).';


--
-- Name: COLUMN world_members.role; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.world_members.role IS 'owner, editor or member.';


--
-- Name: COLUMN world_members.joined_at; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.world_members.joined_at IS 'When they joined.';


--
-- Name: COLUMN world_members.display_name; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.world_members.display_name IS 'The member''s display name.';


--
-- Name: worlds; Type: VIEW; Schema: api; Owner: postgres
--

CREATE VIEW api.worlds WITH (security_invoker='true') AS
 SELECT worlds.id,
    worlds.slug,
    worlds.name,
    worlds.description,
    worlds.visibility,
    worlds.owner_id,
    worlds.created_at,
    worlds.archived_at,
    app.my_world_role(worlds.id) AS my_role
   FROM app.worlds
  WHERE (worlds.id = ANY (( SELECT app.listed_world_ids() AS listed_world_ids)::uuid[]));


ALTER TABLE api.worlds OWNER TO postgres;

--
-- Name: VIEW worlds; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON VIEW api.worlds IS 'Worlds: the public ones and the ones you are a member of (an archived one only for its owner); never an unlisted or private world you are not in. PATCH ?slug=eq.<slug>: owners change name, description, visibility and slug, editors name and description.';


--
-- Name: COLUMN worlds.id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.worlds.id IS 'World id; rooms, buildings and spawn points carry it as world_id.';


--
-- Name: COLUMN worlds.slug; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.worlds.slug IS 'URL-safe name, unique, e.g. my-world; the shareable link of an unlisted world.';


--
-- Name: COLUMN worlds.name; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.worlds.name IS 'Display name, 1 to 64 characters.';


--
-- Name: COLUMN worlds.description; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.worlds.description IS 'Free text, at most 500 characters.';


--
-- Name: COLUMN worlds.visibility; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.worlds.visibility IS 'public (listed, open), unlisted (open with the slug) or private (members only).';


--
-- Name: COLUMN worlds.owner_id; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.worlds.owner_id IS 'The owning player; null for the installation''s own worlds such as ark.';


--
-- Name: COLUMN worlds.created_at; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.worlds.created_at IS 'When the world was created.';


--
-- Name: COLUMN worlds.archived_at; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.worlds.archived_at IS 'When its owner archived it (only the owner sees an archived world); null otherwise.';


--
-- Name: COLUMN worlds.my_role; Type: COMMENT; Schema: api; Owner: postgres
--

COMMENT ON COLUMN api.worlds.my_role IS 'Your role in it: owner, editor, member, or null. Read only.';


--
-- Name: agent_prompt_activations_id_seq; Type: SEQUENCE; Schema: app; Owner: postgres
--

ALTER TABLE app.agent_prompt_activations ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME app.agent_prompt_activations_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: chat_log; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.chat_log (
    "position" bigint NOT NULL,
    message_id bigint NOT NULL,
    session_id uuid NOT NULL
);

ALTER TABLE ONLY app.chat_log FORCE ROW LEVEL SECURITY;


ALTER TABLE app.chat_log OWNER TO postgres;

--
-- Name: TABLE chat_log; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.chat_log IS 'Stream position of every committed chat message, in commit order as seen by the sequencer: the exact resume cursor of the bridge.';


--
-- Name: chat_log_position_seq; Type: SEQUENCE; Schema: app; Owner: postgres
--

ALTER TABLE app.chat_log ALTER COLUMN "position" ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME app.chat_log_position_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: chat_log_state; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.chat_log_state (
    singleton boolean DEFAULT true NOT NULL,
    snapshot pg_snapshot NOT NULL,
    CONSTRAINT chat_log_state_one_row CHECK (singleton)
);

ALTER TABLE ONLY app.chat_log_state FORCE ROW LEVEL SECURITY;


ALTER TABLE app.chat_log_state OWNER TO postgres;

--
-- Name: TABLE chat_log_state; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.chat_log_state IS 'The snapshot of realtime.chat_stamp''s last run: the messages it could not see are the next to stamp.';


--
-- Name: chat_message_recipients; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.chat_message_recipients (
    message_id bigint NOT NULL,
    user_id uuid NOT NULL
);

ALTER TABLE ONLY app.chat_message_recipients FORCE ROW LEVEL SECURITY;


ALTER TABLE app.chat_message_recipients OWNER TO postgres;

--
-- Name: TABLE chat_message_recipients; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.chat_message_recipients IS 'Recipients of proximity messages, fixed when the message was said.';


--
-- Name: chat_messages_id_seq; Type: SEQUENCE; Schema: app; Owner: postgres
--

ALTER TABLE app.chat_messages ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME app.chat_messages_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: chat_read_markers; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.chat_read_markers (
    session_id uuid NOT NULL,
    user_id uuid NOT NULL,
    last_read_message_id bigint NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY app.chat_read_markers FORCE ROW LEVEL SECURITY;


ALTER TABLE app.chat_read_markers OWNER TO postgres;

--
-- Name: TABLE chat_read_markers; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.chat_read_markers IS 'The last message each participant has read in each session.';


--
-- Name: identity_settings; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.identity_settings (
    singleton boolean DEFAULT true NOT NULL,
    trusted_client_address_header text,
    abandoned_anonymous_after interval DEFAULT '30 days'::interval NOT NULL,
    housekeeping_every interval DEFAULT '00:10:00'::interval NOT NULL,
    housekeeping_batch integer DEFAULT 200 NOT NULL,
    housekeeping_last_run_at timestamp with time zone DEFAULT '-infinity'::timestamp with time zone NOT NULL,
    CONSTRAINT identity_settings_abandoned_after_day CHECK ((abandoned_anonymous_after >= '1 day'::interval)),
    CONSTRAINT identity_settings_batch_range CHECK (((housekeeping_batch >= 1) AND (housekeeping_batch <= 10000))),
    CONSTRAINT identity_settings_every_positive CHECK ((housekeeping_every > '00:00:00'::interval)),
    CONSTRAINT identity_settings_header_shape CHECK ((trusted_client_address_header ~ '^[a-z0-9-]{1,64}$'::text)),
    CONSTRAINT identity_settings_single_row CHECK (singleton)
);

ALTER TABLE ONLY app.identity_settings FORCE ROW LEVEL SECURITY;


ALTER TABLE app.identity_settings OWNER TO postgres;

--
-- Name: TABLE identity_settings; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.identity_settings IS 'Per-installation settings of the identity limits (one row): the trusted client address header, when an abandoned anonymous account is deleted, and how often and how much housekeeping runs.';


--
-- Name: meeting_attendance_id_seq; Type: SEQUENCE; Schema: app; Owner: postgres
--

ALTER TABLE app.meeting_attendance ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME app.meeting_attendance_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: rate_limit_buckets; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.rate_limit_buckets (
    action text NOT NULL,
    bucket text NOT NULL,
    tat timestamp with time zone NOT NULL,
    CONSTRAINT rate_limit_buckets_bucket_shape CHECK (((char_length(bucket) >= 1) AND (char_length(bucket) <= 64)))
);

ALTER TABLE ONLY app.rate_limit_buckets FORCE ROW LEVEL SECURITY;


ALTER TABLE app.rate_limit_buckets OWNER TO postgres;

--
-- Name: TABLE rate_limit_buckets; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.rate_limit_buckets IS 'GCRA theoretical arrival time per action and bucket (''*'' global, ''address:<ip>'' per client address); a row whose tat has passed is the same as no row.';


--
-- Name: rate_limit_rules; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.rate_limit_rules (
    action text NOT NULL,
    max_events integer NOT NULL,
    per interval NOT NULL,
    CONSTRAINT rate_limit_rules_action_shape CHECK ((action ~ '^[a-z_]{1,64}$'::text)),
    CONSTRAINT rate_limit_rules_max_positive CHECK ((max_events >= 1)),
    CONSTRAINT rate_limit_rules_per_positive CHECK ((per > '00:00:00'::interval))
);

ALTER TABLE ONLY app.rate_limit_rules FORCE ROW LEVEL SECURITY;


ALTER TABLE app.rate_limit_rules OWNER TO postgres;

--
-- Name: TABLE rate_limit_rules; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.rate_limit_rules IS 'At most max_events of an action within any window of length per: per user (app.rate_limit_state), per bucket (app.rate_limit_buckets), or failed attempts per window (auth.login_throttle, auth.register_throttle). Edit rows to change limits; delete a row to lift its limit.';


--
-- Name: rate_limit_state; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.rate_limit_state (
    user_id uuid NOT NULL,
    action text NOT NULL,
    tat timestamp with time zone NOT NULL
);

ALTER TABLE ONLY app.rate_limit_state FORCE ROW LEVEL SECURITY;


ALTER TABLE app.rate_limit_state OWNER TO postgres;

--
-- Name: TABLE rate_limit_state; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.rate_limit_state IS 'Per user and action, the GCRA theoretical arrival time.';


--
-- Name: world_settings; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.world_settings (
    singleton boolean DEFAULT true NOT NULL,
    default_world_slug app.slug DEFAULT 'ark'::text NOT NULL,
    max_worlds_per_owner integer DEFAULT 10 NOT NULL,
    max_agents_per_world integer DEFAULT 20 NOT NULL,
    CONSTRAINT world_settings_max_agents_range CHECK (((max_agents_per_world >= 0) AND (max_agents_per_world <= 1000))),
    CONSTRAINT world_settings_max_worlds_range CHECK (((max_worlds_per_owner >= 0) AND (max_worlds_per_owner <= 10000))),
    CONSTRAINT world_settings_single_row CHECK (singleton)
);

ALTER TABLE ONLY app.world_settings FORCE ROW LEVEL SECURITY;


ALTER TABLE app.world_settings OWNER TO postgres;

--
-- Name: TABLE world_settings; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.world_settings IS 'Per-installation world settings (one row): the default world, and how many worlds a player may own.';


--
-- Name: COLUMN world_settings.max_agents_per_world; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app.world_settings.max_agents_per_world IS 'How many agents a player''s world may have (create_agent and import_character_card).';


--
-- Name: world_visitors; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.world_visitors (
    world_id uuid NOT NULL,
    user_id uuid NOT NULL,
    first_visit_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY app.world_visitors FORCE ROW LEVEL SECURITY;


ALTER TABLE app.world_visitors OWNER TO postgres;

--
-- Name: TABLE world_visitors; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.world_visitors IS 'Signed-in players who asked for an unlisted world by its slug (get_world or a join): they may read its content. Not a membership.';


--
-- Name: credentials; Type: TABLE; Schema: auth; Owner: postgres
--

CREATE TABLE auth.credentials (
    user_id uuid NOT NULL,
    password_hash text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT credentials_bcrypt CHECK ((password_hash ~ '^\$2[abxy]\$'::text))
);

ALTER TABLE ONLY auth.credentials FORCE ROW LEVEL SECURITY;


ALTER TABLE auth.credentials OWNER TO postgres;

--
-- Name: TABLE credentials; Type: COMMENT; Schema: auth; Owner: postgres
--

COMMENT ON TABLE auth.credentials IS 'Password hashes (bcrypt). Granted to no role: only SECURITY DEFINER functions in api read them.';


--
-- Name: jitsi_config; Type: TABLE; Schema: auth; Owner: postgres
--

CREATE TABLE auth.jitsi_config (
    singleton boolean DEFAULT true NOT NULL,
    domain text NOT NULL,
    app_id text NOT NULL,
    app_secret text NOT NULL,
    audience text DEFAULT 'jitsi'::text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT jitsi_config_app_id_shape CHECK ((app_id ~ '^[!-~]{1,128}$'::text)),
    CONSTRAINT jitsi_config_audience_shape CHECK ((audience ~ '^[!-~]{1,128}$'::text)),
    CONSTRAINT jitsi_config_domain_shape CHECK ((domain ~ '^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(:[0-9]{1,5})?$'::text)),
    CONSTRAINT jitsi_config_secret_long_enough CHECK ((octet_length(app_secret) >= 32)),
    CONSTRAINT jitsi_config_single_row CHECK (singleton)
);

ALTER TABLE ONLY auth.jitsi_config FORCE ROW LEVEL SECURITY;


ALTER TABLE auth.jitsi_config OWNER TO postgres;

--
-- Name: TABLE jitsi_config; Type: COMMENT; Schema: auth; Owner: postgres
--

COMMENT ON TABLE auth.jitsi_config IS 'The Jitsi deployment tokens are minted for (one row, or none: no Jitsi). Granted to no role; written by auth.set_jitsi_config() at deploy.';


--
-- Name: jwt_secret; Type: TABLE; Schema: auth; Owner: postgres
--

CREATE TABLE auth.jwt_secret (
    singleton boolean DEFAULT true NOT NULL,
    secret text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT jwt_secret_long_enough CHECK ((octet_length(secret) >= 32)),
    CONSTRAINT jwt_secret_single_row CHECK (singleton)
);

ALTER TABLE ONLY auth.jwt_secret FORCE ROW LEVEL SECURITY;


ALTER TABLE auth.jwt_secret OWNER TO postgres;

--
-- Name: TABLE jwt_secret; Type: COMMENT; Schema: auth; Owner: postgres
--

COMMENT ON TABLE auth.jwt_secret IS 'The JWT signing key (one row). Granted to no role; set by auth.set_jwt_secret() at deploy.';


--
-- Name: login_throttle; Type: TABLE; Schema: auth; Owner: postgres
--

CREATE TABLE auth.login_throttle (
    email text NOT NULL,
    failures integer DEFAULT 0 NOT NULL,
    window_start timestamp with time zone DEFAULT now() NOT NULL,
    last_failure_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT login_throttle_failures_positive CHECK ((failures >= 0))
);

ALTER TABLE ONLY auth.login_throttle FORCE ROW LEVEL SECURITY;


ALTER TABLE auth.login_throttle OWNER TO postgres;

--
-- Name: TABLE login_throttle; Type: COMMENT; Schema: auth; Owner: postgres
--

COMMENT ON TABLE auth.login_throttle IS 'Failed login attempts per email within the current window (see api.login).';


--
-- Name: register_throttle; Type: TABLE; Schema: auth; Owner: postgres
--

CREATE TABLE auth.register_throttle (
    key text NOT NULL,
    failures integer NOT NULL,
    window_start timestamp with time zone NOT NULL,
    last_failure_at timestamp with time zone NOT NULL,
    CONSTRAINT register_throttle_failures_positive CHECK ((failures >= 0)),
    CONSTRAINT register_throttle_key_shape CHECK (((key ~ '^(caller|email):'::text) AND (char_length(key) <= 300)))
);

ALTER TABLE ONLY auth.register_throttle FORCE ROW LEVEL SECURITY;


ALTER TABLE auth.register_throttle OWNER TO postgres;

--
-- Name: TABLE register_throttle; Type: COMMENT; Schema: auth; Owner: postgres
--

COMMENT ON TABLE auth.register_throttle IS 'Register attempts that found the email taken, per ''caller:<user id>'' and per ''email:<address>'', within the current window (see api.register).';


--
-- Name: token_revocations; Type: TABLE; Schema: auth; Owner: postgres
--

CREATE TABLE auth.token_revocations (
    key text NOT NULL,
    generation integer,
    revoked_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone,
    CONSTRAINT token_revocations_generation_positive CHECK ((generation > 0)),
    CONSTRAINT token_revocations_key_form CHECK ((key ~ '^(sid|user|role):.'::text)),
    CONSTRAINT token_revocations_kind CHECK (((key ~~ 'sid:%'::text) = (generation IS NULL)))
);

ALTER TABLE ONLY auth.token_revocations FORCE ROW LEVEL SECURITY;


ALTER TABLE auth.token_revocations OWNER TO postgres;

--
-- Name: TABLE token_revocations; Type: COMMENT; Schema: auth; Owner: postgres
--

COMMENT ON TABLE auth.token_revocations IS 'Revoked sessions (sid:) and per-subject token generations (user:, role:); see api.logout and api.logout_everywhere.';


--
-- Name: agent_prompt_activations agent_prompt_activations_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.agent_prompt_activations
    ADD CONSTRAINT agent_prompt_activations_pkey PRIMARY KEY (id);


--
-- Name: agent_prompts agent_prompts_length_32000; Type: CHECK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE app.agent_prompts
    ADD CONSTRAINT agent_prompts_length_32000 CHECK ((char_length(system_prompt) <= 32000)) NOT VALID;


--
-- Name: agent_prompts agent_prompts_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.agent_prompts
    ADD CONSTRAINT agent_prompts_pkey PRIMARY KEY (id);


--
-- Name: agent_prompts agent_prompts_version_key; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.agent_prompts
    ADD CONSTRAINT agent_prompts_version_key UNIQUE (agent_id, version);


--
-- Name: agent_sprites agent_sprites_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.agent_sprites
    ADD CONSTRAINT agent_sprites_pkey PRIMARY KEY (key);


--
-- Name: agents agents_id_world_key; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.agents
    ADD CONSTRAINT agents_id_world_key UNIQUE NULLS NOT DISTINCT (id, world_id);


--
-- Name: agents agents_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.agents
    ADD CONSTRAINT agents_pkey PRIMARY KEY (id);


--
-- Name: agents agents_world_slug_key; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.agents
    ADD CONSTRAINT agents_world_slug_key UNIQUE NULLS NOT DISTINCT (world_id, slug);


--
-- Name: avatar_sprites avatar_sprites_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.avatar_sprites
    ADD CONSTRAINT avatar_sprites_pkey PRIMARY KEY (key);


--
-- Name: buildings buildings_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.buildings
    ADD CONSTRAINT buildings_pkey PRIMARY KEY (id);


--
-- Name: buildings buildings_slug_key; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.buildings
    ADD CONSTRAINT buildings_slug_key UNIQUE (room_id, slug);


--
-- Name: chat_log chat_log_message_id_key; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.chat_log
    ADD CONSTRAINT chat_log_message_id_key UNIQUE (message_id);


--
-- Name: chat_log chat_log_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.chat_log
    ADD CONSTRAINT chat_log_pkey PRIMARY KEY ("position");


--
-- Name: chat_log_state chat_log_state_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.chat_log_state
    ADD CONSTRAINT chat_log_state_pkey PRIMARY KEY (singleton);


--
-- Name: chat_message_recipients chat_message_recipients_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.chat_message_recipients
    ADD CONSTRAINT chat_message_recipients_pkey PRIMARY KEY (message_id, user_id);


--
-- Name: chat_messages chat_messages_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.chat_messages
    ADD CONSTRAINT chat_messages_pkey PRIMARY KEY (id);


--
-- Name: chat_read_markers chat_read_markers_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.chat_read_markers
    ADD CONSTRAINT chat_read_markers_pkey PRIMARY KEY (session_id, user_id);


--
-- Name: chat_sessions chat_sessions_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.chat_sessions
    ADD CONSTRAINT chat_sessions_pkey PRIMARY KEY (id);


--
-- Name: chat_unread_counts chat_unread_counts_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.chat_unread_counts
    ADD CONSTRAINT chat_unread_counts_pkey PRIMARY KEY (session_id, user_id);


--
-- Name: identity_settings identity_settings_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.identity_settings
    ADD CONSTRAINT identity_settings_pkey PRIMARY KEY (singleton);


--
-- Name: map_versions map_versions_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.map_versions
    ADD CONSTRAINT map_versions_pkey PRIMARY KEY (room_id, version);


--
-- Name: meeting_attendance meeting_attendance_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.meeting_attendance
    ADD CONSTRAINT meeting_attendance_pkey PRIMARY KEY (id);


--
-- Name: meeting_sessions meeting_sessions_id_building_world_key; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.meeting_sessions
    ADD CONSTRAINT meeting_sessions_id_building_world_key UNIQUE (id, building_id, world_id);


--
-- Name: meeting_sessions meeting_sessions_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.meeting_sessions
    ADD CONSTRAINT meeting_sessions_pkey PRIMARY KEY (id);


--
-- Name: player_presence player_presence_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.player_presence
    ADD CONSTRAINT player_presence_pkey PRIMARY KEY (user_id);


--
-- Name: rate_limit_buckets rate_limit_buckets_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.rate_limit_buckets
    ADD CONSTRAINT rate_limit_buckets_pkey PRIMARY KEY (action, bucket);


--
-- Name: rate_limit_rules rate_limit_rules_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.rate_limit_rules
    ADD CONSTRAINT rate_limit_rules_pkey PRIMARY KEY (action);


--
-- Name: rate_limit_state rate_limit_state_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.rate_limit_state
    ADD CONSTRAINT rate_limit_state_pkey PRIMARY KEY (user_id, action);


--
-- Name: rooms rooms_id_world_key; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.rooms
    ADD CONSTRAINT rooms_id_world_key UNIQUE (id, world_id);


--
-- Name: rooms rooms_one_main_per_world; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.rooms
    ADD CONSTRAINT rooms_one_main_per_world UNIQUE (main_of_world) DEFERRABLE;


--
-- Name: rooms rooms_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.rooms
    ADD CONSTRAINT rooms_pkey PRIMARY KEY (id);


--
-- Name: rooms rooms_world_slug_key; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.rooms
    ADD CONSTRAINT rooms_world_slug_key UNIQUE (world_id, slug);


--
-- Name: spawn_points spawn_points_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.spawn_points
    ADD CONSTRAINT spawn_points_pkey PRIMARY KEY (id);


--
-- Name: spawn_points spawn_points_slug_key; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.spawn_points
    ADD CONSTRAINT spawn_points_slug_key UNIQUE (room_id, slug);


--
-- Name: tilesets tilesets_image_key; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.tilesets
    ADD CONSTRAINT tilesets_image_key UNIQUE (image);


--
-- Name: tilesets tilesets_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.tilesets
    ADD CONSTRAINT tilesets_pkey PRIMARY KEY (name);


--
-- Name: user_blocks user_blocks_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.user_blocks
    ADD CONSTRAINT user_blocks_pkey PRIMARY KEY (blocker, blocked);


--
-- Name: user_settings user_settings_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.user_settings
    ADD CONSTRAINT user_settings_pkey PRIMARY KEY (user_id);


--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);


--
-- Name: world_bans world_bans_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.world_bans
    ADD CONSTRAINT world_bans_pkey PRIMARY KEY (world_id, user_id);


--
-- Name: world_invitations world_invitations_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.world_invitations
    ADD CONSTRAINT world_invitations_pkey PRIMARY KEY (id);


--
-- Name: world_invitations world_invitations_token_hash_key; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.world_invitations
    ADD CONSTRAINT world_invitations_token_hash_key UNIQUE (token_hash);


--
-- Name: world_members world_members_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.world_members
    ADD CONSTRAINT world_members_pkey PRIMARY KEY (world_id, user_id);


--
-- Name: world_settings world_settings_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.world_settings
    ADD CONSTRAINT world_settings_pkey PRIMARY KEY (singleton);


--
-- Name: world_visitors world_visitors_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.world_visitors
    ADD CONSTRAINT world_visitors_pkey PRIMARY KEY (world_id, user_id);


--
-- Name: worlds worlds_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.worlds
    ADD CONSTRAINT worlds_pkey PRIMARY KEY (id);


--
-- Name: worlds worlds_slug_key; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.worlds
    ADD CONSTRAINT worlds_slug_key UNIQUE (slug);


--
-- Name: credentials credentials_pkey; Type: CONSTRAINT; Schema: auth; Owner: postgres
--

ALTER TABLE ONLY auth.credentials
    ADD CONSTRAINT credentials_pkey PRIMARY KEY (user_id);


--
-- Name: jitsi_config jitsi_config_pkey; Type: CONSTRAINT; Schema: auth; Owner: postgres
--

ALTER TABLE ONLY auth.jitsi_config
    ADD CONSTRAINT jitsi_config_pkey PRIMARY KEY (singleton);


--
-- Name: jwt_secret jwt_secret_pkey; Type: CONSTRAINT; Schema: auth; Owner: postgres
--

ALTER TABLE ONLY auth.jwt_secret
    ADD CONSTRAINT jwt_secret_pkey PRIMARY KEY (singleton);


--
-- Name: login_throttle login_throttle_pkey; Type: CONSTRAINT; Schema: auth; Owner: postgres
--

ALTER TABLE ONLY auth.login_throttle
    ADD CONSTRAINT login_throttle_pkey PRIMARY KEY (email);


--
-- Name: register_throttle register_throttle_pkey; Type: CONSTRAINT; Schema: auth; Owner: postgres
--

ALTER TABLE ONLY auth.register_throttle
    ADD CONSTRAINT register_throttle_pkey PRIMARY KEY (key);


--
-- Name: token_revocations token_revocations_pkey; Type: CONSTRAINT; Schema: auth; Owner: postgres
--

ALTER TABLE ONLY auth.token_revocations
    ADD CONSTRAINT token_revocations_pkey PRIMARY KEY (key);


--
-- Name: agent_prompt_activations_agent_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX agent_prompt_activations_agent_idx ON app.agent_prompt_activations USING btree (agent_id, version, activated_at DESC);


--
-- Name: agent_prompt_activations_world_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX agent_prompt_activations_world_idx ON app.agent_prompt_activations USING btree (world_id);


--
-- Name: agent_prompts_one_active; Type: INDEX; Schema: app; Owner: postgres
--

CREATE UNIQUE INDEX agent_prompts_one_active ON app.agent_prompts USING btree (agent_id) WHERE is_active;


--
-- Name: agent_prompts_world_id_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX agent_prompts_world_id_idx ON app.agent_prompts USING btree (world_id);


--
-- Name: agents_routing_keywords_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX agents_routing_keywords_idx ON app.agents USING gin (routing_keywords);


--
-- Name: agents_world_id_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX agents_world_id_idx ON app.agents USING btree (world_id);


--
-- Name: buildings_agent_id_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX buildings_agent_id_idx ON app.buildings USING btree (agent_id);


--
-- Name: buildings_meeting_jitsi_room_key; Type: INDEX; Schema: app; Owner: postgres
--

CREATE UNIQUE INDEX buildings_meeting_jitsi_room_key ON app.buildings USING btree (world_id, lower(jitsi_room)) WHERE (type = 'meeting'::text);


--
-- Name: buildings_target_room_id_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX buildings_target_room_id_idx ON app.buildings USING btree (target_room_id);


--
-- Name: buildings_target_room_world_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX buildings_target_room_world_idx ON app.buildings USING btree (target_room_id, world_id);


--
-- Name: buildings_world_id_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX buildings_world_id_idx ON app.buildings USING btree (world_id);


--
-- Name: chat_log_session_position_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX chat_log_session_position_idx ON app.chat_log USING btree (session_id, "position");


--
-- Name: chat_message_recipients_user_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX chat_message_recipients_user_idx ON app.chat_message_recipients USING btree (user_id, message_id);


--
-- Name: chat_messages_client_msg_id_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE UNIQUE INDEX chat_messages_client_msg_id_idx ON app.chat_messages USING btree (sender_id, client_msg_id) WHERE (client_msg_id IS NOT NULL);


--
-- Name: chat_messages_session_id_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX chat_messages_session_id_idx ON app.chat_messages USING btree (session_id, id);


--
-- Name: chat_messages_txid_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX chat_messages_txid_idx ON app.chat_messages USING btree (txid);


--
-- Name: chat_read_markers_message_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX chat_read_markers_message_idx ON app.chat_read_markers USING btree (last_read_message_id);


--
-- Name: chat_read_markers_user_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX chat_read_markers_user_idx ON app.chat_read_markers USING btree (user_id);


--
-- Name: chat_sessions_agent_id_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX chat_sessions_agent_id_idx ON app.chat_sessions USING btree (agent_id) WHERE (agent_id IS NOT NULL);


--
-- Name: chat_sessions_agent_pair; Type: INDEX; Schema: app; Owner: postgres
--

CREATE UNIQUE INDEX chat_sessions_agent_pair ON app.chat_sessions USING btree (user_id, agent_id) WHERE (type = 'agent'::text);


--
-- Name: chat_sessions_other_user_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX chat_sessions_other_user_idx ON app.chat_sessions USING btree (other_user_id) WHERE (other_user_id IS NOT NULL);


--
-- Name: chat_sessions_private_pair; Type: INDEX; Schema: app; Owner: postgres
--

CREATE UNIQUE INDEX chat_sessions_private_pair ON app.chat_sessions USING btree (LEAST(user_id, other_user_id), GREATEST(user_id, other_user_id)) WHERE (type = 'private'::text);


--
-- Name: chat_sessions_proximity_speaker; Type: INDEX; Schema: app; Owner: postgres
--

CREATE UNIQUE INDEX chat_sessions_proximity_speaker ON app.chat_sessions USING btree (user_id, room_id) WHERE (type = 'proximity'::text);


--
-- Name: chat_sessions_room_id_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX chat_sessions_room_id_idx ON app.chat_sessions USING btree (room_id) WHERE (room_id IS NOT NULL);


--
-- Name: chat_sessions_user_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX chat_sessions_user_idx ON app.chat_sessions USING btree (user_id);


--
-- Name: chat_unread_counts_user_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX chat_unread_counts_user_idx ON app.chat_unread_counts USING btree (user_id);


--
-- Name: map_versions_published_by_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX map_versions_published_by_idx ON app.map_versions USING btree (published_by);


--
-- Name: map_versions_world_id_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX map_versions_world_id_idx ON app.map_versions USING btree (world_id);


--
-- Name: meeting_attendance_call_key; Type: INDEX; Schema: app; Owner: postgres
--

CREATE UNIQUE INDEX meeting_attendance_call_key ON app.meeting_attendance USING btree (building_id, occupant_jid, joined_at) WHERE (source = 'call'::text);


--
-- Name: meeting_attendance_one_zone_per_player; Type: INDEX; Schema: app; Owner: postgres
--

CREATE UNIQUE INDEX meeting_attendance_one_zone_per_player ON app.meeting_attendance USING btree (user_id) WHERE ((source = 'zone'::text) AND (left_at IS NULL));


--
-- Name: meeting_attendance_open_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX meeting_attendance_open_idx ON app.meeting_attendance USING btree (session_id) WHERE (left_at IS NULL);


--
-- Name: meeting_attendance_session_id_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX meeting_attendance_session_id_idx ON app.meeting_attendance USING btree (session_id, building_id, world_id);


--
-- Name: meeting_attendance_user_joined_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX meeting_attendance_user_joined_idx ON app.meeting_attendance USING btree (user_id, joined_at DESC);


--
-- Name: meeting_attendance_world_joined_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX meeting_attendance_world_joined_idx ON app.meeting_attendance USING btree (world_id, joined_at DESC);


--
-- Name: meeting_sessions_one_open_per_building; Type: INDEX; Schema: app; Owner: postgres
--

CREATE UNIQUE INDEX meeting_sessions_one_open_per_building ON app.meeting_sessions USING btree (building_id) WHERE (ended_at IS NULL);


--
-- Name: meeting_sessions_world_id_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX meeting_sessions_world_id_idx ON app.meeting_sessions USING btree (world_id) WHERE (ended_at IS NULL);


--
-- Name: player_presence_last_update_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX player_presence_last_update_idx ON app.player_presence USING btree (last_update) WHERE ((status)::text <> 'offline'::text);


--
-- Name: player_presence_room_all_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX player_presence_room_all_idx ON app.player_presence USING btree (room_id);


--
-- Name: player_presence_room_id_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX player_presence_room_id_idx ON app.player_presence USING btree (room_id);


--
-- Name: player_presence_room_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX player_presence_room_idx ON app.player_presence USING btree (room_id) WHERE ((status)::text <> 'offline'::text);


--
-- Name: rate_limit_buckets_tat_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX rate_limit_buckets_tat_idx ON app.rate_limit_buckets USING btree (tat);


--
-- Name: spawn_points_agent_id_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX spawn_points_agent_id_idx ON app.spawn_points USING btree (agent_id);


--
-- Name: spawn_points_world_id_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX spawn_points_world_id_idx ON app.spawn_points USING btree (world_id);


--
-- Name: user_blocks_blocked_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX user_blocks_blocked_idx ON app.user_blocks USING btree (blocked);


--
-- Name: users_anonymous_last_seen_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX users_anonymous_last_seen_idx ON app.users USING btree (last_seen_at) WHERE is_anonymous;


--
-- Name: users_avatar_sprite_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX users_avatar_sprite_idx ON app.users USING btree (avatar_sprite);


--
-- Name: users_email_key; Type: INDEX; Schema: app; Owner: postgres
--

CREATE UNIQUE INDEX users_email_key ON app.users USING btree (email) WHERE (email IS NOT NULL);


--
-- Name: world_bans_banned_by_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX world_bans_banned_by_idx ON app.world_bans USING btree (banned_by);


--
-- Name: world_bans_user_id_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX world_bans_user_id_idx ON app.world_bans USING btree (user_id) INCLUDE (world_id, until);


--
-- Name: world_invitations_created_by_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX world_invitations_created_by_idx ON app.world_invitations USING btree (created_by);


--
-- Name: world_invitations_world_id_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX world_invitations_world_id_idx ON app.world_invitations USING btree (world_id, created_at DESC);


--
-- Name: world_members_one_owner; Type: INDEX; Schema: app; Owner: postgres
--

CREATE UNIQUE INDEX world_members_one_owner ON app.world_members USING btree (world_id) WHERE (role = 'owner'::text);


--
-- Name: world_members_user_id_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX world_members_user_id_idx ON app.world_members USING btree (user_id) INCLUDE (world_id, role);


--
-- Name: world_visitors_user_id_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX world_visitors_user_id_idx ON app.world_visitors USING btree (user_id) INCLUDE (world_id);


--
-- Name: worlds_listed_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX worlds_listed_idx ON app.worlds USING btree (id) WHERE ((visibility = 'public'::text) AND (archived_at IS NULL));


--
-- Name: worlds_owner_id_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX worlds_owner_id_idx ON app.worlds USING btree (owner_id);


--
-- Name: login_throttle_last_failure_idx; Type: INDEX; Schema: auth; Owner: postgres
--

CREATE INDEX login_throttle_last_failure_idx ON auth.login_throttle USING btree (last_failure_at);


--
-- Name: register_throttle_last_failure_idx; Type: INDEX; Schema: auth; Owner: postgres
--

CREATE INDEX register_throttle_last_failure_idx ON auth.register_throttle USING btree (last_failure_at);


--
-- Name: token_revocations_expires_idx; Type: INDEX; Schema: auth; Owner: postgres
--

CREATE INDEX token_revocations_expires_idx ON auth.token_revocations USING btree (expires_at) WHERE (expires_at IS NOT NULL);


--
-- Name: agent_prompt_activations agent_prompt_activations_append_only; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER agent_prompt_activations_append_only BEFORE UPDATE ON app.agent_prompt_activations FOR EACH ROW EXECUTE FUNCTION app.agent_prompts_append_only();


--
-- Name: agent_prompt_activations agent_prompt_activations_world; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER agent_prompt_activations_world BEFORE INSERT ON app.agent_prompt_activations FOR EACH ROW EXECUTE FUNCTION app.agent_rows_world();


--
-- Name: agent_prompts agent_prompts_append_only; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER agent_prompts_append_only BEFORE UPDATE ON app.agent_prompts FOR EACH ROW EXECUTE FUNCTION app.agent_prompts_append_only();


--
-- Name: agent_prompts agent_prompts_guard; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER agent_prompts_guard BEFORE INSERT OR UPDATE ON app.agent_prompts FOR EACH ROW EXECUTE FUNCTION app.agent_prompts_guard();


--
-- Name: agent_prompts agent_prompts_world; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER agent_prompts_world BEFORE INSERT ON app.agent_prompts FOR EACH ROW EXECUTE FUNCTION app.agent_rows_world();


--
-- Name: agents agents_keep_history; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER agents_keep_history BEFORE DELETE ON app.agents FOR EACH ROW EXECUTE FUNCTION app.agents_keep_history();


--
-- Name: agents agents_keep_world; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER agents_keep_world BEFORE UPDATE OF world_id ON app.agents FOR EACH ROW EXECUTE FUNCTION app.agents_keep_world();


--
-- Name: agents agents_touch; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER agents_touch BEFORE UPDATE ON app.agents FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();


--
-- Name: buildings buildings_inside_room; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER buildings_inside_room BEFORE INSERT OR UPDATE ON app.buildings FOR EACH ROW EXECUTE FUNCTION app.buildings_inside_room();


--
-- Name: buildings buildings_off_walls; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER buildings_off_walls BEFORE INSERT OR UPDATE OF room_id, door_x, door_y ON app.buildings FOR EACH ROW EXECUTE FUNCTION app.rows_off_walls();


--
-- Name: buildings buildings_world; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER buildings_world BEFORE INSERT OR UPDATE OF room_id, world_id ON app.buildings FOR EACH ROW EXECUTE FUNCTION app.room_contents_world();


--
-- Name: chat_sessions chat_unread_add_participants; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER chat_unread_add_participants AFTER INSERT ON app.chat_sessions FOR EACH ROW EXECUTE FUNCTION app.chat_unread_add_participants();


--
-- Name: chat_messages chat_unread_count_deleted; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER chat_unread_count_deleted AFTER DELETE ON app.chat_messages REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION app.chat_unread_count_messages();


--
-- Name: chat_messages chat_unread_count_inserted; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER chat_unread_count_inserted AFTER INSERT ON app.chat_messages REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION app.chat_unread_count_messages();


--
-- Name: chat_read_markers chat_unread_follow_marker; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER chat_unread_follow_marker AFTER INSERT OR UPDATE OF last_read_message_id ON app.chat_read_markers FOR EACH ROW EXECUTE FUNCTION app.chat_unread_follow_marker();


--
-- Name: map_versions map_versions_immutable; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER map_versions_immutable BEFORE DELETE OR UPDATE ON app.map_versions FOR EACH ROW EXECUTE FUNCTION app.map_versions_immutable();


--
-- Name: buildings meeting_zones_building; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER meeting_zones_building AFTER INSERT OR DELETE OR UPDATE ON app.buildings FOR EACH ROW EXECUTE FUNCTION app.meeting_zones_building();


--
-- Name: player_presence meeting_zones_delete; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER meeting_zones_delete AFTER DELETE ON app.player_presence REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION app.meeting_zones_after_delete();


--
-- Name: player_presence meeting_zones_insert; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER meeting_zones_insert AFTER INSERT ON app.player_presence REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION app.meeting_zones_after_insert();


--
-- Name: player_presence meeting_zones_update; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER meeting_zones_update AFTER UPDATE ON app.player_presence REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION app.meeting_zones_after_update();


--
-- Name: player_presence player_presence_inside_room; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER player_presence_inside_room BEFORE INSERT OR UPDATE OF room_id, x, y ON app.player_presence FOR EACH ROW EXECUTE FUNCTION app.point_inside_room();


--
-- Name: rooms rooms_evict_before_delete; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER rooms_evict_before_delete BEFORE DELETE ON app.rooms FOR EACH ROW EXECUTE FUNCTION app.room_evict_before_delete();


--
-- Name: rooms rooms_keep_contents_inside; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER rooms_keep_contents_inside AFTER UPDATE OF width_tiles, height_tiles ON app.rooms FOR EACH ROW WHEN (((new.width_tiles < old.width_tiles) OR (new.height_tiles < old.height_tiles))) EXECUTE FUNCTION app.rooms_keep_contents_inside();


--
-- Name: rooms rooms_keep_history; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER rooms_keep_history BEFORE DELETE ON app.rooms FOR EACH ROW EXECUTE FUNCTION app.rooms_keep_history();


--
-- Name: rooms rooms_keep_main; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE CONSTRAINT TRIGGER rooms_keep_main AFTER DELETE OR UPDATE OF is_main ON app.rooms DEFERRABLE INITIALLY IMMEDIATE FOR EACH ROW WHEN (old.is_main) EXECUTE FUNCTION app.rooms_keep_main();


--
-- Name: rooms rooms_map_size; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER rooms_map_size BEFORE UPDATE OF width_tiles, height_tiles, map_version ON app.rooms FOR EACH ROW EXECUTE FUNCTION app.rooms_map_size();


--
-- Name: rooms rooms_off_walls; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER rooms_off_walls BEFORE UPDATE OF default_spawn_x, default_spawn_y, map_version ON app.rooms FOR EACH ROW EXECUTE FUNCTION app.rows_off_walls();


--
-- Name: rooms rooms_world; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER rooms_world BEFORE INSERT OR UPDATE OF world_id ON app.rooms FOR EACH ROW EXECUTE FUNCTION app.rooms_world();


--
-- Name: spawn_points spawn_points_inside_room; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER spawn_points_inside_room BEFORE INSERT OR UPDATE OF room_id, x, y ON app.spawn_points FOR EACH ROW EXECUTE FUNCTION app.point_inside_room();


--
-- Name: spawn_points spawn_points_off_walls; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER spawn_points_off_walls BEFORE INSERT OR UPDATE OF room_id, x, y ON app.spawn_points FOR EACH ROW EXECUTE FUNCTION app.rows_off_walls();


--
-- Name: spawn_points spawn_points_world; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER spawn_points_world BEFORE INSERT OR UPDATE OF room_id, world_id ON app.spawn_points FOR EACH ROW EXECUTE FUNCTION app.room_contents_world();


--
-- Name: user_settings user_settings_touch; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER user_settings_touch BEFORE UPDATE ON app.user_settings FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at();


--
-- Name: users users_validate; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER users_validate BEFORE INSERT OR UPDATE OF display_name, avatar_sprite ON app.users FOR EACH ROW EXECUTE FUNCTION app.users_validate();


--
-- Name: world_bans world_bans_evict; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE CONSTRAINT TRIGGER world_bans_evict AFTER INSERT OR UPDATE ON app.world_bans DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (((new.until IS NULL) OR (new.until > now()))) EXECUTE FUNCTION app.world_evict_trigger();


--
-- Name: world_members world_members_evict; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE CONSTRAINT TRIGGER world_members_evict AFTER DELETE ON app.world_members DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION app.world_evict_trigger();


--
-- Name: world_members world_members_invitations_follow; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER world_members_invitations_follow AFTER DELETE OR UPDATE OF role ON app.world_members FOR EACH ROW EXECUTE FUNCTION app.world_invitations_follow_inviter();


--
-- Name: world_members world_members_one_owner; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE CONSTRAINT TRIGGER world_members_one_owner AFTER INSERT OR DELETE OR UPDATE ON app.world_members DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION app.world_owner_check();


--
-- Name: worlds worlds_drop_agents; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER worlds_drop_agents BEFORE DELETE ON app.worlds FOR EACH ROW EXECUTE FUNCTION app.worlds_drop_agents();


--
-- Name: worlds worlds_edit_rules; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER worlds_edit_rules BEFORE UPDATE ON app.worlds FOR EACH ROW EXECUTE FUNCTION app.worlds_edit_rules();


--
-- Name: worlds worlds_evict; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE CONSTRAINT TRIGGER worlds_evict AFTER UPDATE OF visibility, archived_at ON app.worlds DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ((((new.archived_at IS NOT NULL) AND (old.archived_at IS NULL)) OR ((new.visibility = 'private'::text) AND (old.visibility IS DISTINCT FROM 'private'::text)))) EXECUTE FUNCTION app.world_evict_trigger();


--
-- Name: worlds worlds_evict_before_delete; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER worlds_evict_before_delete BEFORE DELETE ON app.worlds FOR EACH ROW EXECUTE FUNCTION app.world_evict_trigger();


--
-- Name: worlds worlds_evict_renamed; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER worlds_evict_renamed AFTER UPDATE OF slug ON app.worlds FOR EACH ROW WHEN (((new.slug)::text IS DISTINCT FROM (old.slug)::text)) EXECUTE FUNCTION app.world_evict_trigger();


--
-- Name: worlds worlds_one_owner; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE CONSTRAINT TRIGGER worlds_one_owner AFTER INSERT OR UPDATE OF owner_id ON app.worlds DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION app.world_owner_check();


--
-- Name: agent_prompt_activations agent_prompt_activations_version_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.agent_prompt_activations
    ADD CONSTRAINT agent_prompt_activations_version_fkey FOREIGN KEY (agent_id, version) REFERENCES app.agent_prompts(agent_id, version) ON DELETE CASCADE;


--
-- Name: agent_prompts agent_prompts_agent_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.agent_prompts
    ADD CONSTRAINT agent_prompts_agent_id_fkey FOREIGN KEY (agent_id) REFERENCES app.agents(id) ON DELETE RESTRICT;


--
-- Name: agent_prompts agent_prompts_agent_world_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.agent_prompts
    ADD CONSTRAINT agent_prompts_agent_world_fkey FOREIGN KEY (agent_id, world_id) REFERENCES app.agents(id, world_id) ON UPDATE CASCADE;


--
-- Name: agents agents_sprite_key_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.agents
    ADD CONSTRAINT agents_sprite_key_fkey FOREIGN KEY (sprite_key) REFERENCES app.agent_sprites(key) ON UPDATE CASCADE;


--
-- Name: agents agents_world_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.agents
    ADD CONSTRAINT agents_world_id_fkey FOREIGN KEY (world_id) REFERENCES app.worlds(id) ON DELETE CASCADE;


--
-- Name: buildings buildings_agent_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.buildings
    ADD CONSTRAINT buildings_agent_id_fkey FOREIGN KEY (agent_id) REFERENCES app.agents(id) ON DELETE RESTRICT;


--
-- Name: buildings buildings_room_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.buildings
    ADD CONSTRAINT buildings_room_id_fkey FOREIGN KEY (room_id) REFERENCES app.rooms(id) ON DELETE CASCADE;


--
-- Name: buildings buildings_room_world_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.buildings
    ADD CONSTRAINT buildings_room_world_fkey FOREIGN KEY (room_id, world_id) REFERENCES app.rooms(id, world_id) ON DELETE CASCADE;


--
-- Name: buildings buildings_target_room_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.buildings
    ADD CONSTRAINT buildings_target_room_id_fkey FOREIGN KEY (target_room_id) REFERENCES app.rooms(id) ON DELETE RESTRICT;


--
-- Name: buildings buildings_target_room_world_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.buildings
    ADD CONSTRAINT buildings_target_room_world_fkey FOREIGN KEY (target_room_id, world_id) REFERENCES app.rooms(id, world_id) ON DELETE RESTRICT;


--
-- Name: chat_log chat_log_message_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.chat_log
    ADD CONSTRAINT chat_log_message_id_fkey FOREIGN KEY (message_id) REFERENCES app.chat_messages(id) ON DELETE CASCADE;


--
-- Name: chat_message_recipients chat_message_recipients_message_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.chat_message_recipients
    ADD CONSTRAINT chat_message_recipients_message_id_fkey FOREIGN KEY (message_id) REFERENCES app.chat_messages(id) ON DELETE CASCADE;


--
-- Name: chat_message_recipients chat_message_recipients_user_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.chat_message_recipients
    ADD CONSTRAINT chat_message_recipients_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users(id) ON DELETE CASCADE;


--
-- Name: chat_messages chat_messages_session_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.chat_messages
    ADD CONSTRAINT chat_messages_session_id_fkey FOREIGN KEY (session_id) REFERENCES app.chat_sessions(id) ON DELETE CASCADE;


--
-- Name: chat_read_markers chat_read_markers_last_read_message_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.chat_read_markers
    ADD CONSTRAINT chat_read_markers_last_read_message_id_fkey FOREIGN KEY (last_read_message_id) REFERENCES app.chat_messages(id) ON DELETE CASCADE;


--
-- Name: chat_read_markers chat_read_markers_session_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.chat_read_markers
    ADD CONSTRAINT chat_read_markers_session_id_fkey FOREIGN KEY (session_id) REFERENCES app.chat_sessions(id) ON DELETE CASCADE;


--
-- Name: chat_read_markers chat_read_markers_user_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.chat_read_markers
    ADD CONSTRAINT chat_read_markers_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users(id) ON DELETE CASCADE;


--
-- Name: chat_sessions chat_sessions_agent_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.chat_sessions
    ADD CONSTRAINT chat_sessions_agent_id_fkey FOREIGN KEY (agent_id) REFERENCES app.agents(id) ON DELETE RESTRICT;


--
-- Name: chat_sessions chat_sessions_other_user_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.chat_sessions
    ADD CONSTRAINT chat_sessions_other_user_id_fkey FOREIGN KEY (other_user_id) REFERENCES app.users(id) ON DELETE CASCADE;


--
-- Name: chat_sessions chat_sessions_room_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.chat_sessions
    ADD CONSTRAINT chat_sessions_room_id_fkey FOREIGN KEY (room_id) REFERENCES app.rooms(id) ON DELETE RESTRICT;


--
-- Name: chat_sessions chat_sessions_user_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.chat_sessions
    ADD CONSTRAINT chat_sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users(id) ON DELETE CASCADE;


--
-- Name: chat_unread_counts chat_unread_counts_session_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.chat_unread_counts
    ADD CONSTRAINT chat_unread_counts_session_id_fkey FOREIGN KEY (session_id) REFERENCES app.chat_sessions(id) ON DELETE CASCADE;


--
-- Name: chat_unread_counts chat_unread_counts_user_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.chat_unread_counts
    ADD CONSTRAINT chat_unread_counts_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users(id) ON DELETE CASCADE;


--
-- Name: map_versions map_versions_published_by_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.map_versions
    ADD CONSTRAINT map_versions_published_by_fkey FOREIGN KEY (published_by) REFERENCES app.users(id) ON DELETE SET NULL;


--
-- Name: map_versions map_versions_room_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.map_versions
    ADD CONSTRAINT map_versions_room_fkey FOREIGN KEY (room_id, world_id) REFERENCES app.rooms(id, world_id) ON DELETE CASCADE;


--
-- Name: meeting_attendance meeting_attendance_session_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.meeting_attendance
    ADD CONSTRAINT meeting_attendance_session_fkey FOREIGN KEY (session_id, building_id, world_id) REFERENCES app.meeting_sessions(id, building_id, world_id) ON DELETE CASCADE;


--
-- Name: meeting_attendance meeting_attendance_user_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.meeting_attendance
    ADD CONSTRAINT meeting_attendance_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users(id) ON DELETE CASCADE;


--
-- Name: meeting_sessions meeting_sessions_building_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.meeting_sessions
    ADD CONSTRAINT meeting_sessions_building_id_fkey FOREIGN KEY (building_id) REFERENCES app.buildings(id) ON DELETE CASCADE;


--
-- Name: meeting_sessions meeting_sessions_world_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.meeting_sessions
    ADD CONSTRAINT meeting_sessions_world_id_fkey FOREIGN KEY (world_id) REFERENCES app.worlds(id) ON DELETE CASCADE;


--
-- Name: player_presence player_presence_room_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.player_presence
    ADD CONSTRAINT player_presence_room_id_fkey FOREIGN KEY (room_id) REFERENCES app.rooms(id) ON DELETE RESTRICT;


--
-- Name: player_presence player_presence_user_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.player_presence
    ADD CONSTRAINT player_presence_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users(id) ON DELETE CASCADE;


--
-- Name: rate_limit_buckets rate_limit_buckets_action_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.rate_limit_buckets
    ADD CONSTRAINT rate_limit_buckets_action_fkey FOREIGN KEY (action) REFERENCES app.rate_limit_rules(action) ON DELETE CASCADE;


--
-- Name: rate_limit_state rate_limit_state_action_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.rate_limit_state
    ADD CONSTRAINT rate_limit_state_action_fkey FOREIGN KEY (action) REFERENCES app.rate_limit_rules(action) ON DELETE CASCADE;


--
-- Name: rate_limit_state rate_limit_state_user_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.rate_limit_state
    ADD CONSTRAINT rate_limit_state_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users(id) ON DELETE CASCADE;


--
-- Name: rooms rooms_map_version_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.rooms
    ADD CONSTRAINT rooms_map_version_fkey FOREIGN KEY (id, map_version) REFERENCES app.map_versions(room_id, version) DEFERRABLE;


--
-- Name: rooms rooms_world_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.rooms
    ADD CONSTRAINT rooms_world_id_fkey FOREIGN KEY (world_id) REFERENCES app.worlds(id) ON DELETE CASCADE;


--
-- Name: spawn_points spawn_points_agent_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.spawn_points
    ADD CONSTRAINT spawn_points_agent_id_fkey FOREIGN KEY (agent_id) REFERENCES app.agents(id) ON DELETE CASCADE;


--
-- Name: spawn_points spawn_points_room_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.spawn_points
    ADD CONSTRAINT spawn_points_room_id_fkey FOREIGN KEY (room_id) REFERENCES app.rooms(id) ON DELETE CASCADE;


--
-- Name: spawn_points spawn_points_room_world_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.spawn_points
    ADD CONSTRAINT spawn_points_room_world_fkey FOREIGN KEY (room_id, world_id) REFERENCES app.rooms(id, world_id) ON DELETE CASCADE;


--
-- Name: user_blocks user_blocks_blocked_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.user_blocks
    ADD CONSTRAINT user_blocks_blocked_fkey FOREIGN KEY (blocked) REFERENCES app.users(id) ON DELETE CASCADE;


--
-- Name: user_blocks user_blocks_blocker_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.user_blocks
    ADD CONSTRAINT user_blocks_blocker_fkey FOREIGN KEY (blocker) REFERENCES app.users(id) ON DELETE CASCADE;


--
-- Name: user_settings user_settings_user_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.user_settings
    ADD CONSTRAINT user_settings_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users(id) ON DELETE CASCADE;


--
-- Name: users users_avatar_sprite_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.users
    ADD CONSTRAINT users_avatar_sprite_fkey FOREIGN KEY (avatar_sprite) REFERENCES app.avatar_sprites(key) ON UPDATE CASCADE;


--
-- Name: world_bans world_bans_banned_by_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.world_bans
    ADD CONSTRAINT world_bans_banned_by_fkey FOREIGN KEY (banned_by) REFERENCES app.users(id) ON DELETE SET NULL;


--
-- Name: world_bans world_bans_user_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.world_bans
    ADD CONSTRAINT world_bans_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users(id) ON DELETE CASCADE;


--
-- Name: world_bans world_bans_world_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.world_bans
    ADD CONSTRAINT world_bans_world_id_fkey FOREIGN KEY (world_id) REFERENCES app.worlds(id) ON DELETE CASCADE;


--
-- Name: world_invitations world_invitations_created_by_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.world_invitations
    ADD CONSTRAINT world_invitations_created_by_fkey FOREIGN KEY (created_by) REFERENCES app.users(id) ON DELETE SET NULL;


--
-- Name: world_invitations world_invitations_world_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.world_invitations
    ADD CONSTRAINT world_invitations_world_id_fkey FOREIGN KEY (world_id) REFERENCES app.worlds(id) ON DELETE CASCADE;


--
-- Name: world_members world_members_user_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.world_members
    ADD CONSTRAINT world_members_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users(id) ON DELETE CASCADE;


--
-- Name: world_members world_members_world_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.world_members
    ADD CONSTRAINT world_members_world_id_fkey FOREIGN KEY (world_id) REFERENCES app.worlds(id) ON DELETE CASCADE;


--
-- Name: world_settings world_settings_default_world_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.world_settings
    ADD CONSTRAINT world_settings_default_world_fkey FOREIGN KEY (default_world_slug) REFERENCES app.worlds(slug) ON UPDATE CASCADE;


--
-- Name: world_visitors world_visitors_user_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.world_visitors
    ADD CONSTRAINT world_visitors_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users(id) ON DELETE CASCADE;


--
-- Name: world_visitors world_visitors_world_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.world_visitors
    ADD CONSTRAINT world_visitors_world_id_fkey FOREIGN KEY (world_id) REFERENCES app.worlds(id) ON DELETE CASCADE;


--
-- Name: worlds worlds_owner_id_fkey; Type: FK CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.worlds
    ADD CONSTRAINT worlds_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES app.users(id) ON DELETE CASCADE;


--
-- Name: credentials credentials_user_id_fkey; Type: FK CONSTRAINT; Schema: auth; Owner: postgres
--

ALTER TABLE ONLY auth.credentials
    ADD CONSTRAINT credentials_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users(id) ON DELETE CASCADE;


--
-- Name: agent_prompt_activations; Type: ROW SECURITY; Schema: app; Owner: postgres
--

ALTER TABLE app.agent_prompt_activations ENABLE ROW LEVEL SECURITY;

--
-- Name: agent_prompt_activations agent_prompt_activations_admin_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY agent_prompt_activations_admin_read ON app.agent_prompt_activations FOR SELECT TO content_admin USING ((world_id IS NULL));


--
-- Name: agent_prompt_activations agent_prompt_activations_editor_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY agent_prompt_activations_editor_read ON app.agent_prompt_activations FOR SELECT TO player USING ((world_id = ANY (( SELECT app.editable_world_ids() AS editable_world_ids)::uuid[])));


--
-- Name: agent_prompt_activations agent_prompt_activations_service_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY agent_prompt_activations_service_read ON app.agent_prompt_activations FOR SELECT TO agent_service USING (true);


--
-- Name: agent_prompts; Type: ROW SECURITY; Schema: app; Owner: postgres
--

ALTER TABLE app.agent_prompts ENABLE ROW LEVEL SECURITY;

--
-- Name: agent_prompts agent_prompts_admin_insert; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY agent_prompts_admin_insert ON app.agent_prompts FOR INSERT TO content_admin WITH CHECK ((world_id IS NULL));


--
-- Name: agent_prompts agent_prompts_admin_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY agent_prompts_admin_read ON app.agent_prompts FOR SELECT TO content_admin USING ((world_id IS NULL));


--
-- Name: agent_prompts agent_prompts_admin_update; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY agent_prompts_admin_update ON app.agent_prompts FOR UPDATE TO content_admin USING ((world_id IS NULL)) WITH CHECK ((world_id IS NULL));


--
-- Name: agent_prompts agent_prompts_editor_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY agent_prompts_editor_read ON app.agent_prompts FOR SELECT TO player USING ((world_id = ANY (( SELECT app.editable_world_ids() AS editable_world_ids)::uuid[])));


--
-- Name: agent_prompts agent_prompts_service_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY agent_prompts_service_read ON app.agent_prompts FOR SELECT TO agent_service USING (is_active);


--
-- Name: agent_sprites; Type: ROW SECURITY; Schema: app; Owner: postgres
--

ALTER TABLE app.agent_sprites ENABLE ROW LEVEL SECURITY;

--
-- Name: agent_sprites agent_sprites_admin_delete; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY agent_sprites_admin_delete ON app.agent_sprites FOR DELETE TO content_admin USING (true);


--
-- Name: agent_sprites agent_sprites_admin_insert; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY agent_sprites_admin_insert ON app.agent_sprites FOR INSERT TO content_admin WITH CHECK (true);


--
-- Name: agent_sprites agent_sprites_admin_update; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY agent_sprites_admin_update ON app.agent_sprites FOR UPDATE TO content_admin USING (true) WITH CHECK (true);


--
-- Name: agent_sprites agent_sprites_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY agent_sprites_read ON app.agent_sprites FOR SELECT TO web_anon, player, agent_service, content_admin USING (true);


--
-- Name: agents; Type: ROW SECURITY; Schema: app; Owner: postgres
--

ALTER TABLE app.agents ENABLE ROW LEVEL SECURITY;

--
-- Name: agents agents_admin_delete; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY agents_admin_delete ON app.agents FOR DELETE TO content_admin USING ((world_id IS NULL));


--
-- Name: agents agents_admin_insert; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY agents_admin_insert ON app.agents FOR INSERT TO content_admin WITH CHECK ((world_id IS NULL));


--
-- Name: agents agents_admin_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY agents_admin_read ON app.agents FOR SELECT TO content_admin USING (((world_id IS NULL) OR (world_id = ANY (( SELECT app.admin_readable_world_ids() AS admin_readable_world_ids)::uuid[]))));


--
-- Name: agents agents_admin_update; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY agents_admin_update ON app.agents FOR UPDATE TO content_admin USING ((world_id IS NULL)) WITH CHECK ((world_id IS NULL));


--
-- Name: agents agents_editor_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY agents_editor_read ON app.agents FOR SELECT TO player USING ((world_id = ANY (( SELECT app.editable_world_ids() AS editable_world_ids)::uuid[])));


--
-- Name: agents agents_editor_update; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY agents_editor_update ON app.agents FOR UPDATE TO player USING ((world_id = ANY (( SELECT app.editable_world_ids() AS editable_world_ids)::uuid[]))) WITH CHECK ((world_id = ANY (( SELECT app.editable_world_ids() AS editable_world_ids)::uuid[])));


--
-- Name: agents agents_service_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY agents_service_read ON app.agents FOR SELECT TO agent_service USING (is_active);


--
-- Name: agents agents_world_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY agents_world_read ON app.agents FOR SELECT TO web_anon, player USING ((is_active AND (moderation_status = 'active'::text) AND ((world_id IS NULL) OR (world_id = ANY (( SELECT app.readable_world_ids() AS readable_world_ids)::uuid[])))));


--
-- Name: avatar_sprites; Type: ROW SECURITY; Schema: app; Owner: postgres
--

ALTER TABLE app.avatar_sprites ENABLE ROW LEVEL SECURITY;

--
-- Name: avatar_sprites avatar_sprites_admin_write; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY avatar_sprites_admin_write ON app.avatar_sprites TO content_admin USING (true) WITH CHECK (true);


--
-- Name: avatar_sprites avatar_sprites_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY avatar_sprites_read ON app.avatar_sprites FOR SELECT TO web_anon, player, agent_service, content_admin USING (true);


--
-- Name: buildings; Type: ROW SECURITY; Schema: app; Owner: postgres
--

ALTER TABLE app.buildings ENABLE ROW LEVEL SECURITY;

--
-- Name: buildings buildings_admin_delete; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY buildings_admin_delete ON app.buildings FOR DELETE TO content_admin USING ((world_id = ANY (( SELECT app.installation_world_ids() AS installation_world_ids)::uuid[])));


--
-- Name: buildings buildings_admin_insert; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY buildings_admin_insert ON app.buildings FOR INSERT TO content_admin WITH CHECK ((world_id = ANY (( SELECT app.installation_world_ids() AS installation_world_ids)::uuid[])));


--
-- Name: buildings buildings_admin_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY buildings_admin_read ON app.buildings FOR SELECT TO content_admin USING ((world_id = ANY (( SELECT app.admin_readable_world_ids() AS admin_readable_world_ids)::uuid[])));


--
-- Name: buildings buildings_admin_update; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY buildings_admin_update ON app.buildings FOR UPDATE TO content_admin USING ((world_id = ANY (( SELECT app.installation_world_ids() AS installation_world_ids)::uuid[]))) WITH CHECK ((world_id = ANY (( SELECT app.installation_world_ids() AS installation_world_ids)::uuid[])));


--
-- Name: buildings buildings_world_delete; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY buildings_world_delete ON app.buildings FOR DELETE TO player USING ((world_id = ANY (( SELECT app.editable_world_ids() AS editable_world_ids)::uuid[])));


--
-- Name: buildings buildings_world_insert; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY buildings_world_insert ON app.buildings FOR INSERT TO player WITH CHECK ((world_id = ANY (( SELECT app.editable_world_ids() AS editable_world_ids)::uuid[])));


--
-- Name: buildings buildings_world_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY buildings_world_read ON app.buildings FOR SELECT TO web_anon, player, agent_service USING ((world_id = ANY (( SELECT app.readable_world_ids() AS readable_world_ids)::uuid[])));


--
-- Name: buildings buildings_world_update; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY buildings_world_update ON app.buildings FOR UPDATE TO player USING ((world_id = ANY (( SELECT app.editable_world_ids() AS editable_world_ids)::uuid[]))) WITH CHECK ((world_id = ANY (( SELECT app.editable_world_ids() AS editable_world_ids)::uuid[])));


--
-- Name: chat_log; Type: ROW SECURITY; Schema: app; Owner: postgres
--

ALTER TABLE app.chat_log ENABLE ROW LEVEL SECURITY;

--
-- Name: chat_log_state; Type: ROW SECURITY; Schema: app; Owner: postgres
--

ALTER TABLE app.chat_log_state ENABLE ROW LEVEL SECURITY;

--
-- Name: chat_message_recipients; Type: ROW SECURITY; Schema: app; Owner: postgres
--

ALTER TABLE app.chat_message_recipients ENABLE ROW LEVEL SECURITY;

--
-- Name: chat_message_recipients chat_message_recipients_own_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY chat_message_recipients_own_read ON app.chat_message_recipients FOR SELECT TO player USING ((user_id = ( SELECT auth.user_id() AS user_id)));


--
-- Name: chat_messages; Type: ROW SECURITY; Schema: app; Owner: postgres
--

ALTER TABLE app.chat_messages ENABLE ROW LEVEL SECURITY;

--
-- Name: chat_messages chat_messages_agent_service_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY chat_messages_agent_service_read ON app.chat_messages FOR SELECT TO agent_service USING ((EXISTS ( SELECT
   FROM app.chat_sessions s
  WHERE ((s.id = chat_messages.session_id) AND (s.type = 'agent'::text)))));


--
-- Name: chat_messages chat_messages_participant_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY chat_messages_participant_read ON app.chat_messages FOR SELECT TO player USING ((EXISTS ( SELECT
   FROM app.chat_sessions s
  WHERE ((s.id = chat_messages.session_id) AND ((( SELECT auth.user_id() AS user_id) = s.user_id) OR (( SELECT auth.user_id() AS user_id) = s.other_user_id))))));


--
-- Name: chat_messages chat_messages_recipient_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY chat_messages_recipient_read ON app.chat_messages FOR SELECT TO player USING ((EXISTS ( SELECT
   FROM app.chat_message_recipients r
  WHERE ((r.message_id = chat_messages.id) AND (r.user_id = ( SELECT auth.user_id() AS user_id))))));


--
-- Name: chat_read_markers; Type: ROW SECURITY; Schema: app; Owner: postgres
--

ALTER TABLE app.chat_read_markers ENABLE ROW LEVEL SECURITY;

--
-- Name: chat_read_markers chat_read_markers_own_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY chat_read_markers_own_read ON app.chat_read_markers FOR SELECT TO player USING ((user_id = ( SELECT auth.user_id() AS user_id)));


--
-- Name: chat_sessions; Type: ROW SECURITY; Schema: app; Owner: postgres
--

ALTER TABLE app.chat_sessions ENABLE ROW LEVEL SECURITY;

--
-- Name: chat_sessions chat_sessions_agent_service_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY chat_sessions_agent_service_read ON app.chat_sessions FOR SELECT TO agent_service USING ((type = 'agent'::text));


--
-- Name: chat_sessions chat_sessions_participant_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY chat_sessions_participant_read ON app.chat_sessions FOR SELECT TO player USING (((( SELECT auth.user_id() AS user_id) = user_id) OR (( SELECT auth.user_id() AS user_id) = other_user_id)));


--
-- Name: chat_unread_counts; Type: ROW SECURITY; Schema: app; Owner: postgres
--

ALTER TABLE app.chat_unread_counts ENABLE ROW LEVEL SECURITY;

--
-- Name: chat_unread_counts chat_unread_counts_own_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY chat_unread_counts_own_read ON app.chat_unread_counts FOR SELECT TO player USING ((user_id = ( SELECT auth.user_id() AS user_id)));


--
-- Name: identity_settings; Type: ROW SECURITY; Schema: app; Owner: postgres
--

ALTER TABLE app.identity_settings ENABLE ROW LEVEL SECURITY;

--
-- Name: map_versions; Type: ROW SECURITY; Schema: app; Owner: postgres
--

ALTER TABLE app.map_versions ENABLE ROW LEVEL SECURITY;

--
-- Name: map_versions map_versions_current_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY map_versions_current_read ON app.map_versions FOR SELECT TO web_anon, player, agent_service, content_admin USING ((EXISTS ( SELECT
   FROM app.rooms r
  WHERE ((r.id = map_versions.room_id) AND (r.map_version = map_versions.version)))));


--
-- Name: map_versions map_versions_editor_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY map_versions_editor_read ON app.map_versions FOR SELECT TO player, content_admin USING ((world_id = ANY (( SELECT app.map_editor_world_ids() AS map_editor_world_ids)::uuid[])));


--
-- Name: meeting_attendance; Type: ROW SECURITY; Schema: app; Owner: postgres
--

ALTER TABLE app.meeting_attendance ENABLE ROW LEVEL SECURITY;

--
-- Name: meeting_attendance meeting_attendance_own_or_edited_world; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY meeting_attendance_own_or_edited_world ON app.meeting_attendance FOR SELECT TO player USING (((user_id = ( SELECT auth.user_id() AS user_id)) OR (world_id = ANY (( SELECT app.editable_world_ids() AS editable_world_ids)::uuid[]))));


--
-- Name: meeting_sessions; Type: ROW SECURITY; Schema: app; Owner: postgres
--

ALTER TABLE app.meeting_sessions ENABLE ROW LEVEL SECURITY;

--
-- Name: meeting_sessions meeting_sessions_readable_world; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY meeting_sessions_readable_world ON app.meeting_sessions FOR SELECT TO player USING ((world_id = ANY (( SELECT app.readable_world_ids() AS readable_world_ids)::uuid[])));


--
-- Name: player_presence; Type: ROW SECURITY; Schema: app; Owner: postgres
--

ALTER TABLE app.player_presence ENABLE ROW LEVEL SECURITY;

--
-- Name: player_presence player_presence_own_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY player_presence_own_read ON app.player_presence FOR SELECT TO player USING ((user_id = ( SELECT auth.user_id() AS user_id)));


--
-- Name: rate_limit_buckets; Type: ROW SECURITY; Schema: app; Owner: postgres
--

ALTER TABLE app.rate_limit_buckets ENABLE ROW LEVEL SECURITY;

--
-- Name: rate_limit_rules; Type: ROW SECURITY; Schema: app; Owner: postgres
--

ALTER TABLE app.rate_limit_rules ENABLE ROW LEVEL SECURITY;

--
-- Name: rate_limit_state; Type: ROW SECURITY; Schema: app; Owner: postgres
--

ALTER TABLE app.rate_limit_state ENABLE ROW LEVEL SECURITY;

--
-- Name: rooms; Type: ROW SECURITY; Schema: app; Owner: postgres
--

ALTER TABLE app.rooms ENABLE ROW LEVEL SECURITY;

--
-- Name: rooms rooms_admin_delete; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY rooms_admin_delete ON app.rooms FOR DELETE TO content_admin USING ((world_id = ANY (( SELECT app.installation_world_ids() AS installation_world_ids)::uuid[])));


--
-- Name: rooms rooms_admin_insert; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY rooms_admin_insert ON app.rooms FOR INSERT TO content_admin WITH CHECK ((world_id = ANY (( SELECT app.installation_world_ids() AS installation_world_ids)::uuid[])));


--
-- Name: rooms rooms_admin_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY rooms_admin_read ON app.rooms FOR SELECT TO content_admin USING ((world_id = ANY (( SELECT app.admin_readable_world_ids() AS admin_readable_world_ids)::uuid[])));


--
-- Name: rooms rooms_admin_update; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY rooms_admin_update ON app.rooms FOR UPDATE TO content_admin USING ((world_id = ANY (( SELECT app.installation_world_ids() AS installation_world_ids)::uuid[]))) WITH CHECK ((world_id = ANY (( SELECT app.installation_world_ids() AS installation_world_ids)::uuid[])));


--
-- Name: rooms rooms_world_delete; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY rooms_world_delete ON app.rooms FOR DELETE TO player USING ((world_id = ANY (( SELECT app.editable_world_ids() AS editable_world_ids)::uuid[])));


--
-- Name: rooms rooms_world_insert; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY rooms_world_insert ON app.rooms FOR INSERT TO player WITH CHECK ((world_id = ANY (( SELECT app.editable_world_ids() AS editable_world_ids)::uuid[])));


--
-- Name: rooms rooms_world_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY rooms_world_read ON app.rooms FOR SELECT TO web_anon, player, agent_service USING ((world_id = ANY (( SELECT app.readable_world_ids() AS readable_world_ids)::uuid[])));


--
-- Name: rooms rooms_world_update; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY rooms_world_update ON app.rooms FOR UPDATE TO player USING ((world_id = ANY (( SELECT app.editable_world_ids() AS editable_world_ids)::uuid[]))) WITH CHECK ((world_id = ANY (( SELECT app.editable_world_ids() AS editable_world_ids)::uuid[])));


--
-- Name: spawn_points; Type: ROW SECURITY; Schema: app; Owner: postgres
--

ALTER TABLE app.spawn_points ENABLE ROW LEVEL SECURITY;

--
-- Name: spawn_points spawn_points_admin_delete; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY spawn_points_admin_delete ON app.spawn_points FOR DELETE TO content_admin USING ((world_id = ANY (( SELECT app.installation_world_ids() AS installation_world_ids)::uuid[])));


--
-- Name: spawn_points spawn_points_admin_insert; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY spawn_points_admin_insert ON app.spawn_points FOR INSERT TO content_admin WITH CHECK ((world_id = ANY (( SELECT app.installation_world_ids() AS installation_world_ids)::uuid[])));


--
-- Name: spawn_points spawn_points_admin_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY spawn_points_admin_read ON app.spawn_points FOR SELECT TO content_admin USING ((world_id = ANY (( SELECT app.admin_readable_world_ids() AS admin_readable_world_ids)::uuid[])));


--
-- Name: spawn_points spawn_points_admin_update; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY spawn_points_admin_update ON app.spawn_points FOR UPDATE TO content_admin USING ((world_id = ANY (( SELECT app.installation_world_ids() AS installation_world_ids)::uuid[]))) WITH CHECK ((world_id = ANY (( SELECT app.installation_world_ids() AS installation_world_ids)::uuid[])));


--
-- Name: spawn_points spawn_points_world_delete; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY spawn_points_world_delete ON app.spawn_points FOR DELETE TO player USING ((world_id = ANY (( SELECT app.editable_world_ids() AS editable_world_ids)::uuid[])));


--
-- Name: spawn_points spawn_points_world_insert; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY spawn_points_world_insert ON app.spawn_points FOR INSERT TO player WITH CHECK ((world_id = ANY (( SELECT app.editable_world_ids() AS editable_world_ids)::uuid[])));


--
-- Name: spawn_points spawn_points_world_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY spawn_points_world_read ON app.spawn_points FOR SELECT TO web_anon, player, agent_service USING ((world_id = ANY (( SELECT app.readable_world_ids() AS readable_world_ids)::uuid[])));


--
-- Name: spawn_points spawn_points_world_update; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY spawn_points_world_update ON app.spawn_points FOR UPDATE TO player USING ((world_id = ANY (( SELECT app.editable_world_ids() AS editable_world_ids)::uuid[]))) WITH CHECK ((world_id = ANY (( SELECT app.editable_world_ids() AS editable_world_ids)::uuid[])));


--
-- Name: tilesets; Type: ROW SECURITY; Schema: app; Owner: postgres
--

ALTER TABLE app.tilesets ENABLE ROW LEVEL SECURITY;

--
-- Name: tilesets tilesets_admin_delete; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY tilesets_admin_delete ON app.tilesets FOR DELETE TO content_admin USING (true);


--
-- Name: tilesets tilesets_admin_insert; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY tilesets_admin_insert ON app.tilesets FOR INSERT TO content_admin WITH CHECK (true);


--
-- Name: tilesets tilesets_admin_update; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY tilesets_admin_update ON app.tilesets FOR UPDATE TO content_admin USING (true) WITH CHECK (true);


--
-- Name: tilesets tilesets_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY tilesets_read ON app.tilesets FOR SELECT TO web_anon, player, agent_service, content_admin USING (true);


--
-- Name: user_blocks; Type: ROW SECURITY; Schema: app; Owner: postgres
--

ALTER TABLE app.user_blocks ENABLE ROW LEVEL SECURITY;

--
-- Name: user_blocks user_blocks_blocker_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY user_blocks_blocker_read ON app.user_blocks FOR SELECT TO player USING ((blocker = ( SELECT auth.user_id() AS user_id)));


--
-- Name: user_settings; Type: ROW SECURITY; Schema: app; Owner: postgres
--

ALTER TABLE app.user_settings ENABLE ROW LEVEL SECURITY;

--
-- Name: user_settings user_settings_own_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY user_settings_own_read ON app.user_settings FOR SELECT TO player USING ((user_id = ( SELECT auth.user_id() AS user_id)));


--
-- Name: user_settings user_settings_own_update; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY user_settings_own_update ON app.user_settings FOR UPDATE TO player USING ((user_id = ( SELECT auth.user_id() AS user_id))) WITH CHECK ((user_id = ( SELECT auth.user_id() AS user_id)));


--
-- Name: users; Type: ROW SECURITY; Schema: app; Owner: postgres
--

ALTER TABLE app.users ENABLE ROW LEVEL SECURITY;

--
-- Name: users users_own_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY users_own_read ON app.users FOR SELECT TO player USING ((id = ( SELECT auth.user_id() AS user_id)));


--
-- Name: users users_own_update; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY users_own_update ON app.users FOR UPDATE TO player USING ((id = ( SELECT auth.user_id() AS user_id))) WITH CHECK ((id = ( SELECT auth.user_id() AS user_id)));


--
-- Name: world_bans; Type: ROW SECURITY; Schema: app; Owner: postgres
--

ALTER TABLE app.world_bans ENABLE ROW LEVEL SECURITY;

--
-- Name: world_bans world_bans_admin_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY world_bans_admin_read ON app.world_bans FOR SELECT TO content_admin USING ((world_id = ANY (( SELECT app.installation_world_ids(true) AS installation_world_ids)::uuid[])));


--
-- Name: world_bans world_bans_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY world_bans_read ON app.world_bans FOR SELECT TO player USING ((world_id = ANY (( SELECT app.editable_world_ids() AS editable_world_ids)::uuid[])));


--
-- Name: world_invitations; Type: ROW SECURITY; Schema: app; Owner: postgres
--

ALTER TABLE app.world_invitations ENABLE ROW LEVEL SECURITY;

--
-- Name: world_invitations world_invitations_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY world_invitations_read ON app.world_invitations FOR SELECT TO player USING ((world_id = ANY (( SELECT app.editable_world_ids() AS editable_world_ids)::uuid[])));


--
-- Name: world_members; Type: ROW SECURITY; Schema: app; Owner: postgres
--

ALTER TABLE app.world_members ENABLE ROW LEVEL SECURITY;

--
-- Name: world_members world_members_admin_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY world_members_admin_read ON app.world_members FOR SELECT TO content_admin USING ((world_id = ANY (( SELECT app.installation_world_ids(true) AS installation_world_ids)::uuid[])));


--
-- Name: world_members world_members_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY world_members_read ON app.world_members FOR SELECT TO player USING ((world_id = ANY (( SELECT app.member_world_ids() AS member_world_ids)::uuid[])));


--
-- Name: world_settings; Type: ROW SECURITY; Schema: app; Owner: postgres
--

ALTER TABLE app.world_settings ENABLE ROW LEVEL SECURITY;

--
-- Name: world_visitors; Type: ROW SECURITY; Schema: app; Owner: postgres
--

ALTER TABLE app.world_visitors ENABLE ROW LEVEL SECURITY;

--
-- Name: world_visitors world_visitors_own_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY world_visitors_own_read ON app.world_visitors FOR SELECT TO player USING ((user_id = ( SELECT auth.user_id() AS user_id)));


--
-- Name: worlds; Type: ROW SECURITY; Schema: app; Owner: postgres
--

ALTER TABLE app.worlds ENABLE ROW LEVEL SECURITY;

--
-- Name: worlds worlds_admin_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY worlds_admin_read ON app.worlds FOR SELECT TO content_admin USING ((id = ANY (( SELECT app.admin_readable_world_ids() AS admin_readable_world_ids)::uuid[])));


--
-- Name: worlds worlds_admin_write; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY worlds_admin_write ON app.worlds FOR UPDATE TO content_admin USING ((id = ANY (( SELECT app.installation_world_ids() AS installation_world_ids)::uuid[]))) WITH CHECK ((id = ANY (( SELECT app.installation_world_ids() AS installation_world_ids)::uuid[])));


--
-- Name: worlds worlds_edit; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY worlds_edit ON app.worlds FOR UPDATE TO player USING ((id = ANY (( SELECT app.editable_world_ids() AS editable_world_ids)::uuid[]))) WITH CHECK ((id = ANY (( SELECT app.editable_world_ids() AS editable_world_ids)::uuid[])));


--
-- Name: worlds worlds_read; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY worlds_read ON app.worlds FOR SELECT TO web_anon, player, agent_service USING ((id = ANY (( SELECT app.readable_world_ids() AS readable_world_ids)::uuid[])));


--
-- Name: credentials; Type: ROW SECURITY; Schema: auth; Owner: postgres
--

ALTER TABLE auth.credentials ENABLE ROW LEVEL SECURITY;

--
-- Name: jitsi_config; Type: ROW SECURITY; Schema: auth; Owner: postgres
--

ALTER TABLE auth.jitsi_config ENABLE ROW LEVEL SECURITY;

--
-- Name: jwt_secret; Type: ROW SECURITY; Schema: auth; Owner: postgres
--

ALTER TABLE auth.jwt_secret ENABLE ROW LEVEL SECURITY;

--
-- Name: login_throttle; Type: ROW SECURITY; Schema: auth; Owner: postgres
--

ALTER TABLE auth.login_throttle ENABLE ROW LEVEL SECURITY;

--
-- Name: register_throttle; Type: ROW SECURITY; Schema: auth; Owner: postgres
--

ALTER TABLE auth.register_throttle ENABLE ROW LEVEL SECURITY;

--
-- Name: token_revocations; Type: ROW SECURITY; Schema: auth; Owner: postgres
--

ALTER TABLE auth.token_revocations ENABLE ROW LEVEL SECURITY;

--
-- Name: SCHEMA api; Type: ACL; Schema: -; Owner: postgres
--

GRANT USAGE ON SCHEMA api TO web_anon;
GRANT USAGE ON SCHEMA api TO player;
GRANT USAGE ON SCHEMA api TO agent_service;
GRANT USAGE ON SCHEMA api TO content_admin;
GRANT USAGE ON SCHEMA api TO jitsi_service;


--
-- Name: SCHEMA app; Type: ACL; Schema: -; Owner: postgres
--

GRANT USAGE ON SCHEMA app TO web_anon;
GRANT USAGE ON SCHEMA app TO player;
GRANT USAGE ON SCHEMA app TO agent_service;
GRANT USAGE ON SCHEMA app TO content_admin;


--
-- Name: SCHEMA auth; Type: ACL; Schema: -; Owner: postgres
--

GRANT USAGE ON SCHEMA auth TO web_anon;
GRANT USAGE ON SCHEMA auth TO player;
GRANT USAGE ON SCHEMA auth TO agent_service;
GRANT USAGE ON SCHEMA auth TO content_admin;
GRANT USAGE ON SCHEMA auth TO jitsi_service;


--
-- Name: SCHEMA realtime; Type: ACL; Schema: -; Owner: postgres
--

GRANT USAGE ON SCHEMA realtime TO bridge;


--
-- Name: FUNCTION accept_invitation(token text); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.accept_invitation(token text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.accept_invitation(token text) TO player;


--
-- Name: FUNCTION chat_content_ok(content text, sender_type text); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.chat_content_ok(content text, sender_type text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.chat_content_ok(content text, sender_type text) TO player;
GRANT ALL ON FUNCTION app.chat_content_ok(content text, sender_type text) TO content_admin;


--
-- Name: FUNCTION display_name_problem(name text); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.display_name_problem(name text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.display_name_problem(name text) TO player;
GRANT ALL ON FUNCTION app.display_name_problem(name text) TO content_admin;


--
-- Name: TABLE agent_prompt_activations; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT ON TABLE app.agent_prompt_activations TO player;
GRANT SELECT ON TABLE app.agent_prompt_activations TO agent_service;
GRANT SELECT ON TABLE app.agent_prompt_activations TO content_admin;


--
-- Name: TABLE agent_prompts; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT ON TABLE app.agent_prompts TO agent_service;
GRANT SELECT,INSERT ON TABLE app.agent_prompts TO content_admin;
GRANT SELECT ON TABLE app.agent_prompts TO player;


--
-- Name: COLUMN agent_prompts.is_active; Type: ACL; Schema: app; Owner: postgres
--

GRANT UPDATE(is_active) ON TABLE app.agent_prompts TO content_admin;


--
-- Name: TABLE agents; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT ON TABLE app.agents TO web_anon;
GRANT SELECT ON TABLE app.agents TO player;
GRANT SELECT ON TABLE app.agents TO agent_service;
GRANT SELECT,INSERT,DELETE ON TABLE app.agents TO content_admin;


--
-- Name: COLUMN agents.name; Type: ACL; Schema: app; Owner: postgres
--

GRANT UPDATE(name) ON TABLE app.agents TO player;
GRANT UPDATE(name) ON TABLE app.agents TO content_admin;


--
-- Name: COLUMN agents.role; Type: ACL; Schema: app; Owner: postgres
--

GRANT UPDATE(role) ON TABLE app.agents TO player;
GRANT UPDATE(role) ON TABLE app.agents TO content_admin;


--
-- Name: COLUMN agents.emoji; Type: ACL; Schema: app; Owner: postgres
--

GRANT UPDATE(emoji) ON TABLE app.agents TO player;
GRANT UPDATE(emoji) ON TABLE app.agents TO content_admin;


--
-- Name: COLUMN agents.sprite_key; Type: ACL; Schema: app; Owner: postgres
--

GRANT UPDATE(sprite_key) ON TABLE app.agents TO player;
GRANT UPDATE(sprite_key) ON TABLE app.agents TO content_admin;


--
-- Name: COLUMN agents.greeting; Type: ACL; Schema: app; Owner: postgres
--

GRANT UPDATE(greeting) ON TABLE app.agents TO player;
GRANT UPDATE(greeting) ON TABLE app.agents TO content_admin;


--
-- Name: COLUMN agents.routing_keywords; Type: ACL; Schema: app; Owner: postgres
--

GRANT UPDATE(routing_keywords) ON TABLE app.agents TO player;
GRANT UPDATE(routing_keywords) ON TABLE app.agents TO content_admin;


--
-- Name: COLUMN agents.is_active; Type: ACL; Schema: app; Owner: postgres
--

GRANT UPDATE(is_active) ON TABLE app.agents TO player;
GRANT UPDATE(is_active) ON TABLE app.agents TO content_admin;


--
-- Name: TABLE agent_prompts; Type: ACL; Schema: api; Owner: postgres
--

GRANT SELECT ON TABLE api.agent_prompts TO agent_service;
GRANT SELECT ON TABLE api.agent_prompts TO content_admin;
GRANT SELECT ON TABLE api.agent_prompts TO player;


--
-- Name: FUNCTION activate_prompt(agent_slug text, version integer, world_slug text); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.activate_prompt(agent_slug text, version integer, world_slug text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.activate_prompt(agent_slug text, version integer, world_slug text) TO player;
GRANT ALL ON FUNCTION api.activate_prompt(agent_slug text, version integer, world_slug text) TO content_admin;


--
-- Name: FUNCTION archive_world(slug text); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.archive_world(slug text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.archive_world(slug text) TO player;


--
-- Name: FUNCTION ban(world_slug text, user_id uuid, reason text, until timestamp with time zone); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.ban(world_slug text, user_id uuid, reason text, until timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION api.ban(world_slug text, user_id uuid, reason text, until timestamp with time zone) TO player;


--
-- Name: FUNCTION block_user(user_id uuid); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.block_user(user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION api.block_user(user_id uuid) TO player;


--
-- Name: TABLE agents; Type: ACL; Schema: api; Owner: postgres
--

GRANT SELECT ON TABLE api.agents TO web_anon;
GRANT SELECT,UPDATE ON TABLE api.agents TO player;
GRANT SELECT ON TABLE api.agents TO agent_service;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE api.agents TO content_admin;


--
-- Name: FUNCTION create_agent(world_slug text, slug text, name text, role text, emoji text, sprite_key text, greeting text, system_prompt text, routing_keywords text[]); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.create_agent(world_slug text, slug text, name text, role text, emoji text, sprite_key text, greeting text, system_prompt text, routing_keywords text[]) FROM PUBLIC;
GRANT ALL ON FUNCTION api.create_agent(world_slug text, slug text, name text, role text, emoji text, sprite_key text, greeting text, system_prompt text, routing_keywords text[]) TO player;


--
-- Name: FUNCTION create_world(slug text, name text, visibility text, description text); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.create_world(slug text, name text, visibility text, description text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.create_world(slug text, name text, visibility text, description text) TO player;


--
-- Name: FUNCTION enter_room(room_slug text, world_slug text); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.enter_room(room_slug text, world_slug text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.enter_room(room_slug text, world_slug text) TO player;


--
-- Name: FUNCTION export_character_card(agent_slug text, world_slug text); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.export_character_card(agent_slug text, world_slug text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.export_character_card(agent_slug text, world_slug text) TO player;
GRANT ALL ON FUNCTION api.export_character_card(agent_slug text, world_slug text) TO agent_service;
GRANT ALL ON FUNCTION api.export_character_card(agent_slug text, world_slug text) TO content_admin;


--
-- Name: FUNCTION get_world(slug text); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.get_world(slug text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.get_world(slug text) TO web_anon;
GRANT ALL ON FUNCTION api.get_world(slug text) TO player;


--
-- Name: FUNCTION import_character_card(world_slug text, card jsonb, slug text, role text, emoji text, sprite_key text); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.import_character_card(world_slug text, card jsonb, slug text, role text, emoji text, sprite_key text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.import_character_card(world_slug text, card jsonb, slug text, role text, emoji text, sprite_key text) TO player;


--
-- Name: FUNCTION invite(world_slug text, role text, expires_in_hours integer, max_uses integer, email text); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.invite(world_slug text, role text, expires_in_hours integer, max_uses integer, email text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.invite(world_slug text, role text, expires_in_hours integer, max_uses integer, email text) TO player;


--
-- Name: FUNCTION jitsi_event(event text, payload jsonb); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.jitsi_event(event text, payload jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION api.jitsi_event(event text, payload jsonb) TO jitsi_service;


--
-- Name: FUNCTION jitsi_token(building_id uuid); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.jitsi_token(building_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION api.jitsi_token(building_id uuid) TO player;


--
-- Name: FUNCTION leave_room(); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.leave_room() FROM PUBLIC;
GRANT ALL ON FUNCTION api.leave_room() TO player;


--
-- Name: FUNCTION leave_world(world_slug text); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.leave_world(world_slug text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.leave_world(world_slug text) TO player;


--
-- Name: FUNCTION login(email text, password text); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.login(email text, password text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.login(email text, password text) TO web_anon;
GRANT ALL ON FUNCTION api.login(email text, password text) TO player;


--
-- Name: FUNCTION login_anonymous(display_name text, avatar_sprite text); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.login_anonymous(display_name text, avatar_sprite text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.login_anonymous(display_name text, avatar_sprite text) TO web_anon;
GRANT ALL ON FUNCTION api.login_anonymous(display_name text, avatar_sprite text) TO player;


--
-- Name: FUNCTION logout(); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.logout() FROM PUBLIC;
GRANT ALL ON FUNCTION api.logout() TO player;
GRANT ALL ON FUNCTION api.logout() TO agent_service;
GRANT ALL ON FUNCTION api.logout() TO content_admin;


--
-- Name: FUNCTION logout_everywhere(); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.logout_everywhere() FROM PUBLIC;
GRANT ALL ON FUNCTION api.logout_everywhere() TO player;
GRANT ALL ON FUNCTION api.logout_everywhere() TO agent_service;
GRANT ALL ON FUNCTION api.logout_everywhere() TO content_admin;


--
-- Name: FUNCTION mark_read(session_id uuid, message_id bigint); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.mark_read(session_id uuid, message_id bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION api.mark_read(session_id uuid, message_id bigint) TO player;


--
-- Name: FUNCTION move(x integer, y integer, direction text); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.move(x integer, y integer, direction text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.move(x integer, y integer, direction text) TO player;


--
-- Name: TABLE chat_messages; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT ON TABLE app.chat_messages TO player;
GRANT SELECT ON TABLE app.chat_messages TO agent_service;


--
-- Name: TABLE chat_sessions; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT ON TABLE app.chat_sessions TO player;
GRANT SELECT ON TABLE app.chat_sessions TO agent_service;


--
-- Name: TABLE chat_messages; Type: ACL; Schema: api; Owner: postgres
--

GRANT SELECT ON TABLE api.chat_messages TO player;
GRANT SELECT ON TABLE api.chat_messages TO agent_service;


--
-- Name: FUNCTION post_agent_reply(session_id uuid, content text); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.post_agent_reply(session_id uuid, content text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.post_agent_reply(session_id uuid, content text) TO agent_service;


--
-- Name: FUNCTION publish_map(world_slug text, room_slug text, map jsonb, name text); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.publish_map(world_slug text, room_slug text, map jsonb, name text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.publish_map(world_slug text, room_slug text, map jsonb, name text) TO player;
GRANT ALL ON FUNCTION api.publish_map(world_slug text, room_slug text, map jsonb, name text) TO content_admin;


--
-- Name: FUNCTION publish_prompt(agent_slug text, system_prompt text, world_slug text, note text); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.publish_prompt(agent_slug text, system_prompt text, world_slug text, note text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.publish_prompt(agent_slug text, system_prompt text, world_slug text, note text) TO player;
GRANT ALL ON FUNCTION api.publish_prompt(agent_slug text, system_prompt text, world_slug text, note text) TO content_admin;


--
-- Name: FUNCTION refresh_token(); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.refresh_token() FROM PUBLIC;
GRANT ALL ON FUNCTION api.refresh_token() TO player;


--
-- Name: FUNCTION register(email text, password text); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.register(email text, password text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.register(email text, password text) TO player;


--
-- Name: FUNCTION remove_member(world_slug text, user_id uuid); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.remove_member(world_slug text, user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION api.remove_member(world_slug text, user_id uuid) TO player;


--
-- Name: FUNCTION restore_agent(agent_slug text, world_slug text); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.restore_agent(agent_slug text, world_slug text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.restore_agent(agent_slug text, world_slug text) TO content_admin;


--
-- Name: FUNCTION restore_map(world_slug text, room_slug text, version integer); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.restore_map(world_slug text, room_slug text, version integer) FROM PUBLIC;
GRANT ALL ON FUNCTION api.restore_map(world_slug text, room_slug text, version integer) TO player;
GRANT ALL ON FUNCTION api.restore_map(world_slug text, room_slug text, version integer) TO content_admin;


--
-- Name: FUNCTION restore_world(slug text); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.restore_world(slug text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.restore_world(slug text) TO player;


--
-- Name: FUNCTION revoke_invitation(invitation_id uuid); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.revoke_invitation(invitation_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION api.revoke_invitation(invitation_id uuid) TO player;


--
-- Name: FUNCTION route_agent(message text, world_slug text); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.route_agent(message text, world_slug text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.route_agent(message text, world_slug text) TO web_anon;
GRANT ALL ON FUNCTION api.route_agent(message text, world_slug text) TO player;
GRANT ALL ON FUNCTION api.route_agent(message text, world_slug text) TO agent_service;
GRANT ALL ON FUNCTION api.route_agent(message text, world_slug text) TO content_admin;


--
-- Name: FUNCTION say_nearby(content text, client_msg_id uuid); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.say_nearby(content text, client_msg_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION api.say_nearby(content text, client_msg_id uuid) TO player;


--
-- Name: FUNCTION send_message(session_id uuid, content text, client_msg_id uuid); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.send_message(session_id uuid, content text, client_msg_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION api.send_message(session_id uuid, content text, client_msg_id uuid) TO player;


--
-- Name: FUNCTION set_member_role(world_slug text, user_id uuid, role text); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.set_member_role(world_slug text, user_id uuid, role text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.set_member_role(world_slug text, user_id uuid, role text) TO player;


--
-- Name: FUNCTION user_id(); Type: ACL; Schema: auth; Owner: postgres
--

REVOKE ALL ON FUNCTION auth.user_id() FROM PUBLIC;
GRANT ALL ON FUNCTION auth.user_id() TO web_anon;
GRANT ALL ON FUNCTION auth.user_id() TO player;
GRANT ALL ON FUNCTION auth.user_id() TO agent_service;
GRANT ALL ON FUNCTION auth.user_id() TO content_admin;
GRANT ALL ON FUNCTION auth.user_id() TO bridge;


--
-- Name: TABLE chat_unread_counts; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT ON TABLE app.chat_unread_counts TO player;
GRANT SELECT ON TABLE app.chat_unread_counts TO agent_service;


--
-- Name: TABLE chat_sessions; Type: ACL; Schema: api; Owner: postgres
--

GRANT SELECT ON TABLE api.chat_sessions TO player;
GRANT SELECT ON TABLE api.chat_sessions TO agent_service;


--
-- Name: FUNCTION start_chat(agent_slug text, other_user_id uuid, world_slug text); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.start_chat(agent_slug text, other_user_id uuid, world_slug text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.start_chat(agent_slug text, other_user_id uuid, world_slug text) TO player;


--
-- Name: FUNCTION suspend_agent(agent_slug text, reason text, world_slug text); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.suspend_agent(agent_slug text, reason text, world_slug text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.suspend_agent(agent_slug text, reason text, world_slug text) TO content_admin;


--
-- Name: FUNCTION transfer_ownership(world_slug text, user_id uuid); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.transfer_ownership(world_slug text, user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION api.transfer_ownership(world_slug text, user_id uuid) TO player;


--
-- Name: FUNCTION unban(world_slug text, user_id uuid); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.unban(world_slug text, user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION api.unban(world_slug text, user_id uuid) TO player;


--
-- Name: FUNCTION unblock_user(user_id uuid); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.unblock_user(user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION api.unblock_user(user_id uuid) TO player;


--
-- Name: FUNCTION validate_map(map jsonb, world_slug text, room_slug text); Type: ACL; Schema: api; Owner: postgres
--

REVOKE ALL ON FUNCTION api.validate_map(map jsonb, world_slug text, room_slug text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.validate_map(map jsonb, world_slug text, room_slug text) TO player;
GRANT ALL ON FUNCTION api.validate_map(map jsonb, world_slug text, room_slug text) TO content_admin;


--
-- Name: FUNCTION admin_readable_world_ids(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.admin_readable_world_ids() FROM PUBLIC;
GRANT ALL ON FUNCTION app.admin_readable_world_ids() TO content_admin;


--
-- Name: FUNCTION agent_card(a app.agents, p app.agent_prompts); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.agent_card(a app.agents, p app.agent_prompts) FROM PUBLIC;


--
-- Name: FUNCTION agent_chat_open(agent_id uuid, uid uuid); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.agent_chat_open(agent_id uuid, uid uuid) FROM PUBLIC;


--
-- Name: TABLE worlds; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT ON TABLE app.worlds TO web_anon;
GRANT SELECT ON TABLE app.worlds TO player;
GRANT SELECT ON TABLE app.worlds TO agent_service;
GRANT SELECT ON TABLE app.worlds TO content_admin;


--
-- Name: COLUMN worlds.slug; Type: ACL; Schema: app; Owner: postgres
--

GRANT UPDATE(slug) ON TABLE app.worlds TO player;
GRANT UPDATE(slug) ON TABLE app.worlds TO content_admin;


--
-- Name: COLUMN worlds.name; Type: ACL; Schema: app; Owner: postgres
--

GRANT UPDATE(name) ON TABLE app.worlds TO player;
GRANT UPDATE(name) ON TABLE app.worlds TO content_admin;


--
-- Name: COLUMN worlds.description; Type: ACL; Schema: app; Owner: postgres
--

GRANT UPDATE(description) ON TABLE app.worlds TO player;
GRANT UPDATE(description) ON TABLE app.worlds TO content_admin;


--
-- Name: COLUMN worlds.visibility; Type: ACL; Schema: app; Owner: postgres
--

GRANT UPDATE(visibility) ON TABLE app.worlds TO player;
GRANT UPDATE(visibility) ON TABLE app.worlds TO content_admin;


--
-- Name: FUNCTION agent_create(w app.worlds, slug text, name text, role text, emoji text, sprite_key text, greeting text, routing_keywords text[], system_prompt text, card jsonb); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.agent_create(w app.worlds, slug text, name text, role text, emoji text, sprite_key text, greeting text, routing_keywords text[], system_prompt text, card jsonb) FROM PUBLIC;


--
-- Name: FUNCTION agent_id_in_world(p_world_id uuid, p_slug text); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.agent_id_in_world(p_world_id uuid, p_slug text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.agent_id_in_world(p_world_id uuid, p_slug text) TO web_anon;
GRANT ALL ON FUNCTION app.agent_id_in_world(p_world_id uuid, p_slug text) TO player;
GRANT ALL ON FUNCTION app.agent_id_in_world(p_world_id uuid, p_slug text) TO agent_service;
GRANT ALL ON FUNCTION app.agent_id_in_world(p_world_id uuid, p_slug text) TO content_admin;


--
-- Name: FUNCTION agent_lookup(world_slug text, agent_slug text); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.agent_lookup(world_slug text, agent_slug text) FROM PUBLIC;


--
-- Name: FUNCTION agent_manageable(world_id uuid); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.agent_manageable(world_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION agent_prompt_activate(a app.agents, v integer); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.agent_prompt_activate(a app.agents, v integer) FROM PUBLIC;


--
-- Name: FUNCTION agent_prompt_publish(a app.agents, system_prompt text, note text, card jsonb); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.agent_prompt_publish(a app.agents, system_prompt text, note text, card jsonb) FROM PUBLIC;


--
-- Name: FUNCTION agent_prompts_append_only(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.agent_prompts_append_only() FROM PUBLIC;


--
-- Name: FUNCTION agent_prompts_guard(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.agent_prompts_guard() FROM PUBLIC;


--
-- Name: FUNCTION agent_rows_world(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.agent_rows_world() FROM PUBLIC;


--
-- Name: FUNCTION agent_to_moderate(world_slug text, agent_slug text); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.agent_to_moderate(world_slug text, agent_slug text) FROM PUBLIC;


--
-- Name: FUNCTION agent_visible(a app.agents, uid uuid); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.agent_visible(a app.agents, uid uuid) FROM PUBLIC;


--
-- Name: FUNCTION agent_world(world_slug text); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.agent_world(world_slug text) FROM PUBLIC;


--
-- Name: FUNCTION agents_keep_history(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.agents_keep_history() FROM PUBLIC;


--
-- Name: FUNCTION agents_keep_world(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.agents_keep_world() FROM PUBLIC;


--
-- Name: FUNCTION assert_inside_room(room uuid, x integer, y integer, what text); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.assert_inside_room(room uuid, x integer, y integer, what text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.assert_inside_room(room uuid, x integer, y integer, what text) TO content_admin;
GRANT ALL ON FUNCTION app.assert_inside_room(room uuid, x integer, y integer, what text) TO player;


--
-- Name: FUNCTION author_role(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.author_role() FROM PUBLIC;


--
-- Name: FUNCTION block_target(me uuid, target uuid); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.block_target(me uuid, target uuid) FROM PUBLIC;


--
-- Name: FUNCTION buildings_inside_room(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.buildings_inside_room() FROM PUBLIC;


--
-- Name: FUNCTION card_agent_fields(data jsonb); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.card_agent_fields(data jsonb) FROM PUBLIC;


--
-- Name: FUNCTION card_data(card jsonb); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.card_data(card jsonb) FROM PUBLIC;


--
-- Name: FUNCTION chat_agent(world_slug text, agent_slug text, uid uuid); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.chat_agent(world_slug text, agent_slug text, uid uuid) FROM PUBLIC;


--
-- Name: FUNCTION chat_message_json(message app.chat_messages); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.chat_message_json(message app.chat_messages) FROM PUBLIC;


--
-- Name: FUNCTION chat_retry(sender_id uuid, client_msg_id uuid, session_id uuid); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.chat_retry(sender_id uuid, client_msg_id uuid, session_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION chat_store(session_id uuid, sender_type text, sender_id uuid, sender_name text, content text, recipients uuid[], client_msg_id uuid); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.chat_store(session_id uuid, sender_type text, sender_id uuid, sender_name text, content text, recipients uuid[], client_msg_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION chat_unread_add_participants(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.chat_unread_add_participants() FROM PUBLIC;


--
-- Name: FUNCTION chat_unread_count_messages(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.chat_unread_count_messages() FROM PUBLIC;


--
-- Name: FUNCTION chat_unread_follow_marker(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.chat_unread_follow_marker() FROM PUBLIC;


--
-- Name: FUNCTION check_agent_fields(slug text, role text, emoji text, sprite_key text, greeting text, routing_keywords text[]); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.check_agent_fields(slug text, role text, emoji text, sprite_key text, greeting text, routing_keywords text[]) FROM PUBLIC;


--
-- Name: FUNCTION check_agent_name(name text); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.check_agent_name(name text) FROM PUBLIC;


--
-- Name: FUNCTION check_avatar_sprite(sprite text); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.check_avatar_sprite(sprite text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.check_avatar_sprite(sprite text) TO player;


--
-- Name: FUNCTION check_chat_content(content text, max_length integer); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.check_chat_content(content text, max_length integer) FROM PUBLIC;


--
-- Name: FUNCTION check_display_name(name text); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.check_display_name(name text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.check_display_name(name text) TO player;


--
-- Name: FUNCTION check_email(email text); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.check_email(email text) FROM PUBLIC;


--
-- Name: FUNCTION check_password(password text); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.check_password(password text) FROM PUBLIC;


--
-- Name: FUNCTION check_prompt(system_prompt text, note text); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.check_prompt(system_prompt text, note text) FROM PUBLIC;


--
-- Name: FUNCTION client_address_bucket(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.client_address_bucket() FROM PUBLIC;


--
-- Name: FUNCTION dba_publish_map(world_slug text, room_slug text, map jsonb, name text); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.dba_publish_map(world_slug text, room_slug text, map jsonb, name text) FROM PUBLIC;


--
-- Name: FUNCTION dba_rederive_map(world_slug text, room_slug text); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.dba_rederive_map(world_slug text, room_slug text) FROM PUBLIC;


--
-- Name: FUNCTION duration_words(length interval); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.duration_words(length interval) FROM PUBLIC;


--
-- Name: FUNCTION editable_world_ids(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.editable_world_ids() FROM PUBLIC;
GRANT ALL ON FUNCTION app.editable_world_ids() TO player;


--
-- Name: FUNCTION http_reason_phrase(status integer); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.http_reason_phrase(status integer) FROM PUBLIC;
GRANT ALL ON FUNCTION app.http_reason_phrase(status integer) TO content_admin;
GRANT ALL ON FUNCTION app.http_reason_phrase(status integer) TO web_anon;
GRANT ALL ON FUNCTION app.http_reason_phrase(status integer) TO player;
GRANT ALL ON FUNCTION app.http_reason_phrase(status integer) TO agent_service;


--
-- Name: FUNCTION identity_housekeeping(force boolean); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.identity_housekeeping(force boolean) FROM PUBLIC;


--
-- Name: FUNCTION installation_world_ids(include_archived boolean); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.installation_world_ids(include_archived boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION app.installation_world_ids(include_archived boolean) TO content_admin;


--
-- Name: FUNCTION invitation_refused(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.invitation_refused() FROM PUBLIC;


--
-- Name: FUNCTION jitsi_epoch(value jsonb); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.jitsi_epoch(value jsonb) FROM PUBLIC;


--
-- Name: FUNCTION jitsi_event(event text, payload jsonb); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.jitsi_event(event text, payload jsonb) FROM PUBLIC;


--
-- Name: FUNCTION listed_world_ids(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.listed_world_ids() FROM PUBLIC;
GRANT ALL ON FUNCTION app.listed_world_ids() TO web_anon;
GRANT ALL ON FUNCTION app.listed_world_ids() TO player;
GRANT ALL ON FUNCTION app.listed_world_ids() TO agent_service;
GRANT ALL ON FUNCTION app.listed_world_ids() TO content_admin;


--
-- Name: FUNCTION map_check(map jsonb, world_id uuid, room_id uuid, OUT errors jsonb, OUT summary jsonb, OUT collision bit varying, OUT buildings jsonb, OUT spawns jsonb, OUT settings jsonb); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.map_check(map jsonb, world_id uuid, room_id uuid, OUT errors jsonb, OUT summary jsonb, OUT collision bit varying, OUT buildings jsonb, OUT spawns jsonb, OUT settings jsonb) FROM PUBLIC;


--
-- Name: FUNCTION map_derive(room_id uuid, version integer, name text, map_summary jsonb, map_collision bit varying, map_buildings jsonb, map_spawns jsonb, map_settings jsonb); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.map_derive(room_id uuid, version integer, name text, map_summary jsonb, map_collision bit varying, map_buildings jsonb, map_spawns jsonb, map_settings jsonb) FROM PUBLIC;


--
-- Name: FUNCTION map_editor_world_ids(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.map_editor_world_ids() FROM PUBLIC;
GRANT ALL ON FUNCTION app.map_editor_world_ids() TO web_anon;
GRANT ALL ON FUNCTION app.map_editor_world_ids() TO player;
GRANT ALL ON FUNCTION app.map_editor_world_ids() TO agent_service;
GRANT ALL ON FUNCTION app.map_editor_world_ids() TO content_admin;


--
-- Name: FUNCTION map_int(v jsonb); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.map_int(v jsonb) FROM PUBLIC;


--
-- Name: FUNCTION map_num(v jsonb); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.map_num(v jsonb) FROM PUBLIC;


--
-- Name: FUNCTION map_problem(path text, message text, severity text); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.map_problem(path text, message text, severity text) FROM PUBLIC;


--
-- Name: FUNCTION map_prop(props jsonb, prop text, OUT idx integer, OUT value jsonb); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.map_prop(props jsonb, prop text, OUT idx integer, OUT value jsonb) FROM PUBLIC;


--
-- Name: FUNCTION map_publish(w app.worlds, room_slug text, map jsonb, name text, publisher_role text, publisher uuid, restored_from integer); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.map_publish(w app.worlds, room_slug text, map jsonb, name text, publisher_role text, publisher uuid, restored_from integer) FROM PUBLIC;


--
-- Name: FUNCTION map_refuse(problems jsonb); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.map_refuse(problems jsonb) FROM PUBLIC;


--
-- Name: FUNCTION map_slugify(name text); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.map_slugify(name text) FROM PUBLIC;


--
-- Name: FUNCTION map_versions_immutable(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.map_versions_immutable() FROM PUBLIC;


--
-- Name: FUNCTION map_world(world_slug text); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.map_world(world_slug text) FROM PUBLIC;


--
-- Name: FUNCTION meeting_building_by_jitsi_name(jitsi_name text); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.meeting_building_by_jitsi_name(jitsi_name text) FROM PUBLIC;


--
-- Name: FUNCTION meeting_call_record(building_id uuid, user_id uuid, occupant_jid text, joined_at timestamp with time zone, left_at timestamp with time zone); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.meeting_call_record(building_id uuid, user_id uuid, occupant_jid text, joined_at timestamp with time zone, left_at timestamp with time zone) FROM PUBLIC;


--
-- Name: FUNCTION meeting_close_if_empty(session_id uuid); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.meeting_close_if_empty(session_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION meeting_frame(kind text, building_id uuid, user_id uuid); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.meeting_frame(kind text, building_id uuid, user_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION meeting_jitsi_name(world_slug text, jitsi_room text); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.meeting_jitsi_name(world_slug text, jitsi_room text) FROM PUBLIC;


--
-- Name: FUNCTION meeting_open_session(building_id uuid); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.meeting_open_session(building_id uuid) FROM PUBLIC;


--
-- Name: TABLE buildings; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT ON TABLE app.buildings TO web_anon;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app.buildings TO player;
GRANT SELECT ON TABLE app.buildings TO agent_service;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app.buildings TO content_admin;


--
-- Name: FUNCTION meeting_zone_holds(b app.buildings, room_id uuid, x integer, y integer, status text); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.meeting_zone_holds(b app.buildings, room_id uuid, x integer, y integer, status text) FROM PUBLIC;


--
-- Name: FUNCTION meeting_zones_after_delete(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.meeting_zones_after_delete() FROM PUBLIC;


--
-- Name: FUNCTION meeting_zones_after_insert(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.meeting_zones_after_insert() FROM PUBLIC;


--
-- Name: FUNCTION meeting_zones_after_update(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.meeting_zones_after_update() FROM PUBLIC;


--
-- Name: FUNCTION meeting_zones_building(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.meeting_zones_building() FROM PUBLIC;


--
-- Name: FUNCTION meeting_zones_follow(users uuid[]); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.meeting_zones_follow(users uuid[]) FROM PUBLIC;


--
-- Name: FUNCTION member_world_ids(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.member_world_ids() FROM PUBLIC;
GRANT ALL ON FUNCTION app.member_world_ids() TO player;


--
-- Name: FUNCTION move_blocked(room_id uuid, from_x integer, from_y integer, to_x integer, to_y integer); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.move_blocked(room_id uuid, from_x integer, from_y integer, to_x integer, to_y integer) FROM PUBLIC;


--
-- Name: TABLE rooms; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT ON TABLE app.rooms TO web_anon;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app.rooms TO player;
GRANT SELECT ON TABLE app.rooms TO agent_service;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app.rooms TO content_admin;


--
-- Name: FUNCTION move_verdict(here app.player_presence, room app.rooms, x integer, y integer, direction text, at timestamp with time zone, OUT reason text, OUT message text, OUT budget double precision); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.move_verdict(here app.player_presence, room app.rooms, x integer, y integer, direction text, at timestamp with time zone, OUT reason text, OUT message text, OUT budget double precision) FROM PUBLIC;


--
-- Name: FUNCTION my_world_role(w uuid); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.my_world_role(w uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app.my_world_role(w uuid) TO web_anon;
GRANT ALL ON FUNCTION app.my_world_role(w uuid) TO player;
GRANT ALL ON FUNCTION app.my_world_role(w uuid) TO agent_service;
GRANT ALL ON FUNCTION app.my_world_role(w uuid) TO content_admin;


--
-- Name: FUNCTION point_inside_room(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.point_inside_room() FROM PUBLIC;


--
-- Name: FUNCTION presence_enter(user_id uuid, room_slug text, connection text, world_slug text); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.presence_enter(user_id uuid, room_slug text, connection text, world_slug text) FROM PUBLIC;


--
-- Name: FUNCTION presence_leave(user_id uuid, connection text); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.presence_leave(user_id uuid, connection text) FROM PUBLIC;


--
-- Name: FUNCTION presence_move(user_id uuid, x integer, y integer, direction text, at timestamp with time zone, OUT reason text, OUT message text, OUT room_slug text, OUT room_id uuid); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.presence_move(user_id uuid, x integer, y integer, direction text, at timestamp with time zone, OUT reason text, OUT message text, OUT room_slug text, OUT room_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION presence_notify(frame jsonb); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.presence_notify(frame jsonb) FROM PUBLIC;


--
-- Name: FUNCTION presence_player(user_id uuid); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.presence_player(user_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION presence_set_status(user_id uuid, status text); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.presence_set_status(user_id uuid, status text) FROM PUBLIC;


--
-- Name: FUNCTION presence_state(room_id uuid); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.presence_state(room_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION purge_abandoned_anonymous_users(batch integer, unseen_for interval); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.purge_abandoned_anonymous_users(batch integer, unseen_for interval) FROM PUBLIC;


--
-- Name: FUNCTION raise_api_error(status integer, code text, message text, hint text, details jsonb, headers jsonb); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.raise_api_error(status integer, code text, message text, hint text, details jsonb, headers jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION app.raise_api_error(status integer, code text, message text, hint text, details jsonb, headers jsonb) TO content_admin;
GRANT ALL ON FUNCTION app.raise_api_error(status integer, code text, message text, hint text, details jsonb, headers jsonb) TO web_anon;
GRANT ALL ON FUNCTION app.raise_api_error(status integer, code text, message text, hint text, details jsonb, headers jsonb) TO player;
GRANT ALL ON FUNCTION app.raise_api_error(status integer, code text, message text, hint text, details jsonb, headers jsonb) TO agent_service;


--
-- Name: FUNCTION rate_limit_hit(user_id uuid, action text); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.rate_limit_hit(user_id uuid, action text) FROM PUBLIC;


--
-- Name: FUNCTION rate_limit_hit_bucket(action text, bucket text); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.rate_limit_hit_bucket(action text, bucket text) FROM PUBLIC;


--
-- Name: FUNCTION readable_world_ids(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.readable_world_ids() FROM PUBLIC;
GRANT ALL ON FUNCTION app.readable_world_ids() TO web_anon;
GRANT ALL ON FUNCTION app.readable_world_ids() TO player;
GRANT ALL ON FUNCTION app.readable_world_ids() TO agent_service;
GRANT ALL ON FUNCTION app.readable_world_ids() TO content_admin;


--
-- Name: FUNCTION readable_world_ids(uid uuid); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.readable_world_ids(uid uuid) FROM PUBLIC;


--
-- Name: FUNCTION request_role(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.request_role() FROM PUBLIC;


--
-- Name: FUNCTION room_contents_world(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.room_contents_world() FROM PUBLIC;


--
-- Name: FUNCTION room_evict_before_delete(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.room_evict_before_delete() FROM PUBLIC;


--
-- Name: FUNCTION room_where(room_id uuid); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.room_where(room_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION rooms_keep_contents_inside(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.rooms_keep_contents_inside() FROM PUBLIC;


--
-- Name: FUNCTION rooms_keep_history(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.rooms_keep_history() FROM PUBLIC;


--
-- Name: FUNCTION rooms_keep_main(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.rooms_keep_main() FROM PUBLIC;


--
-- Name: FUNCTION rooms_map_size(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.rooms_map_size() FROM PUBLIC;


--
-- Name: FUNCTION rooms_world(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.rooms_world() FROM PUBLIC;


--
-- Name: FUNCTION rows_off_walls(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.rows_off_walls() FROM PUBLIC;


--
-- Name: FUNCTION set_trusted_client_address_header(header_name text); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.set_trusted_client_address_header(header_name text) FROM PUBLIC;


--
-- Name: FUNCTION slug_from_name(name text); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.slug_from_name(name text) FROM PUBLIC;


--
-- Name: FUNCTION tile_blocked(room_id uuid, map_version integer, x integer, y integer); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.tile_blocked(room_id uuid, map_version integer, x integer, y integer) FROM PUBLIC;


--
-- Name: FUNCTION touch_updated_at(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.touch_updated_at() FROM PUBLIC;


--
-- Name: FUNCTION users_validate(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.users_validate() FROM PUBLIC;


--
-- Name: FUNCTION world_banned(w uuid, uid uuid); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.world_banned(w uuid, uid uuid) FROM PUBLIC;


--
-- Name: FUNCTION world_by_slug(slug text, uid uuid); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.world_by_slug(slug text, uid uuid) FROM PUBLIC;


--
-- Name: TABLE users; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT ON TABLE app.users TO player;


--
-- Name: COLUMN users.display_name; Type: ACL; Schema: app; Owner: postgres
--

GRANT UPDATE(display_name) ON TABLE app.users TO player;


--
-- Name: COLUMN users.avatar_sprite; Type: ACL; Schema: app; Owner: postgres
--

GRANT UPDATE(avatar_sprite) ON TABLE app.users TO player;


--
-- Name: FUNCTION world_caller(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.world_caller() FROM PUBLIC;


--
-- Name: FUNCTION world_evict(w uuid, uid uuid, cause text, announced_slug text); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.world_evict(w uuid, uid uuid, cause text, announced_slug text) FROM PUBLIC;


--
-- Name: FUNCTION world_evict_trigger(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.world_evict_trigger() FROM PUBLIC;


--
-- Name: FUNCTION world_invitations_follow_inviter(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.world_invitations_follow_inviter() FROM PUBLIC;


--
-- Name: FUNCTION world_managed(slug text, uid uuid, roles text[], refusal text); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.world_managed(slug text, uid uuid, roles text[], refusal text) FROM PUBLIC;


--
-- Name: FUNCTION world_may_enter(w app.worlds, uid uuid); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.world_may_enter(w app.worlds, uid uuid) FROM PUBLIC;


--
-- Name: FUNCTION world_member_role(w app.worlds, uid uuid); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.world_member_role(w app.worlds, uid uuid) FROM PUBLIC;


--
-- Name: FUNCTION world_owner_check(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.world_owner_check() FROM PUBLIC;


--
-- Name: FUNCTION world_role(w uuid, uid uuid); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.world_role(w uuid, uid uuid) FROM PUBLIC;


--
-- Name: FUNCTION world_visible(slug text, uid uuid, lock boolean); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.world_visible(slug text, uid uuid, lock boolean) FROM PUBLIC;


--
-- Name: FUNCTION worlds_drop_agents(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.worlds_drop_agents() FROM PUBLIC;


--
-- Name: FUNCTION worlds_edit_rules(); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.worlds_edit_rules() FROM PUBLIC;


--
-- Name: FUNCTION base64url(data bytea); Type: ACL; Schema: auth; Owner: postgres
--

REVOKE ALL ON FUNCTION auth.base64url(data bytea) FROM PUBLIC;


--
-- Name: FUNCTION check_request(); Type: ACL; Schema: auth; Owner: postgres
--

REVOKE ALL ON FUNCTION auth.check_request() FROM PUBLIC;
GRANT ALL ON FUNCTION auth.check_request() TO web_anon;
GRANT ALL ON FUNCTION auth.check_request() TO player;
GRANT ALL ON FUNCTION auth.check_request() TO agent_service;
GRANT ALL ON FUNCTION auth.check_request() TO content_admin;
GRANT ALL ON FUNCTION auth.check_request() TO jitsi_service;


--
-- Name: FUNCTION claims(); Type: ACL; Schema: auth; Owner: postgres
--

REVOKE ALL ON FUNCTION auth.claims() FROM PUBLIC;
GRANT ALL ON FUNCTION auth.claims() TO web_anon;
GRANT ALL ON FUNCTION auth.claims() TO player;
GRANT ALL ON FUNCTION auth.claims() TO agent_service;
GRANT ALL ON FUNCTION auth.claims() TO content_admin;
GRANT ALL ON FUNCTION auth.claims() TO bridge;


--
-- Name: FUNCTION hs256(claims jsonb, key text); Type: ACL; Schema: auth; Owner: postgres
--

REVOKE ALL ON FUNCTION auth.hs256(claims jsonb, key text) FROM PUBLIC;


--
-- Name: FUNCTION issue_service_token(role text, ttl interval); Type: ACL; Schema: auth; Owner: postgres
--

REVOKE ALL ON FUNCTION auth.issue_service_token(role text, ttl interval) FROM PUBLIC;


--
-- Name: FUNCTION issue_session_token(user_id uuid, sid uuid, generation integer, ttl interval); Type: ACL; Schema: auth; Owner: postgres
--

REVOKE ALL ON FUNCTION auth.issue_session_token(user_id uuid, sid uuid, generation integer, ttl interval) FROM PUBLIC;


--
-- Name: FUNCTION issue_token(user_id uuid, ttl interval); Type: ACL; Schema: auth; Owner: postgres
--

REVOKE ALL ON FUNCTION auth.issue_token(user_id uuid, ttl interval) FROM PUBLIC;


--
-- Name: FUNCTION jitsi_sign(claims jsonb); Type: ACL; Schema: auth; Owner: postgres
--

REVOKE ALL ON FUNCTION auth.jitsi_sign(claims jsonb) FROM PUBLIC;


--
-- Name: FUNCTION prune_token_revocations(); Type: ACL; Schema: auth; Owner: postgres
--

REVOKE ALL ON FUNCTION auth.prune_token_revocations() FROM PUBLIC;


--
-- Name: FUNCTION raise_token_revoked(); Type: ACL; Schema: auth; Owner: postgres
--

REVOKE ALL ON FUNCTION auth.raise_token_revoked() FROM PUBLIC;


--
-- Name: FUNCTION register_attempt(key text, action text); Type: ACL; Schema: auth; Owner: postgres
--

REVOKE ALL ON FUNCTION auth.register_attempt(key text, action text) FROM PUBLIC;


--
-- Name: FUNCTION revoke_subject(subject text); Type: ACL; Schema: auth; Owner: postgres
--

REVOKE ALL ON FUNCTION auth.revoke_subject(subject text) FROM PUBLIC;


--
-- Name: FUNCTION set_jitsi_config(domain text, app_id text, app_secret text, audience text); Type: ACL; Schema: auth; Owner: postgres
--

REVOKE ALL ON FUNCTION auth.set_jitsi_config(domain text, app_id text, app_secret text, audience text) FROM PUBLIC;


--
-- Name: FUNCTION set_jwt_secret(secret text); Type: ACL; Schema: auth; Owner: postgres
--

REVOKE ALL ON FUNCTION auth.set_jwt_secret(secret text) FROM PUBLIC;


--
-- Name: FUNCTION sign(claims jsonb); Type: ACL; Schema: auth; Owner: postgres
--

REVOKE ALL ON FUNCTION auth.sign(claims jsonb) FROM PUBLIC;


--
-- Name: FUNCTION token_generation(subject text); Type: ACL; Schema: auth; Owner: postgres
--

REVOKE ALL ON FUNCTION auth.token_generation(subject text) FROM PUBLIC;


--
-- Name: FUNCTION token_revoked(claims jsonb); Type: ACL; Schema: auth; Owner: postgres
--

REVOKE ALL ON FUNCTION auth.token_revoked(claims jsonb) FROM PUBLIC;


--
-- Name: FUNCTION token_subject(claims jsonb); Type: ACL; Schema: auth; Owner: postgres
--

REVOKE ALL ON FUNCTION auth.token_subject(claims jsonb) FROM PUBLIC;


--
-- Name: FUNCTION agent_chat_replay(after_position bigint, max_rows integer); Type: ACL; Schema: realtime; Owner: postgres
--

REVOKE ALL ON FUNCTION realtime.agent_chat_replay(after_position bigint, max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION realtime.agent_chat_replay(after_position bigint, max_rows integer) TO bridge;


--
-- Name: FUNCTION agent_messages_after(after_id bigint, max_rows integer); Type: ACL; Schema: realtime; Owner: postgres
--

REVOKE ALL ON FUNCTION realtime.agent_messages_after(after_id bigint, max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION realtime.agent_messages_after(after_id bigint, max_rows integer) TO bridge;


--
-- Name: FUNCTION apply_moves(moves jsonb); Type: ACL; Schema: realtime; Owner: postgres
--

REVOKE ALL ON FUNCTION realtime.apply_moves(moves jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION realtime.apply_moves(moves jsonb) TO bridge;


--
-- Name: FUNCTION chat_head(); Type: ACL; Schema: realtime; Owner: postgres
--

REVOKE ALL ON FUNCTION realtime.chat_head() FROM PUBLIC;
GRANT ALL ON FUNCTION realtime.chat_head() TO bridge;


--
-- Name: FUNCTION chat_replay(user_id uuid, after_position bigint, max_rows integer); Type: ACL; Schema: realtime; Owner: postgres
--

REVOKE ALL ON FUNCTION realtime.chat_replay(user_id uuid, after_position bigint, max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION realtime.chat_replay(user_id uuid, after_position bigint, max_rows integer) TO bridge;


--
-- Name: FUNCTION chat_stamp(wait boolean); Type: ACL; Schema: realtime; Owner: postgres
--

REVOKE ALL ON FUNCTION realtime.chat_stamp(wait boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION realtime.chat_stamp(wait boolean) TO bridge;


--
-- Name: FUNCTION chat_stream(after_position bigint, max_rows integer); Type: ACL; Schema: realtime; Owner: postgres
--

REVOKE ALL ON FUNCTION realtime.chat_stream(after_position bigint, max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION realtime.chat_stream(after_position bigint, max_rows integer) TO bridge;


--
-- Name: FUNCTION chat_tail(after_position bigint, max_rows integer); Type: ACL; Schema: realtime; Owner: postgres
--

REVOKE ALL ON FUNCTION realtime.chat_tail(after_position bigint, max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION realtime.chat_tail(after_position bigint, max_rows integer) TO bridge;


--
-- Name: FUNCTION default_world(); Type: ACL; Schema: realtime; Owner: postgres
--

REVOKE ALL ON FUNCTION realtime.default_world() FROM PUBLIC;
GRANT ALL ON FUNCTION realtime.default_world() TO bridge;


--
-- Name: FUNCTION jitsi_event(event text, payload jsonb); Type: ACL; Schema: realtime; Owner: postgres
--

REVOKE ALL ON FUNCTION realtime.jitsi_event(event text, payload jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION realtime.jitsi_event(event text, payload jsonb) TO bridge;


--
-- Name: FUNCTION "join"(user_id uuid, room_slug text, connection text, world_slug text); Type: ACL; Schema: realtime; Owner: postgres
--

REVOKE ALL ON FUNCTION realtime."join"(user_id uuid, room_slug text, connection text, world_slug text) FROM PUBLIC;
GRANT ALL ON FUNCTION realtime."join"(user_id uuid, room_slug text, connection text, world_slug text) TO bridge;


--
-- Name: FUNCTION leave(user_id uuid, connection text); Type: ACL; Schema: realtime; Owner: postgres
--

REVOKE ALL ON FUNCTION realtime.leave(user_id uuid, connection text) FROM PUBLIC;
GRANT ALL ON FUNCTION realtime.leave(user_id uuid, connection text) TO bridge;


--
-- Name: FUNCTION messages_after(user_id uuid, after_id bigint, max_rows integer); Type: ACL; Schema: realtime; Owner: postgres
--

REVOKE ALL ON FUNCTION realtime.messages_after(user_id uuid, after_id bigint, max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION realtime.messages_after(user_id uuid, after_id bigint, max_rows integer) TO bridge;


--
-- Name: FUNCTION rejoin_room(room_slug text, members jsonb, world_slug text); Type: ACL; Schema: realtime; Owner: postgres
--

REVOKE ALL ON FUNCTION realtime.rejoin_room(room_slug text, members jsonb, world_slug text) FROM PUBLIC;
GRANT ALL ON FUNCTION realtime.rejoin_room(room_slug text, members jsonb, world_slug text) TO bridge;


--
-- Name: FUNCTION revoked_tokens(tokens jsonb); Type: ACL; Schema: realtime; Owner: postgres
--

REVOKE ALL ON FUNCTION realtime.revoked_tokens(tokens jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION realtime.revoked_tokens(tokens jsonb) TO bridge;


--
-- Name: FUNCTION room_state(room_slug text, world_slug text); Type: ACL; Schema: realtime; Owner: postgres
--

REVOKE ALL ON FUNCTION realtime.room_state(room_slug text, world_slug text) FROM PUBLIC;
GRANT ALL ON FUNCTION realtime.room_state(room_slug text, world_slug text) TO bridge;


--
-- Name: FUNCTION set_status(user_id uuid, status text); Type: ACL; Schema: realtime; Owner: postgres
--

REVOKE ALL ON FUNCTION realtime.set_status(user_id uuid, status text) FROM PUBLIC;
GRANT ALL ON FUNCTION realtime.set_status(user_id uuid, status text) TO bridge;


--
-- Name: FUNCTION sweep(away_after interval, offline_after interval); Type: ACL; Schema: realtime; Owner: postgres
--

REVOKE ALL ON FUNCTION realtime.sweep(away_after interval, offline_after interval) FROM PUBLIC;
GRANT ALL ON FUNCTION realtime.sweep(away_after interval, offline_after interval) TO bridge;


--
-- Name: FUNCTION touch(user_ids uuid[]); Type: ACL; Schema: realtime; Owner: postgres
--

REVOKE ALL ON FUNCTION realtime.touch(user_ids uuid[]) FROM PUBLIC;
GRANT ALL ON FUNCTION realtime.touch(user_ids uuid[]) TO bridge;


--
-- Name: TABLE agent_inbox; Type: ACL; Schema: api; Owner: postgres
--

GRANT SELECT ON TABLE api.agent_inbox TO agent_service;


--
-- Name: TABLE agent_sprites; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT ON TABLE app.agent_sprites TO web_anon;
GRANT SELECT ON TABLE app.agent_sprites TO player;
GRANT SELECT ON TABLE app.agent_sprites TO agent_service;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app.agent_sprites TO content_admin;


--
-- Name: TABLE agent_sprites; Type: ACL; Schema: api; Owner: postgres
--

GRANT SELECT ON TABLE api.agent_sprites TO web_anon;
GRANT SELECT ON TABLE api.agent_sprites TO player;
GRANT SELECT ON TABLE api.agent_sprites TO agent_service;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE api.agent_sprites TO content_admin;


--
-- Name: TABLE avatar_sprites; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT ON TABLE app.avatar_sprites TO web_anon;
GRANT SELECT ON TABLE app.avatar_sprites TO player;
GRANT SELECT ON TABLE app.avatar_sprites TO agent_service;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app.avatar_sprites TO content_admin;


--
-- Name: TABLE avatar_sprites; Type: ACL; Schema: api; Owner: postgres
--

GRANT SELECT ON TABLE api.avatar_sprites TO web_anon;
GRANT SELECT ON TABLE api.avatar_sprites TO player;
GRANT SELECT ON TABLE api.avatar_sprites TO agent_service;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE api.avatar_sprites TO content_admin;


--
-- Name: TABLE user_blocks; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT ON TABLE app.user_blocks TO player;


--
-- Name: TABLE blocked_users; Type: ACL; Schema: api; Owner: postgres
--

GRANT SELECT ON TABLE api.blocked_users TO player;


--
-- Name: TABLE buildings; Type: ACL; Schema: api; Owner: postgres
--

GRANT SELECT ON TABLE api.buildings TO web_anon;
GRANT SELECT,DELETE ON TABLE api.buildings TO player;
GRANT SELECT ON TABLE api.buildings TO agent_service;
GRANT SELECT,DELETE ON TABLE api.buildings TO content_admin;


--
-- Name: COLUMN buildings.id; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(id),UPDATE(id) ON TABLE api.buildings TO player;
GRANT INSERT(id),UPDATE(id) ON TABLE api.buildings TO content_admin;


--
-- Name: COLUMN buildings.room_id; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(room_id),UPDATE(room_id) ON TABLE api.buildings TO player;
GRANT INSERT(room_id),UPDATE(room_id) ON TABLE api.buildings TO content_admin;


--
-- Name: COLUMN buildings.slug; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(slug),UPDATE(slug) ON TABLE api.buildings TO player;
GRANT INSERT(slug),UPDATE(slug) ON TABLE api.buildings TO content_admin;


--
-- Name: COLUMN buildings.name; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(name),UPDATE(name) ON TABLE api.buildings TO player;
GRANT INSERT(name),UPDATE(name) ON TABLE api.buildings TO content_admin;


--
-- Name: COLUMN buildings.type; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(type),UPDATE(type) ON TABLE api.buildings TO player;
GRANT INSERT(type),UPDATE(type) ON TABLE api.buildings TO content_admin;


--
-- Name: COLUMN buildings.x; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(x),UPDATE(x) ON TABLE api.buildings TO player;
GRANT INSERT(x),UPDATE(x) ON TABLE api.buildings TO content_admin;


--
-- Name: COLUMN buildings.y; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(y),UPDATE(y) ON TABLE api.buildings TO player;
GRANT INSERT(y),UPDATE(y) ON TABLE api.buildings TO content_admin;


--
-- Name: COLUMN buildings.width; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(width),UPDATE(width) ON TABLE api.buildings TO player;
GRANT INSERT(width),UPDATE(width) ON TABLE api.buildings TO content_admin;


--
-- Name: COLUMN buildings.height; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(height),UPDATE(height) ON TABLE api.buildings TO player;
GRANT INSERT(height),UPDATE(height) ON TABLE api.buildings TO content_admin;


--
-- Name: COLUMN buildings.door_x; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(door_x),UPDATE(door_x) ON TABLE api.buildings TO player;
GRANT INSERT(door_x),UPDATE(door_x) ON TABLE api.buildings TO content_admin;


--
-- Name: COLUMN buildings.door_y; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(door_y),UPDATE(door_y) ON TABLE api.buildings TO player;
GRANT INSERT(door_y),UPDATE(door_y) ON TABLE api.buildings TO content_admin;


--
-- Name: COLUMN buildings.agent_id; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(agent_id),UPDATE(agent_id) ON TABLE api.buildings TO player;
GRANT INSERT(agent_id),UPDATE(agent_id) ON TABLE api.buildings TO content_admin;


--
-- Name: COLUMN buildings.target_room_id; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(target_room_id),UPDATE(target_room_id) ON TABLE api.buildings TO player;
GRANT INSERT(target_room_id),UPDATE(target_room_id) ON TABLE api.buildings TO content_admin;


--
-- Name: COLUMN buildings.jitsi_room; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(jitsi_room),UPDATE(jitsi_room) ON TABLE api.buildings TO player;
GRANT INSERT(jitsi_room),UPDATE(jitsi_room) ON TABLE api.buildings TO content_admin;


--
-- Name: COLUMN buildings.world_id; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(world_id),UPDATE(world_id) ON TABLE api.buildings TO player;
GRANT INSERT(world_id),UPDATE(world_id) ON TABLE api.buildings TO content_admin;


--
-- Name: TABLE map_versions; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT ON TABLE app.map_versions TO web_anon;
GRANT SELECT ON TABLE app.map_versions TO player;
GRANT SELECT ON TABLE app.map_versions TO agent_service;
GRANT SELECT ON TABLE app.map_versions TO content_admin;


--
-- Name: TABLE map_versions; Type: ACL; Schema: api; Owner: postgres
--

GRANT SELECT ON TABLE api.map_versions TO player;
GRANT SELECT ON TABLE api.map_versions TO content_admin;


--
-- Name: TABLE me; Type: ACL; Schema: api; Owner: postgres
--

GRANT SELECT ON TABLE api.me TO player;


--
-- Name: COLUMN me.display_name; Type: ACL; Schema: api; Owner: postgres
--

GRANT UPDATE(display_name) ON TABLE api.me TO player;


--
-- Name: COLUMN me.avatar_sprite; Type: ACL; Schema: api; Owner: postgres
--

GRANT UPDATE(avatar_sprite) ON TABLE api.me TO player;


--
-- Name: TABLE meeting_attendance; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT ON TABLE app.meeting_attendance TO player;


--
-- Name: TABLE meeting_sessions; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT ON TABLE app.meeting_sessions TO player;


--
-- Name: TABLE meeting_history; Type: ACL; Schema: api; Owner: postgres
--

GRANT SELECT ON TABLE api.meeting_history TO player;


--
-- Name: TABLE meetings; Type: ACL; Schema: api; Owner: postgres
--

GRANT SELECT ON TABLE api.meetings TO web_anon;
GRANT SELECT ON TABLE api.meetings TO player;


--
-- Name: TABLE presence; Type: ACL; Schema: api; Owner: postgres
--

GRANT SELECT ON TABLE api.presence TO player;


--
-- Name: TABLE room_maps; Type: ACL; Schema: api; Owner: postgres
--

GRANT SELECT ON TABLE api.room_maps TO web_anon;
GRANT SELECT ON TABLE api.room_maps TO player;
GRANT SELECT ON TABLE api.room_maps TO agent_service;
GRANT SELECT ON TABLE api.room_maps TO content_admin;


--
-- Name: TABLE rooms; Type: ACL; Schema: api; Owner: postgres
--

GRANT SELECT ON TABLE api.rooms TO web_anon;
GRANT SELECT,DELETE ON TABLE api.rooms TO player;
GRANT SELECT ON TABLE api.rooms TO agent_service;
GRANT SELECT,DELETE ON TABLE api.rooms TO content_admin;


--
-- Name: COLUMN rooms.id; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(id),UPDATE(id) ON TABLE api.rooms TO player;
GRANT INSERT(id),UPDATE(id) ON TABLE api.rooms TO content_admin;


--
-- Name: COLUMN rooms.slug; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(slug),UPDATE(slug) ON TABLE api.rooms TO player;
GRANT INSERT(slug),UPDATE(slug) ON TABLE api.rooms TO content_admin;


--
-- Name: COLUMN rooms.name; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(name),UPDATE(name) ON TABLE api.rooms TO player;
GRANT INSERT(name),UPDATE(name) ON TABLE api.rooms TO content_admin;


--
-- Name: COLUMN rooms.tilemap_key; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(tilemap_key),UPDATE(tilemap_key) ON TABLE api.rooms TO player;
GRANT INSERT(tilemap_key),UPDATE(tilemap_key) ON TABLE api.rooms TO content_admin;


--
-- Name: COLUMN rooms.width_tiles; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(width_tiles),UPDATE(width_tiles) ON TABLE api.rooms TO player;
GRANT INSERT(width_tiles),UPDATE(width_tiles) ON TABLE api.rooms TO content_admin;


--
-- Name: COLUMN rooms.height_tiles; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(height_tiles),UPDATE(height_tiles) ON TABLE api.rooms TO player;
GRANT INSERT(height_tiles),UPDATE(height_tiles) ON TABLE api.rooms TO content_admin;


--
-- Name: COLUMN rooms.default_spawn_x; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(default_spawn_x),UPDATE(default_spawn_x) ON TABLE api.rooms TO player;
GRANT INSERT(default_spawn_x),UPDATE(default_spawn_x) ON TABLE api.rooms TO content_admin;


--
-- Name: COLUMN rooms.default_spawn_y; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(default_spawn_y),UPDATE(default_spawn_y) ON TABLE api.rooms TO player;
GRANT INSERT(default_spawn_y),UPDATE(default_spawn_y) ON TABLE api.rooms TO content_admin;


--
-- Name: COLUMN rooms.is_main; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(is_main),UPDATE(is_main) ON TABLE api.rooms TO player;
GRANT INSERT(is_main),UPDATE(is_main) ON TABLE api.rooms TO content_admin;


--
-- Name: COLUMN rooms.max_speed; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(max_speed),UPDATE(max_speed) ON TABLE api.rooms TO player;
GRANT INSERT(max_speed),UPDATE(max_speed) ON TABLE api.rooms TO content_admin;


--
-- Name: COLUMN rooms.proximity_radius; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(proximity_radius),UPDATE(proximity_radius) ON TABLE api.rooms TO player;
GRANT INSERT(proximity_radius),UPDATE(proximity_radius) ON TABLE api.rooms TO content_admin;


--
-- Name: COLUMN rooms.world_id; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(world_id),UPDATE(world_id) ON TABLE api.rooms TO player;
GRANT INSERT(world_id),UPDATE(world_id) ON TABLE api.rooms TO content_admin;


--
-- Name: TABLE spawn_points; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT ON TABLE app.spawn_points TO web_anon;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app.spawn_points TO player;
GRANT SELECT ON TABLE app.spawn_points TO agent_service;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app.spawn_points TO content_admin;


--
-- Name: TABLE spawn_points; Type: ACL; Schema: api; Owner: postgres
--

GRANT SELECT ON TABLE api.spawn_points TO web_anon;
GRANT SELECT,DELETE ON TABLE api.spawn_points TO player;
GRANT SELECT ON TABLE api.spawn_points TO agent_service;
GRANT SELECT,DELETE ON TABLE api.spawn_points TO content_admin;


--
-- Name: COLUMN spawn_points.id; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(id),UPDATE(id) ON TABLE api.spawn_points TO player;
GRANT INSERT(id),UPDATE(id) ON TABLE api.spawn_points TO content_admin;


--
-- Name: COLUMN spawn_points.room_id; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(room_id),UPDATE(room_id) ON TABLE api.spawn_points TO player;
GRANT INSERT(room_id),UPDATE(room_id) ON TABLE api.spawn_points TO content_admin;


--
-- Name: COLUMN spawn_points.slug; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(slug),UPDATE(slug) ON TABLE api.spawn_points TO player;
GRANT INSERT(slug),UPDATE(slug) ON TABLE api.spawn_points TO content_admin;


--
-- Name: COLUMN spawn_points.x; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(x),UPDATE(x) ON TABLE api.spawn_points TO player;
GRANT INSERT(x),UPDATE(x) ON TABLE api.spawn_points TO content_admin;


--
-- Name: COLUMN spawn_points.y; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(y),UPDATE(y) ON TABLE api.spawn_points TO player;
GRANT INSERT(y),UPDATE(y) ON TABLE api.spawn_points TO content_admin;


--
-- Name: COLUMN spawn_points.type; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(type),UPDATE(type) ON TABLE api.spawn_points TO player;
GRANT INSERT(type),UPDATE(type) ON TABLE api.spawn_points TO content_admin;


--
-- Name: COLUMN spawn_points.agent_id; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(agent_id),UPDATE(agent_id) ON TABLE api.spawn_points TO player;
GRANT INSERT(agent_id),UPDATE(agent_id) ON TABLE api.spawn_points TO content_admin;


--
-- Name: COLUMN spawn_points.direction; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(direction),UPDATE(direction) ON TABLE api.spawn_points TO player;
GRANT INSERT(direction),UPDATE(direction) ON TABLE api.spawn_points TO content_admin;


--
-- Name: COLUMN spawn_points.world_id; Type: ACL; Schema: api; Owner: postgres
--

GRANT INSERT(world_id),UPDATE(world_id) ON TABLE api.spawn_points TO player;
GRANT INSERT(world_id),UPDATE(world_id) ON TABLE api.spawn_points TO content_admin;


--
-- Name: TABLE tilesets; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT ON TABLE app.tilesets TO web_anon;
GRANT SELECT ON TABLE app.tilesets TO player;
GRANT SELECT ON TABLE app.tilesets TO agent_service;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app.tilesets TO content_admin;


--
-- Name: TABLE tilesets; Type: ACL; Schema: api; Owner: postgres
--

GRANT SELECT ON TABLE api.tilesets TO web_anon;
GRANT SELECT ON TABLE api.tilesets TO player;
GRANT SELECT ON TABLE api.tilesets TO agent_service;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE api.tilesets TO content_admin;


--
-- Name: TABLE user_settings; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT ON TABLE app.user_settings TO player;


--
-- Name: COLUMN user_settings.audio_enabled; Type: ACL; Schema: app; Owner: postgres
--

GRANT UPDATE(audio_enabled) ON TABLE app.user_settings TO player;


--
-- Name: COLUMN user_settings.video_enabled; Type: ACL; Schema: app; Owner: postgres
--

GRANT UPDATE(video_enabled) ON TABLE app.user_settings TO player;


--
-- Name: COLUMN user_settings.volume; Type: ACL; Schema: app; Owner: postgres
--

GRANT UPDATE(volume) ON TABLE app.user_settings TO player;


--
-- Name: COLUMN user_settings.theme; Type: ACL; Schema: app; Owner: postgres
--

GRANT UPDATE(theme) ON TABLE app.user_settings TO player;


--
-- Name: COLUMN user_settings.show_player_names; Type: ACL; Schema: app; Owner: postgres
--

GRANT UPDATE(show_player_names) ON TABLE app.user_settings TO player;


--
-- Name: TABLE user_settings; Type: ACL; Schema: api; Owner: postgres
--

GRANT SELECT ON TABLE api.user_settings TO player;


--
-- Name: COLUMN user_settings.audio_enabled; Type: ACL; Schema: api; Owner: postgres
--

GRANT UPDATE(audio_enabled) ON TABLE api.user_settings TO player;


--
-- Name: COLUMN user_settings.video_enabled; Type: ACL; Schema: api; Owner: postgres
--

GRANT UPDATE(video_enabled) ON TABLE api.user_settings TO player;


--
-- Name: COLUMN user_settings.volume; Type: ACL; Schema: api; Owner: postgres
--

GRANT UPDATE(volume) ON TABLE api.user_settings TO player;


--
-- Name: COLUMN user_settings.theme; Type: ACL; Schema: api; Owner: postgres
--

GRANT UPDATE(theme) ON TABLE api.user_settings TO player;


--
-- Name: COLUMN user_settings.show_player_names; Type: ACL; Schema: api; Owner: postgres
--

GRANT UPDATE(show_player_names) ON TABLE api.user_settings TO player;


--
-- Name: TABLE users; Type: ACL; Schema: api; Owner: postgres
--

GRANT SELECT ON TABLE api.users TO player;


--
-- Name: TABLE world_bans; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT ON TABLE app.world_bans TO player;
GRANT SELECT ON TABLE app.world_bans TO content_admin;


--
-- Name: TABLE world_bans; Type: ACL; Schema: api; Owner: postgres
--

GRANT SELECT ON TABLE api.world_bans TO player;


--
-- Name: COLUMN world_invitations.id; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT(id) ON TABLE app.world_invitations TO player;


--
-- Name: COLUMN world_invitations.world_id; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT(world_id) ON TABLE app.world_invitations TO player;


--
-- Name: COLUMN world_invitations.role; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT(role) ON TABLE app.world_invitations TO player;


--
-- Name: COLUMN world_invitations.created_by; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT(created_by) ON TABLE app.world_invitations TO player;


--
-- Name: COLUMN world_invitations.created_at; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT(created_at) ON TABLE app.world_invitations TO player;


--
-- Name: COLUMN world_invitations.expires_at; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT(expires_at) ON TABLE app.world_invitations TO player;


--
-- Name: COLUMN world_invitations.max_uses; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT(max_uses) ON TABLE app.world_invitations TO player;


--
-- Name: COLUMN world_invitations.uses; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT(uses) ON TABLE app.world_invitations TO player;


--
-- Name: COLUMN world_invitations.revoked_at; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT(revoked_at) ON TABLE app.world_invitations TO player;


--
-- Name: COLUMN world_invitations.email; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT(email) ON TABLE app.world_invitations TO player;


--
-- Name: TABLE world_invitations; Type: ACL; Schema: api; Owner: postgres
--

GRANT SELECT ON TABLE api.world_invitations TO player;


--
-- Name: TABLE world_members; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT ON TABLE app.world_members TO player;
GRANT SELECT ON TABLE app.world_members TO content_admin;


--
-- Name: TABLE world_members; Type: ACL; Schema: api; Owner: postgres
--

GRANT SELECT ON TABLE api.world_members TO player;


--
-- Name: TABLE worlds; Type: ACL; Schema: api; Owner: postgres
--

GRANT SELECT ON TABLE api.worlds TO web_anon;
GRANT SELECT ON TABLE api.worlds TO player;
GRANT SELECT ON TABLE api.worlds TO agent_service;
GRANT SELECT ON TABLE api.worlds TO content_admin;


--
-- Name: COLUMN worlds.slug; Type: ACL; Schema: api; Owner: postgres
--

GRANT UPDATE(slug) ON TABLE api.worlds TO player;
GRANT UPDATE(slug) ON TABLE api.worlds TO content_admin;


--
-- Name: COLUMN worlds.name; Type: ACL; Schema: api; Owner: postgres
--

GRANT UPDATE(name) ON TABLE api.worlds TO player;
GRANT UPDATE(name) ON TABLE api.worlds TO content_admin;


--
-- Name: COLUMN worlds.description; Type: ACL; Schema: api; Owner: postgres
--

GRANT UPDATE(description) ON TABLE api.worlds TO player;
GRANT UPDATE(description) ON TABLE api.worlds TO content_admin;


--
-- Name: COLUMN worlds.visibility; Type: ACL; Schema: api; Owner: postgres
--

GRANT UPDATE(visibility) ON TABLE api.worlds TO player;
GRANT UPDATE(visibility) ON TABLE api.worlds TO content_admin;


--
-- Name: TABLE chat_message_recipients; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT ON TABLE app.chat_message_recipients TO player;


--
-- Name: TABLE chat_read_markers; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT ON TABLE app.chat_read_markers TO player;
GRANT SELECT ON TABLE app.chat_read_markers TO agent_service;


--
-- Name: TABLE world_visitors; Type: ACL; Schema: app; Owner: postgres
--

GRANT SELECT ON TABLE app.world_visitors TO player;


--
-- Name: DEFAULT PRIVILEGES FOR FUNCTIONS; Type: DEFAULT ACL; Schema: -; Owner: postgres
--

ALTER DEFAULT PRIVILEGES FOR ROLE postgres REVOKE ALL ON FUNCTIONS  FROM PUBLIC;


--
-- PostgreSQL database dump complete
--


