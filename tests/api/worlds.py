"""What the world tests through PostgREST share (tests/api/test_worlds.py, test_world_attack.py): a
registered player (only they create worlds), a world made through create_world, and an invitation
accepted. The fixtures registered and world_slugs live in tests/api/conftest.py."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from tests.api.expect import ok
from tests.support.protocols import Player

PASSWORD = "correct horse battery staple"
Register = Callable[[], Player]


WORLD_NAME = "Test world"


def new_world(owner: Player, slugs: list[str], visibility: str) -> dict[str, Any]:
    """A world of owner's named WORLD_NAME, made through POST /rpc/create_world; its slug is added to slugs
    (deleted at the test's end by the world_slugs fixture)."""
    slug = f"w-{uuid.uuid4().hex[:12]}"
    slugs.append(slug)
    created = ok(
        owner.http.post("/rpc/create_world", json={"slug": slug, "name": WORLD_NAME, "visibility": visibility})
    )
    assert created == {"world_id": created["world_id"], "slug": slug, "main_room_slug": "lobby"}
    return dict(created)


def invite_and_accept(owner: Player, guest: Player, slug: str, role: str) -> None:
    token = ok(owner.http.post("/rpc/invite", json={"world_slug": slug, "role": role}))["token"]
    ok(guest.http.post("/rpc/accept_invitation", json={"token": token}))
