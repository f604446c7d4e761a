"""Issue 9, section 2: content edits never destroy players' data.

Deleting an agent used to cascade into every player's chat with it and into its prompt history; deleting a
room into proximity chat and presence rows, without a player_left. Now the foreign keys are RESTRICT, an
agent or room with history answers 409 (with a hint, the slug only in details), and a room that can go
makes the players inside leave with the usual player_left frame first. Tested as content_admin through
PostgREST.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import psycopg
import pytest

from tests.api.conftest import MakeRoom
from tests.api.expect import ok
from tests.api.test_content import agent_body, count, unique
from tests.support.protocols import Player, PlayerFactory


@pytest.fixture
def agents(owner_conn: psycopg.Connection[Any]) -> Iterator[list[str]]:
    """Slugs of agents made in the test; the owner purges them, their chats and prompts by name."""
    slugs: list[str] = []
    yield slugs
    owner_conn.execute(
        "DELETE FROM app.chat_sessions WHERE agent_id IN (SELECT id FROM app.agents WHERE slug = ANY(%s))", (slugs,)
    )
    owner_conn.execute(
        "DELETE FROM app.agent_prompts WHERE agent_id IN (SELECT id FROM app.agents WHERE slug = ANY(%s))", (slugs,)
    )
    owner_conn.execute("DELETE FROM app.agents WHERE slug = ANY(%s)", (slugs,))


def assert_conflict(response: httpx.Response, message: str, details: dict[str, str]) -> None:
    assert response.status_code == 409, response.text
    assert response.reason_phrase == "Conflict"
    body = response.json()
    assert body["code"] == "PT409"
    assert body["message"] == message
    assert json.loads(body["details"]) == details
    assert body["hint"]


def test_an_agent_with_players_chats_cannot_be_deleted_and_the_chats_stay(
    content_admin: httpx.Client, player: Player, owner_conn: psycopg.Connection[Any], agents: list[str]
) -> None:
    slug = unique("agent")
    agents.append(slug)
    ok(content_admin.post("/agents", json=agent_body(slug)), 201)
    session = ok(player.http.post("/rpc/start_chat", json={"agent_slug": slug}))
    before = count(owner_conn, "SELECT count(*) FROM app.chat_messages WHERE session_id = %s", session["id"])
    assert before >= 1

    assert_conflict(
        content_admin.delete("/agents", params={"slug": f"eq.{slug}"}),
        "this agent has players' chats or prompt history and cannot be deleted",
        {"agent": slug},
    )
    assert count(owner_conn, "SELECT count(*) FROM app.agents WHERE slug = %s", slug) == 1
    assert count(owner_conn, "SELECT count(*) FROM app.chat_messages WHERE session_id = %s", session["id"]) == before
    # Deactivating is the way to take it away from players.
    ok(content_admin.patch("/agents", params={"slug": f"eq.{slug}"}, json={"is_active": False}))


def test_an_agent_with_prompt_history_cannot_be_deleted(
    content_admin: httpx.Client, owner_conn: psycopg.Connection[Any], agents: list[str]
) -> None:
    slug = unique("agent")
    agents.append(slug)
    ok(content_admin.post("/agents", json=agent_body(slug)), 201)
    ok(content_admin.post("/rpc/publish_prompt", json={"agent_slug": slug, "system_prompt": "You test."}))
    assert_conflict(
        content_admin.delete("/agents", params={"slug": f"eq.{slug}"}),
        "this agent has players' chats or prompt history and cannot be deleted",
        {"agent": slug},
    )
    assert (
        count(
            owner_conn,
            "SELECT count(*) FROM app.agent_prompts p JOIN app.agents a ON a.id = p.agent_id WHERE a.slug = %s",
            slug,
        )
        == 1
    )


def test_a_delete_of_several_agents_is_all_or_nothing(
    content_admin: httpx.Client, player: Player, owner_conn: psycopg.Connection[Any], agents: list[str]
) -> None:
    fresh, used = unique("agent"), unique("agent")
    agents.extend([fresh, used])
    for slug in (fresh, used):
        ok(content_admin.post("/agents", json=agent_body(slug)), 201)
    ok(player.http.post("/rpc/start_chat", json={"agent_slug": used}))
    response = content_admin.delete("/agents", params={"slug": f"in.({fresh},{used})"})
    assert response.status_code == 409, response.text
    assert count(owner_conn, "SELECT count(*) FROM app.agents WHERE slug = ANY(%s)", [fresh, used]) == 2


def test_an_agent_without_history_can_still_be_deleted(content_admin: httpx.Client, agents: list[str]) -> None:
    slug = unique("agent")
    agents.append(slug)
    ok(content_admin.post("/agents", json=agent_body(slug)), 201)
    assert [row["slug"] for row in ok(content_admin.delete("/agents", params={"slug": f"eq.{slug}"}))] == [slug]


def test_deleting_a_room_sends_player_left_to_those_inside(
    content_admin: httpx.Client,
    new_player: PlayerFactory,
    make_room: MakeRoom,
    db_url: str,
    owner_conn: psycopg.Connection[Any],
) -> None:
    room = make_room()
    ada, bob = new_player("Ada"), new_player("Bob")
    for p in (ada, bob):
        ok(p.http.post("/rpc/enter_room", json={"room_slug": room}))
    ok(bob.http.post("/rpc/leave_room"))  # an offline presence row in the room too

    with psycopg.connect(db_url, autocommit=True) as listener:
        listener.execute("LISTEN presence")
        deleted = ok(content_admin.delete("/rooms", params={"slug": f"eq.{room}"}))
        assert [row["slug"] for row in deleted] == [room]
        frames = [json.loads(n.payload) for n in listener.notifies(timeout=2.0, stop_after=1)]
    assert {"type": "player_left", "world": "ark", "room": room, "user_id": ada.user_id} in frames
    assert (
        count(
            owner_conn,
            "SELECT count(*) FROM app.player_presence WHERE user_id = ANY(%s::uuid[])",
            [ada.user_id, bob.user_id],
        )
        == 0
    )


def test_a_room_with_proximity_chat_history_cannot_be_deleted(
    content_admin: httpx.Client, player: Player, make_room: MakeRoom, owner_conn: psycopg.Connection[Any]
) -> None:
    room = make_room()
    ok(player.http.post("/rpc/enter_room", json={"room_slug": room}))
    ok(player.http.post("/rpc/say_nearby", json={"content": "anyone here?"}))
    assert_conflict(
        content_admin.delete("/rooms", params={"slug": f"eq.{room}"}),
        "this room has players' chat history and cannot be deleted",
        {"room": room},
    )
    # Nothing of the refused delete happened: the player is still inside.
    assert (
        count(
            owner_conn,
            "SELECT count(*) FROM app.player_presence p JOIN app.rooms r ON r.id = p.room_id"
            " WHERE r.slug = %s AND p.status <> 'offline'",
            room,
        )
        == 1
    )
