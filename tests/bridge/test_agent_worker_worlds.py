"""examples/agent_worker.py answers the agents of every world with their active prompt (issue 13): a world's
owner imports a Character Card V2, a player of that world chats with the agent over the real bridge, and the
worker answers with the imported prompt; a prompt published while the worker runs is used for the next reply,
with no restart."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import psycopg
import pytest

from tests.api.agents import drop_worlds, load_card
from tests.bridge.conftest import Connect, NewPlayer, StartBridge, wait_until
from tests.bridge.test_agent_worker import RunWorker, run_worker  # noqa: F401  (the fixture)
from tests.bridge.test_chat import send
from tests.bridge.worlds import insert_world


@pytest.fixture
def agent_worlds(owner_conn: psycopg.Connection[Any]) -> Iterator[list[str]]:
    slugs: list[str] = []
    yield slugs
    drop_worlds(owner_conn, slugs)


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


async def test_the_worker_answers_an_imported_agent_with_its_active_prompt(
    start_bridge: StartBridge,
    open_socket: Connect,
    new_player: NewPlayer,
    run_worker: RunWorker,  # noqa: F811
    owner_conn: psycopg.Connection[Any],
    agent_worlds: list[str],
) -> None:
    owner, player = new_player("Owner"), new_player("Pat")
    world_id, world = insert_world(owner_conn, owner.user_id, "private", "aw")
    agent_worlds.append(world)
    owner_conn.execute(
        "INSERT INTO app.world_members (world_id, user_id, role) VALUES (%s, %s, 'member')", (world_id, player.user_id)
    )
    card = load_card("starship_ai")
    agent = ok(await owner.rpc("import_character_card", world_slug=world, card=card, slug="oracle"))

    bridge = start_bridge()
    sock = await open_socket(bridge, player.token, name="pat")
    session = ok(await player.rpc("start_chat", agent_slug="oracle", world_slug=world))
    assert session["agent_id"] == agent["id"]
    await sock.expect("chat_message", where=lambda f: f["message"]["session_id"] == session["id"])  # the greeting
    run_worker(bridge)
    await wait_until(lambda: bridge.health().json()["clients"] == 2, timeout=10.0, what="the worker connecting")

    asked = await send(player, session["id"], "how is the oxygen?")
    first = await sock.expect(
        "chat_message",
        timeout=15.0,
        where=lambda f: f["message"]["sender_type"] == "agent" and f["message"]["id"] > asked["id"],
    )
    assert first["message"]["sender_name"] == "ORACLE-7"
    assert "[prompt v1: ORACLE-7 is the ship intelligence of the survey vessel" in first["message"]["content"]

    # A new prompt, published while the worker runs: the next reply uses it.
    marker = f"marker-{uuid.uuid4().hex[:8]}"
    ok(
        await owner.rpc(
            "publish_prompt",
            agent_slug="oracle",
            world_slug=world,
            system_prompt=f"You are ORACLE-7. {marker}",
            note="shorter",
        )
    )
    again = await send(player, session["id"], "and now?")
    second = await sock.expect(
        "chat_message",
        timeout=15.0,
        where=lambda f: f["message"]["sender_type"] == "agent" and f["message"]["id"] > again["id"],
    )
    assert f"[prompt v2: You are ORACLE-7. {marker}]" in second["message"]["content"]

    # A rollback is used at once too.
    ok(await owner.rpc("activate_prompt", agent_slug="oracle", world_slug=world, version=1))
    third_q = await send(player, session["id"], "and after the rollback?")
    third = await sock.expect(
        "chat_message",
        timeout=15.0,
        where=lambda f: f["message"]["sender_type"] == "agent" and f["message"]["id"] > third_q["id"],
    )
    assert "[prompt v1: ORACLE-7 is the ship intelligence" in third["message"]["content"]
