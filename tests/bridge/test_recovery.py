"""Issue 8, section 4 (presence): after the database comes back, every socket in every room is right again.

* Every `bridge` backend killed at once (what a PostgreSQL restart does to a bridge): the pooled
  connections are dead too, and every socket in every room still gets a fresh presence_state.
* The PostgreSQL server itself restarted (the throwaway cluster of `make test` only).
* An outage longer than the sweep's thresholds: connected players were swept offline; once the bridge
  reaches the database again they are back in their rooms, where they stood, and may move on.

The restart test runs last in the session (see conftest.pytest_collection_modifyitems): the owner's
session connection of the other tests does not survive it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import psycopg
import pytest

from tests.bridge.conftest import BridgeProcess, Connect, NewPlayer, Player, Socket, StartBridge
from tests.bridge.test_hub import join, mentions, player_in


def kill_bridge_backends(owner_conn: psycopg.Connection[Any]) -> int:
    """pg_terminate_backend on every connection of every bridge (application_name ark-bridge*)."""
    rows = owner_conn.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE application_name LIKE 'ark-bridge%' AND datname = current_database()"
    ).fetchall()
    assert rows and all(ok for (ok,) in rows), rows
    return len(rows)


async def players_in_rooms(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer, rooms: list[str], per_room: int
) -> list[tuple[str, Player, Socket]]:
    placed = []
    for room in rooms:
        for i in range(per_room):
            player = new_player(f"Walker {i}")
            sock = await open_socket(bridge, player.token, name=f"{player.name} in {room}")
            await join(sock, room)
            placed.append((room, player, sock))
    return placed


async def assert_everyone_resynced(placed: list[tuple[str, Player, Socket]], timeout: float = 10.0) -> None:
    for room, player, sock in placed:
        state = await sock.expect("presence_state", room=room, timeout=timeout)
        expected = {p.user_id for r, p, _ in placed if r == room}
        assert {p["user_id"] for p in state["players"]} == expected, f"{sock.name}: {state}"
        assert player_in(state, player.user_id) is not None


async def test_every_bridge_backend_killed_every_socket_in_every_room_gets_a_fresh_state(
    start_bridge: StartBridge,
    open_socket: Connect,
    new_player: NewPlayer,
    new_room: Callable[[], str],
    owner_conn: psycopg.Connection[Any],
) -> None:
    bridge = start_bridge(BRIDGE_POOL_SIZE="4")
    rooms = [new_room() for _ in range(4)]
    placed = await players_in_rooms(bridge, open_socket, new_player, rooms, per_room=2)
    # Make the pool hold several connections, so that several of them die.
    for _, _, sock in placed:
        await sock.send({"type": "status", "status": "busy"})
    for _, _, sock in placed:
        await sock.drain(0.1)
    killed = kill_bridge_backends(owner_conn)
    assert killed >= 2, "the listener and at least one pooled connection"
    await assert_everyone_resynced(placed)
    # And the room works again.
    (_, mover, sock), (_, _, watcher) = placed[0], placed[1]
    await sock.send({"type": "move", "x": 6, "y": 5, "direction": "right"})
    await watcher.expect("moves", where=lambda f: mentions(f, mover.user_id))
    log = bridge.log()
    assert f"resync: sent presence_state to {len(rooms)} of {len(rooms)} rooms" in log, log[-3000:]


async def test_players_swept_during_an_outage_are_back_in_their_rooms_when_it_ends(
    start_bridge: StartBridge,
    open_socket: Connect,
    new_player: NewPlayer,
    new_room: Callable[[], str],
    owner_conn: psycopg.Connection[Any],
) -> None:
    # The heartbeat is off, so the aged rows below stay aged: what a long outage leaves behind.
    bridge = start_bridge(BRIDGE_TOUCH_SECONDS="3600")
    room = new_room()
    placed = await players_in_rooms(bridge, open_socket, new_player, [room], per_room=2)
    (_, ada, a), (_, bob, b) = placed
    await b.send({"type": "move", "x": 6, "y": 5, "direction": "right"})
    await a.expect("moves", where=lambda f: mentions(f, bob.user_id))
    owner_conn.execute(
        "UPDATE app.player_presence SET last_update = now() - interval '200 seconds' WHERE user_id = ANY(%s::uuid[])",
        ([ada.user_id, bob.user_id],),
    )
    # The sweep (every 0.5 s) takes both offline, in user_id order.
    swept: set[str] = set()
    while swept != {ada.user_id, bob.user_id}:
        swept.add((await a.expect("player_left", timeout=5.0))["user_id"])

    kill_bridge_backends(owner_conn)  # the database "comes back": the bridge reconnects
    state = await b.expect("presence_state", room=room, timeout=10.0)
    assert player_in(state, bob.user_id) == {
        "user_id": bob.user_id,
        "display_name": bob.name,
        "avatar_sprite": "brendan",
        "x": 6,
        "y": 5,
        "direction": "right",
        "status": "online",
        "meeting": None,
    }, "Bob is back where he stood"
    assert player_in(state, ada.user_id) is not None
    await b.send({"type": "move", "x": 7, "y": 5, "direction": "right"})
    await a.expect("moves", where=lambda f: mentions(f, bob.user_id) and f["moves"][-1]["x"] == 7, timeout=5.0)
    assert not [f for f in b.frames if f["type"] == "error"], "no not_in_room"


@pytest.mark.restarts_postgres
async def test_a_postgresql_restart_every_socket_gets_a_fresh_state_and_moves_flow(
    start_bridge: StartBridge,
    open_socket: Connect,
    new_player: NewPlayer,
    new_room: Callable[[], str],
    restart_postgres: Callable[[], None],
) -> None:
    bridge = start_bridge()
    rooms = [new_room() for _ in range(2)]
    placed = await players_in_rooms(bridge, open_socket, new_player, rooms, per_room=2)
    await asyncio.to_thread(restart_postgres)
    await assert_everyone_resynced(placed, timeout=20.0)
    (_, mover, sock), (_, _, watcher) = placed[0], placed[1]
    await sock.send({"type": "move", "x": 6, "y": 5, "direction": "right"})
    await watcher.expect("moves", where=lambda f: mentions(f, mover.user_id), timeout=10.0)
