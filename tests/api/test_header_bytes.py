"""Request headers whose bytes are not UTF-8 get a 5xx from PostgREST 12.0.2 itself (issue 9, the fuzz test).

This is the exact upstream behaviour that makes tests/api/test_fuzz.py keep header values within ASCII.
PostgREST passes every request header, and the cookies, to SQL as the JSON setting `request.headers`
(`request.cookies`), and decodes each name and value with `Data.Text.Encoding.decodeUtf8`, which throws on
invalid UTF-8 (v12.0.2: src/PostgREST/Query/SqlFragment.hs line 560, `arrayByteStringToText`, called
from src/PostgREST/Query.hs lines 248-249 for every request; Accept-Profile and Content-Profile are decoded
the same way in src/PostgREST/ApiRequest.hs lines 221-222). The exception escapes to Warp, whose default
handler answers `500 Internal Server Error`, text/plain `Something went wrong`, and PostgREST logs
"Cannot decode byte '\\xe9': Data.Text.Internal.Encoding.decodeUtf8: Invalid UTF-8 stream". With an
invalid Accept header the decoding fails while PostgREST writes its "None of these media types are available"
error (PGRST107, src/PostgREST/Error.hs line 132), and the connection closes without any answer.

None of this project's code runs: the server log shows the transaction's BEGIN and nothing after it, so
auth.check_request (db-pre-request) is never called, and a PostgREST without db-pre-request answers the
same. Valid UTF-8 (multibyte, NUL, other control bytes) reaches the database and is answered normally;
so is any byte in Authorization, which fails JWT decoding first (401).

Each case asserts what PostgREST should answer (no 5xx, an HTTP answer at all) and is a strict xfail: the
day a PostgREST upgrade decodes headers leniently, these turn red, and the fuzz test's header filter
(`ascii_header_values`) can go.
"""

from __future__ import annotations

import http.client
import socket
from urllib.parse import urlsplit

import pytest

from tests.api.conftest import StartPostgrest
from tests.support.protocols import Player

UPSTREAM = (
    "PostgREST 12.0.2 decodes request headers with a throwing UTF-8 decoder (Query/SqlFragment.hs:560, "
    "ApiRequest.hs:221-222): invalid UTF-8 in any header answers 500 before any SQL of ours runs"
)

# Byte sequences that are not UTF-8: a Latin-1 letter (what an HTTP client sends for 'é' in a str header),
# an overlong encoding of '/', and a multibyte sequence cut short.
INVALID_UTF8 = {"latin-1": b"caf\xe9", "overlong": b"\xc0\xaf", "truncated": b"x\xe2\x82"}
# Headers PostgREST parses itself, and headers it only forwards to SQL in request.headers.
HEADERS = [b"Prefer", b"Range", b"Range-Unit", b"Accept-Profile", b"X-Forwarded-For", b"X-Ark-Probe", b"Cookie"]


def answer(base_url: str, method: str, target: str, headers: list[tuple[bytes, bytes]], body: bytes = b"") -> str:
    """Sends the request as raw bytes and returns `STATUS body`; 'no answer' when the server closes first.

    The response is parsed by http.client, which stops at its end: after this 500 Warp keeps the connection
    open even though the request asked to close it, so reading to EOF would wait for the timeout."""
    url = urlsplit(base_url)
    head = f"{method} {target} HTTP/1.1\r\nHost: {url.netloc}\r\nConnection: close\r\n".encode("ascii")
    for name, value in headers:
        head += name + b": " + value + b"\r\n"
    if method == "POST":
        head += b"Content-Type: application/json\r\nContent-Length: " + str(len(body)).encode("ascii") + b"\r\n"
    with socket.create_connection((url.hostname or "127.0.0.1", url.port or 80), timeout=10) as sock:
        sock.sendall(head + b"\r\n" + body)
        response = http.client.HTTPResponse(sock)
        try:
            response.begin()
        except http.client.RemoteDisconnected:
            return "no answer"
        return f"{response.status} {response.read()[:200]!r}"


def assert_answered_below_500(result: str) -> None:
    assert result != "no answer", "the connection closed without an HTTP answer"
    assert not result.startswith("5"), f"answered {result}"


@pytest.mark.xfail(strict=True, raises=AssertionError, reason=UPSTREAM)
@pytest.mark.parametrize("value", INVALID_UTF8.values(), ids=INVALID_UTF8.keys())
@pytest.mark.parametrize("name", HEADERS, ids=[h.decode() for h in HEADERS])
def test_a_header_value_that_is_not_utf8_gets_no_5xx(postgrest: str, name: bytes, value: bytes) -> None:
    assert_answered_below_500(answer(postgrest, "GET", "/agents?select=slug&limit=1", [(name, value)]))


@pytest.mark.xfail(strict=True, raises=AssertionError, reason=UPSTREAM)
def test_a_header_name_that_is_not_utf8_gets_no_5xx(postgrest: str) -> None:
    assert_answered_below_500(answer(postgrest, "GET", "/agents?select=slug&limit=1", [(b"X-Caf\xe9", b"1")]))


@pytest.mark.xfail(strict=True, raises=AssertionError, reason=UPSTREAM)
@pytest.mark.parametrize("name", [b"Prefer", b"X-Forwarded-For"], ids=["Prefer", "X-Forwarded-For"])
def test_a_signed_in_rpc_call_with_a_latin1_header_gets_no_5xx(postgrest: str, player: Player, name: bytes) -> None:
    headers = [(b"Authorization", f"Bearer {player.token}".encode("ascii")), (name, b"caf\xe9")]
    result = answer(postgrest, "POST", "/rpc/enter_room", headers, b'{"room_slug": "no-such-room"}')
    assert_answered_below_500(result)


@pytest.mark.xfail(strict=True, raises=AssertionError, reason=UPSTREAM)
def test_without_db_pre_request_a_latin1_header_still_gets_no_5xx(start_postgrest: StartPostgrest) -> None:
    # Rules out auth.check_request: the same 500 without any pre-request function.
    bare = start_postgrest(PGRST_DB_PRE_REQUEST="")
    assert_answered_below_500(answer(bare, "GET", "/agents?select=slug&limit=1", [(b"Prefer", b"caf\xe9")]))


@pytest.mark.xfail(
    strict=True, raises=AssertionError, reason=UPSTREAM + "; an invalid Accept breaks the PGRST107 body (Error.hs:132)"
)
def test_an_accept_header_that_is_not_utf8_gets_an_answer(postgrest: str) -> None:
    assert_answered_below_500(answer(postgrest, "GET", "/agents?select=slug&limit=1", [(b"Accept", b"caf\xe9")]))
