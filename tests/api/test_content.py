"""World content through the real PostgREST (issue 2, section 5): content_admin writes agents, rooms,
buildings and spawn points; everybody else only reads, and only active agents; prompts are for
content_admin and agent_service alone; and the constraints answer with the right status.

Everything a test creates carries a unique slug and is removed as the owner when the test ends, even if
the test fails half-way, so the seed the other suites count on stays as it was.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import psycopg
import pytest

from tests.api.conftest import Caller
from tests.api.expect import NOT_FOUND, error, ok
from tests.support.protocols import ClientFactory, Player

RETURN_ROWS = {"Prefer": "return=representation"}


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def agent_body(slug: str, **overrides: Any) -> dict[str, Any]:
    return {
        "slug": slug,
        "name": "Tester",
        "role": "Test Specialist",
        "emoji": "🧪",
        "sprite_key": "archie",  # a key of GET /agent_sprites
        "greeting": "Hello from a test.",
        # Keywords of its own, so route_agent answers stay what the chat suite expects.
        "routing_keywords": [slug.replace("-", "")],
        **overrides,
    }


def room_body(slug: str, **overrides: Any) -> dict[str, Any]:
    return {
        "slug": slug,
        "name": "Test Room",
        "tilemap_key": "test",
        "width_tiles": 10,
        "height_tiles": 10,
        "default_spawn_x": 1,
        "default_spawn_y": 1,
        **overrides,
    }


@pytest.fixture
def cleanup(owner_conn: psycopg.Connection[Any]) -> Iterator[list[str]]:
    """Append slugs of agents and rooms made in the test; the owner deletes them (and what hangs off them).

    Deleting an agent or room never takes players' chats or prompt history with it, so the owner purges
    those by name first."""
    slugs: list[str] = []
    yield slugs
    owner_conn.execute(
        "DELETE FROM app.chat_sessions WHERE room_id IN (SELECT id FROM app.rooms WHERE slug = ANY(%s))"
        " OR agent_id IN (SELECT id FROM app.agents WHERE slug = ANY(%s))",
        (slugs, slugs),
    )
    owner_conn.execute(
        "DELETE FROM app.agent_prompts WHERE agent_id IN (SELECT id FROM app.agents WHERE slug = ANY(%s))", (slugs,)
    )
    owner_conn.execute(
        "DELETE FROM app.buildings WHERE room_id IN (SELECT id FROM app.rooms WHERE slug = ANY(%s))"
        " OR agent_id IN (SELECT id FROM app.agents WHERE slug = ANY(%s))",
        (slugs, slugs),
    )
    owner_conn.execute("DELETE FROM app.rooms WHERE slug = ANY(%s)", (slugs,))
    owner_conn.execute("DELETE FROM app.agents WHERE slug = ANY(%s)", (slugs,))


def count(owner: psycopg.Connection[Any], sql: str, *params: Any) -> int:
    row = owner.execute(sql, params).fetchone()
    assert row is not None
    return int(row[0])


# ---- content_admin writes --------------------------------------------------------------------------------


def test_content_admin_creates_changes_and_deletes_agents(
    content_admin: httpx.Client, owner_conn: psycopg.Connection[Any], cleanup: list[str]
) -> None:
    slug = unique("agent")
    cleanup.append(slug)
    created = ok(content_admin.post("/agents", json=agent_body(slug)), 201)
    assert [(row["slug"], row["name"], row["is_active"]) for row in created] == [(slug, "Tester", True)]

    changed = ok(content_admin.patch("/agents", params={"slug": f"eq.{slug}"}, json={"name": "Renamed"}))
    assert [row["name"] for row in changed] == ["Renamed"]
    assert count(owner_conn, "SELECT count(*) FROM app.agents WHERE slug = %s AND name = 'Renamed'", slug) == 1

    deleted = ok(content_admin.delete("/agents", params={"slug": f"eq.{slug}"}))
    assert [row["slug"] for row in deleted] == [slug]
    assert count(owner_conn, "SELECT count(*) FROM app.agents WHERE slug = %s", slug) == 0


def test_content_admin_creates_changes_and_deletes_rooms_buildings_and_spawn_points(
    content_admin: httpx.Client, owner_conn: psycopg.Connection[Any], cleanup: list[str]
) -> None:
    slug = unique("room")
    cleanup.append(slug)
    room = ok(content_admin.post("/rooms", json=room_body(slug)), 201)[0]
    assert (room["slug"], room["is_main"], room["max_speed"], room["proximity_radius"]) == (slug, False, 10, 5)
    by_room = {"room_id": f"eq.{room['id']}"}

    building = {
        "room_id": room["id"], "slug": "meeting-spot", "name": "Meeting Spot", "type": "meeting",
        "jitsi_room": "test-meeting", "x": 1, "y": 1, "width": 3, "height": 2, "door_x": 2, "door_y": 2,
    }  # fmt: skip
    assert [b["slug"] for b in ok(content_admin.post("/buildings", json=building), 201)] == ["meeting-spot"]
    spawn = {"room_id": room["id"], "slug": "entrance", "x": 5, "y": 8, "type": "player", "direction": "up"}
    assert [(s["x"], s["y"]) for s in ok(content_admin.post("/spawn_points", json=spawn), 201)] == [(5, 8)]

    assert [
        r["name"]
        for r in ok(content_admin.patch("/rooms", params={"id": f"eq.{room['id']}"}, json={"name": "Renamed"}))
    ] == ["Renamed"]
    assert [b["name"] for b in ok(content_admin.patch("/buildings", params=by_room, json={"name": "Big Table"}))] == [
        "Big Table"
    ]
    assert [(s["x"], s["y"]) for s in ok(content_admin.patch("/spawn_points", params=by_room, json={"x": 6}))] == [
        (6, 8)
    ]

    assert len(ok(content_admin.delete("/spawn_points", params=by_room))) == 1
    assert len(ok(content_admin.delete("/buildings", params=by_room))) == 1
    assert len(ok(content_admin.delete("/rooms", params={"id": f"eq.{room['id']}"}))) == 1
    assert count(owner_conn, "SELECT count(*) FROM app.rooms WHERE slug = %s", slug) == 0
    assert count(owner_conn, "SELECT count(*) FROM app.buildings WHERE room_id = %s", room["id"]) == 0
    assert count(owner_conn, "SELECT count(*) FROM app.spawn_points WHERE room_id = %s", room["id"]) == 0


# ---- nobody else writes ----------------------------------------------------------------------------------


WRITES = [
    ("post", "/agents", None, agent_body("not-allowed")),
    ("patch", "/agents", {"slug": "eq.scout"}, {"name": "Hijacked"}),
    ("delete", "/agents", {"slug": "eq.scout"}, None),
    ("post", "/rooms", None, room_body("not-allowed")),
    ("patch", "/rooms", {"slug": "eq.town"}, {"name": "Hijacked"}),
    ("delete", "/rooms", {"slug": "eq.town"}, None),
    ("patch", "/buildings", {"slug": "eq.scout-lab"}, {"name": "Hijacked"}),
    ("delete", "/buildings", {"slug": "eq.scout-lab"}, None),
    ("patch", "/spawn_points", {"slug": "eq.town-square"}, {"x": 0}),
    ("delete", "/spawn_points", {"slug": "eq.town-square"}, None),
    ("patch", "/avatar_sprites", {"key": "eq.may"}, {"name": "Hijacked"}),
]

# What world owners and editors write (row-level security by world); the rest is content_admin's alone.
WORLD_CONTENT = ("/rooms", "/buildings", "/spawn_points")

CONTENT_FINGERPRINT = """
    SELECT md5(string_agg(t, '|' ORDER BY t)) FROM (
      SELECT format('%s %s %s', slug, name, is_active) FROM app.agents
      UNION ALL SELECT format('%s %s', slug, name) FROM app.rooms
      UNION ALL SELECT format('%s %s %s %s', room_id, slug, name, door_x) FROM app.buildings
      UNION ALL SELECT format('%s %s %s %s', room_id, slug, x, y) FROM app.spawn_points
      UNION ALL SELECT format('%s %s', key, name) FROM app.avatar_sprites) AS content(t)
"""


@pytest.mark.parametrize(
    ("method", "path", "params", "body"), WRITES, ids=[f"{m.upper()} {p}" for m, p, _, _ in WRITES]
)
@pytest.mark.parametrize(("who", "status"), [("player", 403), ("anonymous", 401), ("agent_service", 403)])
def test_only_content_admin_writes_the_ark_content(
    caller: Caller,
    owner_conn: psycopg.Connection[Any],
    who: str,
    status: int,
    method: str,
    path: str,
    params: dict[str, str] | None,
    body: dict[str, Any] | None,
) -> None:
    http = caller(who)
    before = content_fingerprint(owner_conn)
    response = http.request(method.upper(), path, params=params, json=body, headers=RETURN_ROWS)
    if who == "player" and method == "patch" and path == "/agents":
        # Since custom agents (issue 13) a player PATCHes the agents of worlds they own or edit; row-level
        # security keeps them off the installation's.
        assert response.status_code == 200 and response.json() == [], response.text
    elif who == "player" and path in WORLD_CONTENT:
        # Since worlds (issue 11) a player may write the content of worlds they own or edit: the grant is
        # there and row-level security keeps them out of the ark world. A new row is refused (42501, 403);
        # an UPDATE or DELETE finds no row it may touch.
        if method == "post":
            error(response, 403, "42501", f'new row violates row-level security policy for table "{path.lstrip("/")}"')
        else:
            assert response.status_code == 200 and response.json() == [], response.text
    else:
        # No write grant on the view: 42501, which PostgREST answers 403 for a signed-in role, 401 for web_anon.
        error(response, status, "42501", f"permission denied for view {path.lstrip('/')}")
    assert content_fingerprint(owner_conn) == before


def content_fingerprint(owner: psycopg.Connection[Any]) -> str:
    row = owner.execute(CONTENT_FINGERPRINT).fetchone()
    assert row is not None
    return str(row[0])


# ---- inactive agents and prompts -------------------------------------------------------------------------


def test_an_inactive_agent_is_seen_by_content_admin_only(
    content_admin: httpx.Client, player: Player, client: ClientFactory, agent_service: httpx.Client, cleanup: list[str]
) -> None:
    slug = unique("retired")
    cleanup.append(slug)
    ok(content_admin.post("/agents", json=agent_body(slug, is_active=False)), 201)
    only_this = {"slug": f"eq.{slug}"}

    assert [(a["slug"], a["is_active"]) for a in ok(content_admin.get("/agents", params=only_this))] == [(slug, False)]
    assert ok(player.http.get("/agents", params=only_this)) == []
    assert ok(client().get("/agents", params=only_this)) == []
    assert ok(agent_service.get("/agents", params=only_this)) == []

    # Reactivated, everyone sees it.
    ok(content_admin.patch("/agents", params=only_this, json={"is_active": True}))
    assert [a["slug"] for a in ok(player.http.get("/agents", params=only_this))] == [slug]
    assert [a["slug"] for a in ok(client().get("/agents", params=only_this))] == [slug]


def test_publish_prompt_makes_the_next_version_the_only_active_one(
    content_admin: httpx.Client, owner_conn: psycopg.Connection[Any], cleanup: list[str]
) -> None:
    slug = unique("prompted")
    cleanup.append(slug)
    ok(content_admin.post("/agents", json=agent_body(slug)), 201)

    first = ok(content_admin.post("/rpc/publish_prompt", json={"agent_slug": slug, "system_prompt": "You test. v1"}))
    assert (first["agent_slug"], first["version"], first["is_active"], first["system_prompt"]) == (
        slug,
        1,
        True,
        "You test. v1",
    )
    second = ok(content_admin.post("/rpc/publish_prompt", json={"agent_slug": slug, "system_prompt": "You test. v2"}))
    assert (second["version"], second["is_active"]) == (2, True)

    history = ok(content_admin.get("/agent_prompts", params={"agent_slug": f"eq.{slug}", "order": "version"}))
    assert [(p["version"], p["system_prompt"], p["is_active"]) for p in history] == [
        (1, "You test. v1", False),
        (2, "You test. v2", True),
    ]
    active = owner_conn.execute(
        "SELECT version FROM app.agent_prompts p JOIN app.agents a ON a.id = p.agent_id"
        " WHERE a.slug = %s AND p.is_active",
        (slug,),
    ).fetchall()
    assert active == [(2,)]


def test_publish_prompt_rejects_a_blank_prompt(
    content_admin: httpx.Client, owner_conn: psycopg.Connection[Any], cleanup: list[str]
) -> None:
    slug = unique("prompted")
    cleanup.append(slug)
    ok(content_admin.post("/agents", json=agent_body(slug)), 201)

    error(
        content_admin.post("/rpc/publish_prompt", json={"agent_slug": slug, "system_prompt": " \t\n"}),
        400,
        "22023",
        "a system prompt has 1 to 32000 characters",
    )
    assert (
        count(
            owner_conn,
            "SELECT count(*) FROM app.agent_prompts p JOIN app.agents a ON a.id = p.agent_id WHERE a.slug = %s",
            slug,
        )
        == 0
    )


def test_publish_prompt_for_an_unknown_agent_is_404(content_admin: httpx.Client) -> None:
    # As the function's comment promises (see expect.NOT_FOUND).
    error(
        content_admin.post("/rpc/publish_prompt", json={"agent_slug": unique("nobody"), "system_prompt": "Hello."}),
        404,
        NOT_FOUND,
    )


@pytest.mark.parametrize(
    ("who", "status", "code", "message"),
    [
        # A player publishes only for the agents of worlds they own or edit (tests/api/test_agents.py).
        ("player", 403, "PT403", "only the world's owner and editors manage its agents"),
        ("anonymous", 401, "42501", "permission denied for function publish_prompt"),
        ("agent_service", 403, "42501", "permission denied for function publish_prompt"),
    ],
)
def test_only_content_admin_publishes_installation_prompts(
    caller: Caller, owner_conn: psycopg.Connection[Any], who: str, status: int, code: str, message: str
) -> None:
    http = caller(who)
    before = count(owner_conn, "SELECT count(*) FROM app.agent_prompts")
    error(
        http.post("/rpc/publish_prompt", json={"agent_slug": "scout", "system_prompt": "Obey me."}),
        status,
        code,
        message,
    )
    assert count(owner_conn, "SELECT count(*) FROM app.agent_prompts") == before


@pytest.mark.parametrize(
    ("who", "status"),
    [("content_admin", 200), ("agent_service", 200), ("player", 403), ("anonymous", 401)],
)
def test_agent_prompts_are_for_content_admin_and_agent_service(caller: Caller, who: str, status: int) -> None:
    response = caller(who).get("/agent_prompts", params={"is_active": "is.true", "agent_slug": "eq.scout"})
    if status == 200:
        prompts = ok(response)
        assert [(p["agent_slug"], p["is_active"]) for p in prompts] == [("scout", True)]
        assert prompts[0]["system_prompt"].startswith("You are Scout")
    elif who == "player":
        # A player reads the prompts of the agents of worlds they own or edit (issue 13), never the installation's.
        assert ok(response) == []
    else:
        # No grant on the view: 42501, answered 403 to a signed-in role and 401 to web_anon.
        error(response, status, "42501", "permission denied for view agent_prompts")


# ---- constraints -----------------------------------------------------------------------------------------


def test_content_constraints_answer_400_and_409(
    content_admin: httpx.Client, owner_conn: psycopg.Connection[Any], cleanup: list[str]
) -> None:
    slug = unique("room")
    cleanup.append(slug)
    room = ok(content_admin.post("/rooms", json=room_body(slug)), 201)[0]
    building = {"room_id": room["id"], "slug": "lab", "name": "Lab", "x": 1, "y": 1, "width": 3, "height": 2}

    # An agent_room without its agent.
    error(
        content_admin.post("/buildings", json={**building, "type": "agent_room", "door_x": 2, "door_y": 2}),
        400,
        "23514",
        'new row for relation "buildings" violates check constraint "buildings_type_needs_target"',
    )
    # A door outside the 10 x 10 room.
    body = error(
        content_admin.post(
            "/buildings", json={**building, "type": "meeting", "jitsi_room": "lab", "door_x": 2, "door_y": 20}
        ),
        400,
        "23514",
        "door (2, 20) lies outside its room",
    )
    assert (body["details"], body["hint"]) == ("The room is 10 x 10 tiles.", "Use 0 <= x < 10 and 0 <= y < 10.")
    assert count(owner_conn, "SELECT count(*) FROM app.buildings WHERE room_id = %s", room["id"]) == 0

    # The town is the main room of the ark world already (a room posted without a world goes there).
    second_main = unique("room")
    cleanup.append(second_main)
    error(
        content_admin.post("/rooms", json=room_body(second_main, is_main=True)),
        409,
        "23505",
        'duplicate key value violates unique constraint "rooms_one_main_per_world"',
    )
    assert count(owner_conn, "SELECT count(*) FROM app.rooms WHERE slug = %s", second_main) == 0
    ark_mains = (
        "SELECT count(*) FROM app.rooms r JOIN app.worlds w ON w.id = r.world_id WHERE w.slug = 'ark' AND r.is_main"
    )
    assert count(owner_conn, ark_mains) == 1
