"""Fixtures for the REST API suite: HTTP clients bound to the real PostgREST and signed-in players."""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Iterator
from typing import Any, Protocol

import httpx
import psycopg
import pytest

from tests.api.expect import ok
from tests.api.worlds import PASSWORD, Register
from tests.conftest import POSTGREST_BIN, POSTGREST_CONF
from tests.support.db import role_url
from tests.support.processes import ManagedProcess, free_port, wait_http
from tests.support.protocols import AnonLogin, ClientFactory, MakeToken, Player, PlayerFactory


@pytest.fixture
def client(postgrest: str) -> Iterator[ClientFactory]:
    """client() is anonymous (web_anon); client(token) sends `Authorization: Bearer token`.

    Every client made in a test is closed when the test ends.
    """
    made: list[httpx.Client] = []

    def make(token: str | None = None, **headers: str) -> httpx.Client:
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        # verify=False: plain HTTP on loopback, and it spares loading the CA bundle for every client.
        made.append(httpx.Client(base_url=postgrest, headers=headers, timeout=10.0, verify=False))
        return made[-1]

    yield make
    for http in made:
        http.close()


_names = itertools.count(1)


@pytest.fixture
def new_player(anon_login: AnonLogin, client: ClientFactory) -> PlayerFactory:
    """new_player() signs a fresh anonymous user in and returns it with an authenticated client."""

    def make(display_name: str | None = None, sprite: str = "brendan") -> Player:
        body = anon_login(display_name or f"Player {next(_names)}", sprite)
        return Player(user_id=str(body["user_id"]), token=body["token"], http=client(body["token"]), login=body)

    return make


@pytest.fixture
def player(new_player: PlayerFactory) -> Player:
    """One signed-in anonymous player for this test."""
    return new_player()


# ---- fixtures added for the endpoint suites (identity, content, presence, chat, OpenAPI, fuzz) --------------


@pytest.fixture
def content_admin(client: ClientFactory, make_token: MakeToken) -> httpx.Client:
    """A client with a content_admin service token (no sub), asking for the written rows back."""
    return client(make_token("content_admin"), Prefer="return=representation")


@pytest.fixture
def agent_service(client: ClientFactory, make_token: MakeToken) -> httpx.Client:
    """A client with an agent_service token, as the AI-agent worker holds."""
    return client(make_token("agent_service"))


class StartPostgrest(Protocol):
    def __call__(self, **env: str) -> str: ...


@pytest.fixture
def start_postgrest(db_url: str, jwt_secret: str, authenticator_password: str) -> Iterator[StartPostgrest]:
    """start_postgrest(**PGRST_*) starts one more PostgREST on the test database and returns its base URL.

    It is configured like the session's `postgrest` fixture (same file, same clean environment); keyword
    arguments add PGRST_* settings. Every process started in a test is stopped when the test ends.
    """
    started: list[ManagedProcess] = []

    def start(**extra: str) -> str:
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "PGRST_DB_URI": role_url(db_url, "authenticator", authenticator_password),
            "PGRST_JWT_SECRET": jwt_secret,
            "PGRST_DB_PRE_REQUEST": "auth.check_request",
            "PGRST_SERVER_HOST": "127.0.0.1",
            "PGRST_SERVER_PORT": str(port),
            "PGRST_OPENAPI_SERVER_PROXY_URI": base_url,
            **extra,
        }
        proc = ManagedProcess("postgrest-extra", [POSTGREST_BIN, POSTGREST_CONF], env=env).start()
        started.append(proc)
        wait_http(f"{base_url}/", proc)
        return base_url

    yield start
    for proc in started:
        proc.stop()
        proc.remove_log()


class MakeRoom(Protocol):
    def __call__(self, width: int = ..., height: int = ..., spawn: tuple[int, int] = ..., radius: int = ...) -> str: ...


@pytest.fixture
def make_room(owner_conn: psycopg.Connection[Any]) -> Iterator[MakeRoom]:
    """make_room() creates a room of this test's own, with one player spawn point, and returns its slug.

    Rooms are made as the owner so presence and proximity tests do not meet players of other tests in
    the town. They are deleted (with their presence rows and chat sessions) when the test ends.
    """
    slugs: list[str] = []

    def make(width: int = 30, height: int = 30, spawn: tuple[int, int] = (5, 5), radius: int = 5) -> str:
        slug = f"test-room-{uuid.uuid4().hex[:12]}"
        owner_conn.execute(
            """
            WITH room AS (
              INSERT INTO app.rooms (slug, name, tilemap_key, width_tiles, height_tiles,
                                     default_spawn_x, default_spawn_y, proximity_radius)
              VALUES (%(slug)s, 'Test room', 'test', %(w)s, %(h)s, %(x)s, %(y)s, %(r)s)
              RETURNING id)
            INSERT INTO app.spawn_points (room_id, slug, x, y, type, direction)
            SELECT id, 'entrance', %(x)s, %(y)s, 'player', 'down' FROM room
            """,
            {"slug": slug, "w": width, "h": height, "x": spawn[0], "y": spawn[1], "r": radius},
        )
        slugs.append(slug)
        return slug

    yield make
    if slugs:
        # A room delete never takes proximity chat with it: the owner purges the test's chats by name.
        owner_conn.execute(
            "DELETE FROM app.chat_sessions WHERE room_id IN (SELECT id FROM app.rooms WHERE slug = ANY(%s))", (slugs,)
        )
        owner_conn.execute("DELETE FROM app.rooms WHERE slug = ANY(%s)", (slugs,))


class PrivateSession(Protocol):
    def __call__(self, a: Player, b: Player) -> str: ...


@pytest.fixture
def private_session(owner_conn: psycopg.Connection[Any]) -> PrivateSession:
    """private_session(a, b) makes the private chat session of a and b as the owner and returns its id.

    The chat tests that are about reading, sending, unread counts or rate limits arrange their session
    this way, so that they test those rules and nothing else; test_private_chat_is_one_session_whoever_starts_it
    covers opening one through /rpc/start_chat.
    """

    def make(a: Player, b: Player) -> str:
        row = owner_conn.execute(
            "INSERT INTO app.chat_sessions (type, user_id, other_user_id) VALUES ('private', %s, %s) RETURNING id",
            (a.user_id, b.user_id),
        ).fetchone()
        assert row is not None
        return str(row[0])

    return make


class Caller(Protocol):
    def __call__(self, who: str) -> httpx.Client: ...


@pytest.fixture
def caller(request: pytest.FixtureRequest, client: ClientFactory, make_token: MakeToken) -> Caller:
    """caller(who) is a client for "anonymous", "player" (this test's `player`), "agent_service" or "content_admin".

    Only the client asked for is made, so tests parametrized over roles pay for one sign-in at most.
    """

    def make(who: str) -> httpx.Client:
        if who == "anonymous":
            return client()
        if who == "player":
            player: Player = request.getfixturevalue("player")
            return player.http
        if who in ("agent_service", "content_admin"):
            return client(make_token(who))
        raise ValueError(f"unknown caller {who!r}")

    return make


@pytest.fixture
def world_slugs(owner_conn: psycopg.Connection[Any]) -> Iterator[list[str]]:
    """Slugs of the worlds a test creates (tests.api.worlds.new_world): deleted, with their rooms and
    memberships, when it ends."""
    slugs: list[str] = []
    yield slugs
    owner_conn.execute("DELETE FROM app.worlds WHERE slug = ANY(%s)", (slugs,))


@pytest.fixture
def registered(new_player: PlayerFactory, client: ClientFactory) -> Register:
    """registered() signs a fresh player in and registers them (only registered players create worlds)."""

    def make() -> Player:
        anonymous = new_player()
        email = f"world-{uuid.uuid4().hex[:16]}@example.org"
        body = ok(anonymous.http.post("/rpc/register", json={"email": email, "password": PASSWORD}))
        return Player(anonymous.user_id, body["token"], client(body["token"], Prefer="return=representation"), body)

    return make
