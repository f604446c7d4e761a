"""Fixtures for the bridge suite: real bridge processes, real PostgREST, real `websockets` clients.

Every bridge is `python -m bridge` in a subprocess on a free port, started like `make up` starts it and
ready once GET /health answers 200 (its listener is connected). Tests talk to it only over sockets and
HTTP, arrange data through PostgREST as a player would, and reach behind the API only as the database
owner (to create a room of their own, age a presence row, issue a service token or kill a backend).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import socket
import sys
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import httpx
import psycopg
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tests.support.processes import ManagedProcess, free_port, wait_http
from tests.support.protocols import AnonLogin

# How long a test waits for a frame it expects before it fails.
TIMEOUT = 5.0


@dataclass
class BridgeProcess:
    proc: ManagedProcess
    port: int
    env: dict[str, str]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    def log(self) -> str:
        return self.proc.log_path.read_text(errors="replace")

    def health(self) -> httpx.Response:
        return httpx.get(f"{self.base_url}/health", timeout=5.0)

    def stop(self) -> None:
        self.proc.stop()

    def start_again(self) -> None:
        """Start a new process with the same settings and port, e.g. after stop()."""
        self.proc = ManagedProcess("bridge", self.proc.args, env=self.env)
        self.proc.start()
        wait_http(f"{self.base_url}/health", self.proc)


class StartBridge(Protocol):
    def __call__(self, **settings: str) -> BridgeProcess: ...


def _bridge_env(bridge_db_url: str, jwt_secret: str, port: int, settings: dict[str, str]) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "BRIDGE_DATABASE_URL": bridge_db_url,
        "JWT_SECRET": jwt_secret,
        "BRIDGE_HOST": "127.0.0.1",
        "BRIDGE_PORT": str(port),
        # Short enough to wait for in a test; each test that depends on one says so.
        "BRIDGE_GRACE_SECONDS": "1",
        "BRIDGE_SWEEP_SECONDS": "0.5",
        "BRIDGE_AUTH_TIMEOUT": "1",
    }
    env.update(settings)
    return env


def _launch(bridge_db_url: str, jwt_secret: str, settings: dict[str, str]) -> BridgeProcess:
    port = free_port()
    env = _bridge_env(bridge_db_url, jwt_secret, port, settings)
    proc = ManagedProcess("bridge", [sys.executable, "-m", "bridge"], env=env).start()
    wait_http(f"http://127.0.0.1:{port}/health", proc)
    return BridgeProcess(proc=proc, port=port, env=env)


@pytest.fixture(scope="session")
def bridge(request: pytest.FixtureRequest, bridge_db_url: str, jwt_secret: str) -> Iterator[BridgeProcess]:
    """One bridge shared by the tests that need nothing special (grace 1 s, sweep every 0.5 s)."""
    started = _launch(bridge_db_url, jwt_secret, {})
    yield started
    started.stop()
    if request.session.testsfailed:
        print(f"\nbridge log kept at {started.proc.log_path}")
    else:
        started.proc.remove_log()


@pytest.fixture
def start_bridge(request: pytest.FixtureRequest, bridge_db_url: str, jwt_secret: str) -> Iterator[StartBridge]:
    """start_bridge(BRIDGE_SEND_QUEUE="8", …) starts a bridge of this test's own; stopped after it."""
    started: list[BridgeProcess] = []

    def start(**settings: str) -> BridgeProcess:
        started.append(_launch(bridge_db_url, jwt_secret, settings))
        return started[-1]

    yield start
    failed = request.node.stash.get(_failed_key, False)
    for process in started:
        process.stop()
        if failed:
            print(f"\nbridge log kept at {process.proc.log_path}")
        else:
            process.proc.remove_log()


_failed_key = pytest.StashKey[bool]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "restarts_postgres: restarts the PostgreSQL server; runs after every other test")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that restart PostgreSQL go last: the session's owner connection does not survive them."""
    items.sort(key=lambda item: item.get_closest_marker("restarts_postgres") is not None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.failed:
        item.stash[_failed_key] = True
    return report


# Sockets


class Socket:
    """A real websockets client that reads JSON frames and remembers every frame it read."""

    def __init__(self, ws: ClientConnection, name: str) -> None:
        self.ws = ws
        self.name = name
        self.frames: list[dict[str, Any]] = []

    async def send(self, frame: dict[str, Any] | str | bytes) -> None:
        await self.ws.send(json.dumps(frame) if isinstance(frame, dict) else frame)

    async def recv(self, timeout: float = TIMEOUT) -> dict[str, Any]:
        text = await asyncio.wait_for(self.ws.recv(), timeout)
        frame: dict[str, Any] = json.loads(text)
        self.frames.append(frame)
        return frame

    async def expect(
        self, kind: str, timeout: float = TIMEOUT, where: Callable[[dict[str, Any]], bool] | None = None, **fields: Any
    ) -> dict[str, Any]:
        """Read until a frame of this type (with these field values) arrives; fail after timeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        start = len(self.frames)
        while True:
            remaining = deadline - loop.time()
            try:
                if remaining <= 0:
                    raise TimeoutError
                frame = await self.recv(remaining)
            except TimeoutError:
                seen = json.dumps(self.frames[start:], indent=1)[:3000]
                raise AssertionError(
                    f"{self.name}: no {kind} {fields or ''} within {timeout} s; read: {seen}"
                ) from None
            if frame.get("type") == kind and all(frame.get(k) == v for k, v in fields.items()):
                if where is None or where(frame):
                    return frame

    async def drain(self, quiet: float = 0.2) -> list[dict[str, Any]]:
        """Read until nothing arrives for `quiet` seconds; returns what was read."""
        read: list[dict[str, Any]] = []
        while True:
            try:
                read.append(await self.recv(quiet))
            except TimeoutError:
                return read

    async def ping(self) -> None:
        """A round trip through the bridge: proves the connection still serves."""
        await self.send({"type": "ping"})
        await self.expect("pong")

    async def closed_with(self, timeout: float = TIMEOUT) -> int | None:
        """Read (and drop) frames until the server closes the socket; returns the close code."""
        try:
            async with asyncio.timeout(timeout):
                while True:
                    await self.ws.recv()
        except ConnectionClosed as exc:
            return exc.rcvd.code if exc.rcvd is not None else None
        except TimeoutError:
            raise AssertionError(f"{self.name}: still open after {timeout} s") from None

    async def close(self) -> None:
        await self.ws.close()


class Connect(Protocol):
    async def __call__(
        self,
        bridge: BridgeProcess,
        token: str | None,
        *,
        name: str = ...,
        welcome: bool = ...,
        **options: Any,
    ) -> Socket: ...


@pytest.fixture
async def open_socket() -> AsyncIterator[Connect]:
    """await open_socket(bridge, token) connects with ?token= and reads the welcome frame."""
    opened: list[Socket] = []

    async def open_one(
        bridge: BridgeProcess, token: str | None, *, name: str = "client", welcome: bool = True, **options: Any
    ) -> Socket:
        url = bridge.ws_url if token is None else f"{bridge.ws_url}?token={token}"
        options.setdefault("open_timeout", TIMEOUT)
        options.setdefault("close_timeout", 1)
        options.setdefault("compression", None)
        ws = await connect(url, **options)
        sock = Socket(ws, name)
        opened.append(sock)
        if welcome:
            await sock.expect("welcome")
        return sock

    yield open_one
    for sock in opened:
        await sock.ws.close()


def small_buffer_socket(port: int, receive_buffer: int = 4096) -> socket.socket:
    """A connected TCP socket with a tiny receive buffer: the kernel soon stops accepting more."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    sock.connect(("127.0.0.1", port))
    return sock


# Players, rooms, tokens


@dataclass(frozen=True)
class Player:
    user_id: str
    token: str
    name: str
    http: httpx.AsyncClient

    async def rpc(self, function: str, **args: Any) -> httpx.Response:
        return await self.http.post(f"/rpc/{function}", json=args)


class NewPlayer(Protocol):
    def __call__(self, name: str | None = None) -> Player: ...


_names = itertools.count(1)


@pytest.fixture
async def new_player(anon_login: AnonLogin, postgrest: str) -> AsyncIterator[NewPlayer]:
    """new_player() signs a fresh anonymous user in through PostgREST."""
    made: list[httpx.AsyncClient] = []

    def make(name: str | None = None) -> Player:
        display_name = name or f"Walker {next(_names)}"
        body = anon_login(display_name)
        http = httpx.AsyncClient(base_url=postgrest, headers={"Authorization": f"Bearer {body['token']}"}, timeout=10.0)
        made.append(http)
        return Player(user_id=str(body["user_id"]), token=body["token"], name=display_name, http=http)

    yield make
    for http in made:
        await http.aclose()


@pytest.fixture
def new_room(owner_conn: psycopg.Connection[Any]) -> Callable[[], str]:
    """new_room() creates an empty 40 x 30 room (spawn at 5,5; max speed 10) and returns its slug.

    Each test walks in rooms of its own, so the other tests' players never show up in its frames.
    """

    def make() -> str:
        slug = f"bt-{uuid.uuid4().hex[:12]}"
        owner_conn.execute(
            "INSERT INTO app.rooms (slug, name, tilemap_key, width_tiles, height_tiles,"
            " default_spawn_x, default_spawn_y) VALUES (%s, 'Bridge test room', 'town', 40, 30, 5, 5)",
            (slug,),
        )
        return slug

    return make


@pytest.fixture(scope="session")
def agent_token(owner_conn: psycopg.Connection[Any]) -> str:
    """An agent_service token, issued the way `make up` issues one (auth.issue_service_token, owner only)."""
    row = owner_conn.execute("SELECT auth.issue_service_token('agent_service', interval '1 hour')").fetchone()
    assert row is not None
    token: str = row[0]
    return token


def listener_pids(owner_conn: psycopg.Connection[Any]) -> set[int]:
    rows = owner_conn.execute(
        "SELECT pid FROM pg_stat_activity WHERE application_name = 'ark-bridge-listener'"
        " AND datname = current_database()"
    ).fetchall()
    return {int(pid) for (pid,) in rows}


def with_cursor(frame: dict[str, Any]) -> dict[str, Any]:
    """The frame without its chat cursor, which must be a stream position (an integer >= 0)."""
    rest = dict(frame)
    cursor = rest.pop("cursor")
    assert isinstance(cursor, int) and not isinstance(cursor, bool) and cursor >= 0, f"bad cursor in {frame}"
    return rest


async def wait_until(check: Callable[[], bool], timeout: float = TIMEOUT, what: str = "condition") -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            raise AssertionError(f"{what} did not hold within {timeout} s")
        await asyncio.sleep(0.05)
