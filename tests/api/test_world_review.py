"""Worlds under review (issue 11), through a real PostgREST: what an outsider can learn of a private world
from embedded resources and count headers, and hostile values of the wrong JSON type in PATCH /worlds."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from tests.api.worlds import Register, new_world
from tests.support.protocols import Player, PlayerFactory

NUL = "\u0000"


def world_rows(outsider: Player, world_id: str) -> list[str]:
    """Every way the probe knows to reach a world's rows, and what each answered."""
    leaks: list[str] = []
    probes: list[tuple[str, dict[str, str]]] = [
        ("/rooms", {"world_id": f"eq.{world_id}"}),
        ("/rooms", {"select": "*,worlds(*)"}),
        ("/buildings", {"world_id": f"eq.{world_id}"}),
        ("/spawn_points", {"world_id": f"eq.{world_id}"}),
        ("/spawn_points", {"select": "*,rooms(*)"}),
        ("/presence", {"world_id": f"eq.{world_id}"}),
        ("/presence", {"select": "*,rooms(*)"}),
        ("/worlds", {"id": f"eq.{world_id}"}),
        ("/worlds", {"select": "*,rooms(*)"}),
        ("/world_members", {"world_id": f"eq.{world_id}"}),
        ("/world_invitations", {"world_id": f"eq.{world_id}"}),
        ("/world_bans", {"world_id": f"eq.{world_id}"}),
    ]
    for path, params in probes:
        for prefer in ("count=exact", "count=planned", "count=estimated"):
            answer = outsider.http.get(path, params=params, headers={"Prefer": prefer})
            if answer.status_code >= 500:
                leaks.append(f"{path} {params} {prefer}: {answer.status_code}")
                continue
            if answer.status_code != 200:
                continue
            if world_id in answer.text:
                leaks.append(f"{path} {params} {prefer}: the body names the world")
            if (
                "world_id" in params
                and "count=exact" == prefer
                and not answer.headers.get("content-range", "").endswith("/0")
            ):
                leaks.append(f"{path} {params}: Content-Range {answer.headers.get('content-range')}")
    return leaks


def test_an_outsider_reaches_no_row_of_a_private_world_by_filter_embedding_or_count(
    registered: Register, new_player: PlayerFactory, world_slugs: list[str]
) -> None:
    owner = registered()
    world = new_world(owner, world_slugs, "private")
    entered = owner.http.post("/rpc/enter_room", json={"room_slug": "lobby", "world_slug": world["slug"]})
    assert entered.status_code == 200, entered.text
    outsider = new_player()
    assert world_rows(outsider, world["world_id"]) == []


# Refused: a NUL byte, a huge string, a bidi override, a null. JSON scalars and containers of another type
# (7, 1.5, true, ["a"], {"a": 1}) PostgREST turns into their text before SQL sees them (json_populate_record):
# SQL cannot tell 7 from "7", so those must only never answer 5xx nor leave a half-made change.
REFUSED: list[Any] = [NUL, "a" + NUL, "x" * 100_000, "a\u202eb", "\u2067x", None]
COERCED: list[Any] = [["a"], {"a": 1}, True, 1.5]


@pytest.mark.parametrize("field", ["name", "description", "slug", "visibility"])
def test_patch_worlds_refuses_hostile_values_with_4xx_and_never_5xx(
    registered: Register, owner_conn: psycopg.Connection[Any], world_slugs: list[str], field: str
) -> None:
    owner = registered()
    world = new_world(owner, world_slugs, "private")
    query = "SELECT slug, name, description, visibility FROM app.worlds WHERE id = %s"
    before = owner_conn.execute(query, (world["world_id"],)).fetchone()
    problems: list[str] = []
    for value in REFUSED + COERCED:
        answer = owner.http.patch(
            "/worlds",
            params={"id": f"eq.{world['world_id']}"},
            json={field: value},
            headers={"Prefer": "return=minimal"},
        )
        label = f"{field}={str(value)[:20]!r}"
        if answer.status_code >= 500:
            problems.append(f"{label}: {answer.status_code} {answer.text[:160]}")
        elif value in REFUSED and answer.status_code < 400:
            problems.append(f"{label}: accepted ({answer.status_code})")
        elif len(answer.reason_phrase or "") > 100 or NUL in (answer.reason_phrase or ""):
            problems.append(f"{label}: status line {answer.reason_phrase[:60]!r}")
        if value in REFUSED:
            assert owner_conn.execute(query, (world["world_id"],)).fetchone() == before, label
    # A coerced slug (true) renamed the world: the fixture deletes it under the name it has now.
    row = owner_conn.execute("SELECT slug FROM app.worlds WHERE id = %s", (world["world_id"],)).fetchone()
    assert row is not None
    world_slugs.append(row[0])
    assert problems == []
