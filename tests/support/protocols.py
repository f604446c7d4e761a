"""Types of the callable fixtures, for annotating tests: `def test_x(make_token: MakeToken) -> None`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

import httpx


class MakeToken(Protocol):
    def __call__(
        self,
        role: str,
        sub: object | None = None,
        exp_delta: timedelta = ...,
        *,
        key: str | None = None,
        **claims: Any,
    ) -> str: ...


class AnonLogin(Protocol):
    def __call__(self, display_name: str = ..., sprite: str = ...) -> dict[str, Any]: ...


class ClientFactory(Protocol):
    def __call__(self, token: str | None = None, **headers: str) -> httpx.Client: ...


@dataclass(frozen=True, slots=True)
class Player:
    """A signed-in user: its id, its token, a client that sends the token, and the full login answer."""

    user_id: str
    token: str
    http: httpx.Client
    login: dict[str, Any]


class PlayerFactory(Protocol):
    def __call__(self, display_name: str | None = None, sprite: str = ...) -> Player: ...
