"""Fixtures for the REST API suite: HTTP clients bound to the real PostgREST and signed-in players."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import httpx
import pytest

from tests.support.protocols import AnonLogin, ClientFactory, Player, PlayerFactory


@pytest.fixture
def client(postgrest: str) -> Iterator[ClientFactory]:
    """client() is anonymous (web_anon); client(token) sends `Authorization: Bearer token`.

    Every client made in a test is closed when the test ends.
    """
    made: list[httpx.Client] = []

    def make(token: str | None = None, **headers: str) -> httpx.Client:
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        made.append(httpx.Client(base_url=postgrest, headers=headers, timeout=10.0))
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
