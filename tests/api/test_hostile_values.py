"""Every api function, called with hostile text in every text parameter, answers well-formed HTTP (issue 9, section 1).

PostgREST 12 writes the message of a PTxyz error into the HTTP status line. Messages such as
`unknown room 'x'` repeated the client's value, so `{"room_slug": "x\\r\\nSet-Cookie: pwned=1"}` wrote a
header into the response, and a bare `\\n` made clients hang. These tests talk to the real PostgREST over
a raw socket, because an HTTP library would parse (or choke on) exactly what is under test: each answer
must have a status line with the standard reason phrase of its status, header lines that are printable
ASCII `name: value` pairs and none the client chose, a JSON body, and never a 5xx. The functions are
enumerated from PostgREST's OpenAPI document, which must list every function of schema api, so a new
function is covered without editing this file.
"""

from __future__ import annotations

import json
import re
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
import psycopg
import pytest

from tests.api.conftest import Caller, MakeRoom
from tests.api.expect import ok
from tests.support.protocols import Player

# Every text parameter gets each of these. The 10 KB values also carry CR LF pairs, so a value that is cut
# to some length before it reaches a status line still carries them.
HOSTILE = {
    "crlf-header": "x\r\nSet-Cookie: pwned=1\r\n\r\n<html>injected</html>",
    "bare-lf": "x\ny",
    "lone-lf": "\n",
    "bare-cr": "x\ry",
    "nul": "x\u0000y",
    "non-ascii": "Zo\u00eb \u6f22\u5b57 \U0001f642 \u202egpj.exe \u0085\u2028\u00ff",
    "10kb-ascii": "a" * 10240,
    "10kb-crlf": "x\r\n" * 3414,
    "10kb-non-ascii": "\u00e9\u2028" * 5120,
}

# The reason phrases a standard HTTP/1.1 server may send for each status (RFC 9110, and the older names of
# RFC 7231 that Haskell's http-types still uses).
REASONS = {
    200: {"OK"},
    204: {"No Content"},
    400: {"Bad Request"},
    401: {"Unauthorized"},
    403: {"Forbidden"},
    404: {"Not Found"},
    405: {"Method Not Allowed"},
    406: {"Not Acceptable"},
    409: {"Conflict"},
    413: {"Content Too Large", "Request Entity Too Large", "Payload Too Large"},
    415: {"Unsupported Media Type"},
    422: {"Unprocessable Content", "Unprocessable Entity"},
    429: {"Too Many Requests"},
}
STATUS_LINE = re.compile(rb"HTTP/1\.([01]) ([0-9]{3}) ([^\r\n]*)")
# Warp, PostgREST's HTTP server, refuses a request head of more than about 50 KB itself, before PostgREST
# sees the request, with a plain-text "HTTP/1.0 400 Bad Request". A 10 KB non-ASCII value in a query string
# is 60 KB once percent-encoded. That answer is well-formed HTTP, so it is accepted for such heads only.
OVERSIZED_HEAD = 40_000
HEADER_LINE = re.compile(rb"([!#$%&'*+\-.^_`|~0-9A-Za-z]+): ?([\x20-\x7e]*)")
CALLERS = ["anonymous", "player", "agent_service", "content_admin"]


@dataclass(frozen=True, slots=True)
class RawResponse:
    version: str
    status: int
    reason: str
    request_head: int
    headers: list[tuple[str, str]]
    body: bytes


def raw_request(base_url: str, method: str, target: str, headers: dict[str, str], body: bytes) -> RawResponse:
    """One HTTP/1.1 request over a fresh socket; the answer is read to EOF and checked byte by byte."""
    __tracebackhide__ = True
    url = urlsplit(base_url)
    lines = [f"{method} {target} HTTP/1.1", f"Host: {url.netloc}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    request = ("\r\n".join(lines) + "\r\n\r\n").encode("ascii") + body
    with socket.create_connection((url.hostname or "127.0.0.1", url.port or 80), timeout=15) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    raw = b"".join(chunks)
    head, separator, payload = raw.partition(b"\r\n\r\n")
    assert separator, f"no end of the header section in {raw[:300]!r}"
    # Every line ends in CR LF: a lone CR or LF in the head is a line a client may split differently.
    assert re.search(rb"\r(?!\n)|(?<!\r)\n", head) is None, f"a lone CR or LF in the response head: {head!r}"
    status_line, *header_lines = head.split(b"\r\n")
    matched = STATUS_LINE.fullmatch(status_line)
    assert matched is not None, f"malformed status line {status_line!r}"
    version, status, reason = matched[1].decode("ascii"), int(matched[2]), matched[3].decode("ascii")
    parsed: list[tuple[str, str]] = []
    for line in header_lines:
        header = HEADER_LINE.fullmatch(line)
        assert header is not None, f"malformed header line {line!r} (status line {status_line!r})"
        parsed.append((header[1].decode("ascii").lower(), header[2].decode("ascii")))
    names = dict(parsed)
    if names.get("transfer-encoding") == "chunked":
        payload = dechunk(payload)
    elif "content-length" in names:
        assert len(payload) == int(names["content-length"]), (names, payload[:200])
    return RawResponse(version, status, reason, len(request) - len(body), parsed, payload)


def dechunk(data: bytes) -> bytes:
    out = bytearray()
    while True:
        size_line, separator, rest = data.partition(b"\r\n")
        assert separator, f"truncated chunked body {data[:100]!r}"
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            return bytes(out)
        out += rest[:size]
        assert rest[size : size + 2] == b"\r\n", f"malformed chunk {rest[:100]!r}"
        data = rest[size + 2 :]


@dataclass(frozen=True, slots=True)
class Rpc:
    name: str
    params: dict[str, str]  # name -> OpenAPI format (text, uuid, integer, bigint, ...)
    required: frozenset[str]


@pytest.fixture(scope="module")
def rpcs(postgrest: str) -> list[Rpc]:
    document = httpx.get(f"{postgrest}/", timeout=10).json()
    found = []
    for path, item in document["paths"].items():
        if not path.startswith("/rpc/"):
            continue
        (body,) = [p for p in item["post"]["parameters"] if p.get("in") == "body"]
        schema = body["schema"]
        props = {name: prop.get("format", prop.get("type", "")) for name, prop in schema.get("properties", {}).items()}
        found.append(Rpc(path.removeprefix("/rpc/"), props, frozenset(schema.get("required", []))))
    return sorted(found, key=lambda r: r.name)


def test_the_openapi_document_lists_every_api_function(rpcs: list[Rpc], owner_conn: psycopg.Connection[Any]) -> None:
    # The sweep below is only as complete as its list of functions.
    in_db = {
        row[0] for row in owner_conn.execute("SELECT proname FROM pg_proc WHERE pronamespace = 'api'::regnamespace")
    }
    assert {r.name for r in rpcs} == in_db
    assert sum("text" in r.params.values() for r in rpcs) >= 10, [r.name for r in rpcs]


def plain_value(fmt: str) -> Any:
    """A well-formed value for a parameter that is not under test."""
    if fmt == "uuid":
        return str(uuid.uuid4())
    if fmt in ("integer", "bigint", "smallint"):
        return 1
    if fmt in ("jsonb", "json"):
        return {}
    return "town"


def calls(rpcs: list[Rpc]) -> Iterator[tuple[Rpc, str, str, dict[str, Any]]]:
    for rpc in rpcs:
        for param in (name for name, fmt in rpc.params.items() if fmt in ("text", "character varying", "citext")):
            for label, value in HOSTILE.items():
                args = {name: plain_value(fmt) for name, fmt in rpc.params.items() if name in rpc.required}
                args[param] = value
                yield rpc, param, label, args


@pytest.fixture
def token_of(caller: Caller, player: Player, make_room: MakeRoom) -> dict[str, str | None]:
    """The bearer token of each caller; the player stands in a room, so room-bound functions get to their checks."""
    ok(player.http.post("/rpc/enter_room", json={"room_slug": make_room()}))
    tokens: dict[str, str | None] = {}
    for who in CALLERS:
        auth = caller(who).headers.get("Authorization")
        tokens[who] = auth.removeprefix("Bearer ") if auth else None
    return tokens


def problems_of(response: RawResponse, value: str) -> list[str]:
    names = dict(response.headers)
    if response.version == "0":
        if (response.status, response.request_head > OVERSIZED_HEAD) == (400, True) and names.get(
            "content-type", ""
        ).startswith("text/plain"):
            return []  # warp's own refusal of an oversized request head (see OVERSIZED_HEAD)
        return [f"an HTTP/1.0 answer {response.status} to a {response.request_head}-byte request head"]
    problems = []
    if response.status >= 500:
        problems.append(f"HTTP {response.status}")
    if response.reason not in REASONS.get(response.status, set()):
        problems.append(f"status line {response.status} {response.reason!r} is not the standard reason phrase")
    if "set-cookie" in names:
        problems.append("a Set-Cookie header")
    try:
        body = json.loads(response.body) if response.body else None
    except ValueError:
        return [*problems, f"a body that is not JSON: {response.body[:200]!r}"]
    if response.status >= 400:
        if not (isinstance(body, dict) and set(body) == {"code", "message", "details", "hint"}):
            problems.append(f"an error body that is not {{code, message, details, hint}}: {body!r}"[:300])
        elif len(value) > 1 and value in str(body["message"]):
            problems.append(f"the client's value in the message: {body['message']!r}"[:300])
    return problems


@pytest.mark.parametrize("who", CALLERS)
@pytest.mark.parametrize("method", ["POST", "GET"])
def test_hostile_text_in_every_parameter_gets_well_formed_http(
    who: str, method: str, rpcs: list[Rpc], postgrest: str, token_of: dict[str, str | None]
) -> None:
    token = token_of[who]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    failures: list[str] = []
    count = 0
    for rpc, param, label, args in calls(rpcs):
        if method == "POST":
            body = json.dumps(args).encode()
            response = raw_request(
                postgrest, "POST", f"/rpc/{rpc.name}", {**headers, "Content-Type": "application/json"}, body
            )
        else:
            query = "&".join(f"{quote(k, safe='')}={quote(str(v), safe='')}" for k, v in args.items())
            response = raw_request(postgrest, "GET", f"/rpc/{rpc.name}?{query}", headers, b"")
        count += 1
        failures += [f"{method} /rpc/{rpc.name} {param}={label}: {p}" for p in problems_of(response, args[param])]
    assert count >= 90, count
    assert not failures, "\n".join(failures[:40]) + f"\n({len(failures)} problems in {count} requests)"
