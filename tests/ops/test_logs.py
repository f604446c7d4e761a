"""Secrets stay out of logs (issue 9 section 7, issue 10 section 2).

- The PostgreSQL server log of make test's cluster never shows a password or a request body: a login
  whose password holds an escape PostgreSQL cannot store (\\u0000, a lone surrogate) used to be quoted
  in the CONTEXT line of the error, and a registration and a login with a known password must leave
  no trace either.
- The bridge's log never shows a token, whatever the query string of the handshake looks like: a name
  written with percent escapes (?tok%65n=) and %2E for the dots was logged in clear.
"""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import psycopg
import pytest
from websockets.asyncio.client import connect

from tests.seed import rng_for
from tests.support.processes import ManagedProcess, free_port, wait_http
from tests.support.protocols import AnonLogin


def server_log(owner_conn: psycopg.Connection[Any]) -> Path:
    data = Path(owner_conn.execute("SHOW data_directory").fetchone()[0])  # type: ignore[index]
    log = data.parent / "run" / "postgres.log"
    if not (data.parent / "owner.pid").is_file() or not log.is_file():
        pytest.skip("SKIPPED LOUDLY: not make test's throwaway cluster, so its server log cannot be read here")
    return log


def test_passwords_and_request_bodies_never_reach_the_server_log(
    owner_conn: psycopg.Connection[Any], postgrest: str, anon_login: AnonLogin
) -> None:
    rng = rng_for("logs.bodies")
    log = server_log(owner_conn)
    start = log.stat().st_size
    secret = f"Pw-{rng.getrandbits(64):016x}"
    email = f"logs-{uuid.UUID(int=rng.getrandbits(128))}@example.test"
    http = httpx.Client(base_url=postgrest, timeout=10.0)
    headers = {"Content-Type": "application/json"}
    # Bodies PostgreSQL cannot turn into text: each used to be quoted in the server log.
    templates = [
        '{"email":"EMAIL","password":"SECRET-a\\u0000tail"}',
        '{"email":"EMAIL","password":"SECRET-b\\ud800"}',
        '{"email":"EMAIL\\u0000","password":"SECRET-c"}',
        '{"email":"EMAIL","password":"SECRET-d\\u0000","extra":"\\x"}',
        '{"email":"EMAIL","password":"SECRET-e',
    ]
    bodies = [t.replace("EMAIL", email).replace("SECRET", secret) for t in templates]
    for body in bodies:
        response = http.post("/rpc/login", content=body.encode(), headers=headers)
        assert 400 <= response.status_code < 500, (body, response.status_code, response.text)
    # A real registration and login with a known password, and a wrong one.
    player = anon_login()
    auth = {"Authorization": f"Bearer {player['token']}"}
    registered = http.post("/rpc/register", json={"email": email, "password": secret + "-ok"}, headers=auth)
    assert registered.status_code == 200, registered.text
    assert http.post("/rpc/login", json={"email": email, "password": secret + "-ok"}).status_code == 200
    assert http.post("/rpc/login", json={"email": email, "password": secret + "-wrong"}).status_code >= 400
    http.close()
    # Whatever the server logged meanwhile has reached the file once this round trip is done.
    owner_conn.execute("SELECT pg_catalog.pg_sleep(0.2)")
    written = log.read_bytes()[start:].decode(errors="replace")
    assert "unsupported Unicode escape sequence" in written, "the errors were logged (this reads the right file)"
    assert secret not in written, f"a password reached the server log:\n{written[-3000:]}"
    assert email not in written, f"a request body reached the server log:\n{written[-3000:]}"
    for field in ("JSON data", "CONTEXT:", "DETAIL:", "STATEMENT:"):
        assert field not in written, f"{field} in the server log:\n{written[-3000:]}"


def test_the_server_logs_nothing_but_terse_errors_for_the_api_roles(owner_conn: psycopg.Connection[Any]) -> None:
    """Where the deploying role may set them, the login roles pin the settings on any server."""
    if not owner_conn.execute("SELECT has_parameter_privilege('log_statement', 'SET')").fetchone()[0]:  # type: ignore[index]
        pytest.skip("SKIPPED LOUDLY: the owner may not set log_statement, so roles_log_settings only warned")
    query = """SELECT o.rolname, s.setconfig FROM pg_db_role_setting s JOIN pg_roles o ON o.oid = s.setrole
                WHERE o.rolname IN ('authenticator', 'bridge') AND s.setdatabase = 0"""
    settings = {name: set(config) for name, config in owner_conn.execute(query).fetchall()}
    expected = {
        "log_statement=none",
        "log_min_duration_statement=-1",
        "log_min_error_statement=panic",
        "log_error_verbosity=terse",
        "log_parameter_max_length=0",
        "log_parameter_max_length_on_error=0",
    }
    assert settings.keys() == {"authenticator", "bridge"}, settings
    for name, config in settings.items():
        assert expected <= config, (name, config)


def encodings(token: str) -> list[str]:
    """Query strings that the bridge reads as ?token=<token>, in the shapes that fooled the redaction."""
    dots = token.replace(".", "%2E")
    every = quote(token, safe="").replace(".", "%2E").replace("e", "%65")
    return [
        f"tok%65n={dots}",
        f"%74oken={token}",
        f"a=1&tok%65n={dots}&b=2",
        f"token={dots}",
        f"x=%20&%74%6F%6B%65%6E={every}",
    ]


def test_the_bridge_log_redacts_a_token_however_the_query_string_spells_it(
    bridge_db_url: str, jwt_secret: str, anon_login: AnonLogin
) -> None:
    token = anon_login()["token"]
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "BRIDGE_DATABASE_URL": bridge_db_url,
        "JWT_SECRET": jwt_secret,
        "BRIDGE_HOST": "127.0.0.1",
        "BRIDGE_PORT": str(port),
    }
    proc = ManagedProcess("bridge", [sys.executable, "-m", "bridge"], env=env).start()
    try:
        wait_http(f"http://127.0.0.1:{port}/health", proc)

        async def handshakes() -> None:
            for query in encodings(token):
                async with connect(f"ws://127.0.0.1:{port}/ws?{query}") as ws:
                    # The bridge accepted the token: it decoded the name and the value as given.
                    welcome = await asyncio.wait_for(ws.recv(), 5)
                    assert '"welcome"' in str(welcome), welcome

        asyncio.run(handshakes())
    finally:
        proc.stop()
    log = proc.log_path.read_text(errors="replace")
    try:
        assert log.count("[redacted]") >= len(encodings(token)), log
        header, payload, signature = token.split(".")
        for piece in (payload, signature, payload[5:30], signature[5:30]):
            assert piece not in log, f"a piece of the token is in the bridge log:\n{log}"
    finally:
        proc.remove_log()
