"""Presence through the bridge (hub.py): joining, moving, leaving, REST parity, invalid moves, grace, the sweep."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import psycopg
import pytest

from tests.bridge.conftest import BridgeProcess, Connect, NewPlayer, Player, Socket


async def join(sock: Socket, room: str) -> dict[str, Any]:
    await sock.send({"type": "join", "room": room})
    return await sock.expect("presence_state", room=room)


def mentions(frame: dict[str, Any], user_id: str) -> bool:
    """Whether a presence frame is about this user."""
    if frame.get("user_id") == user_id or (frame.get("player") or {}).get("user_id") == user_id:
        return True
    return any(move.get("user_id") == user_id for move in frame.get("moves") or [])


def player_in(state: dict[str, Any], user_id: str) -> dict[str, Any] | None:
    return next((p for p in state["players"] if p["user_id"] == user_id), None)


async def ada_and_bob_in(
    room: str, bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer
) -> tuple[Player, Player, Socket, Socket]:
    """Two new players, Ada and Bob, each with a socket joined to room (Ada first)."""
    ada, bob = new_player("Ada"), new_player("Bob")
    a = await open_socket(bridge, ada.token, name="ada")
    b = await open_socket(bridge, bob.token, name="bob")
    await join(a, room)
    await join(b, room)
    return ada, bob, a, b


async def test_two_players_see_each_other_join_move_and_leave(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer
) -> None:
    # The town, as in the issue; other tests' players may be there too, so frames are matched by user.
    ada, bob = new_player("Ada"), new_player("Bob")
    a = await open_socket(bridge, ada.token, name="ada")
    b = await open_socket(bridge, bob.token, name="bob")

    state_a = await join(a, "town")
    assert player_in(state_a, ada.user_id) is not None
    state_b = await join(b, "town")
    assert player_in(state_b, ada.user_id) is not None, "Bob's presence_state lists Ada"
    start = player_in(state_b, bob.user_id)
    assert start is not None

    joined = await a.expect("player_joined", room="town", where=lambda f: f["player"]["user_id"] == bob.user_id)
    assert joined["player"]["display_name"] == "Bob"
    assert set(joined["player"]) == {"user_id", "display_name", "avatar_sprite", "x", "y", "direction", "status"}

    step = {"x": start["x"] + 1, "y": start["y"], "direction": "right"}
    await b.send({"type": "move", **step})
    moves = await a.expect("moves", room="town", where=lambda f: mentions(f, bob.user_id))
    assert [m for m in moves["moves"] if m["user_id"] == bob.user_id] == [{"user_id": bob.user_id, **step}]

    # Bob gets others' moves, never his own: Ada's step arrives and nothing of Bob's came before it.
    ada_start = player_in(state_b, ada.user_id)
    assert ada_start is not None
    await a.send({"type": "move", "x": ada_start["x"], "y": ada_start["y"], "direction": "up"})
    await b.expect("moves", where=lambda f: mentions(f, ada.user_id))
    assert not [f for f in b.frames if f["type"] == "moves" and mentions(f, bob.user_id)]

    await b.send({"type": "leave"})
    await a.expect("player_left", room="town", user_id=bob.user_id)
    await b.expect("player_left", room="town", user_id=bob.user_id)  # the leaver's acknowledgement


async def test_player_in_other_room_sees_nothing(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer, new_room: Callable[[], str]
) -> None:
    here, elsewhere = new_room(), new_room()
    ada, bob, cy, dee = new_player("Ada"), new_player("Bob"), new_player("Cy"), new_player("Dee")
    a = await open_socket(bridge, ada.token, name="ada")
    b = await open_socket(bridge, bob.token, name="bob")
    c = await open_socket(bridge, cy.token, name="cy")
    await join(c, elsewhere)

    await join(a, here)
    await join(b, here)
    await a.expect("player_joined", where=lambda f: f["player"]["user_id"] == bob.user_id)
    await b.send({"type": "move", "x": 6, "y": 5, "direction": "right"})
    await a.expect("moves", where=lambda f: mentions(f, bob.user_id))
    await b.send({"type": "status", "status": "busy"})
    await a.expect("player_status", user_id=bob.user_id, status="busy")
    await b.send({"type": "leave"})
    await a.expect("player_left", user_id=bob.user_id)

    # Events of one room arrive in order; Dee entering Cy's room comes after all of the above.
    d = await open_socket(bridge, dee.token, name="dee")
    await join(d, elsewhere)
    await c.expect("player_joined", where=lambda f: f["player"]["user_id"] == dee.user_id)
    assert all(f.get("room") == elsewhere for f in c.frames if "room" in f)
    assert not [f for f in c.frames if mentions(f, ada.user_id) or mentions(f, bob.user_id)]


async def test_move_through_rest_is_relayed_like_a_move_frame(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer, new_room: Callable[[], str]
) -> None:
    room = new_room()
    ada, bob, cy = new_player("Ada"), new_player("Bob"), new_player("Cy")
    a = await open_socket(bridge, ada.token, name="ada")
    c = await open_socket(bridge, cy.token, name="cy")
    await join(a, room)
    await join(c, room)

    # Bob has no socket at all: he enters and moves over REST.
    response = await bob.rpc("enter_room", room_slug=room)
    assert response.status_code == 200, response.text
    await a.expect("player_joined", where=lambda f: f["player"]["user_id"] == bob.user_id)
    response = await bob.rpc("move", x=6, y=5, direction="right")
    assert response.status_code == 200, response.text
    by_rest = await a.expect("moves", where=lambda f: mentions(f, bob.user_id))

    # The same kind of step as a move frame from Cy.
    await c.send({"type": "move", "x": 5, "y": 6, "direction": "down"})
    by_socket = await a.expect("moves", where=lambda f: mentions(f, cy.user_id))

    assert by_rest == {
        "type": "moves",
        "world": "ark",
        "room": room,
        "moves": [{"user_id": bob.user_id, "x": 6, "y": 5, "direction": "right"}],
    }
    assert by_socket == {
        "type": "moves",
        "world": "ark",
        "room": room,
        "moves": [{"user_id": cy.user_id, "x": 5, "y": 6, "direction": "down"}],
    }

    response = await bob.rpc("leave_room")
    assert response.status_code == 200, response.text
    await a.expect("player_left", user_id=bob.user_id)


@pytest.mark.parametrize(
    ("reason", "move"),
    [
        ("not_in_room", None),
        ("bad_position", {"x": 5.5, "y": 5, "direction": "left"}),
        ("bad_position", {"x": "6", "y": 5, "direction": "left"}),
        ("bad_direction", {"x": 6, "y": 5, "direction": "north"}),
        ("outside_room", {"x": -1, "y": 5, "direction": "left"}),
        ("outside_room", {"x": 5, "y": 30, "direction": "down"}),
        ("too_fast", {"x": 30, "y": 5, "direction": "right"}),
    ],
)
async def test_each_invalid_move_is_rejected_and_others_see_nothing(
    bridge: BridgeProcess,
    open_socket: Connect,
    new_player: NewPlayer,
    new_room: Callable[[], str],
    reason: str,
    move: dict[str, Any] | None,
) -> None:
    room = new_room()
    ada, bob = new_player("Ada"), new_player("Bob")
    a = await open_socket(bridge, ada.token, name="ada")
    b = await open_socket(bridge, bob.token, name="bob")
    await join(a, room)

    if move is None:
        # A move before joining any room.
        await b.send({"type": "move", "x": 6, "y": 5, "direction": "right"})
        error = await b.expect("error")
        await join(b, room)
    else:
        await join(b, room)
        await b.send({"type": "move", **move})
        error = await b.expect("error")
    assert error["code"] == "invalid_move"
    assert error["reason"] == reason
    assert error["message"]

    # A valid step afterwards: the first and only move of Bob's that Ada sees.
    await b.send({"type": "move", "x": 5, "y": 4, "direction": "up"})
    seen = await a.expect("moves", where=lambda f: mentions(f, bob.user_id))
    assert seen["moves"] == [{"user_id": bob.user_id, "x": 5, "y": 4, "direction": "up"}]
    assert len([f for f in a.frames if f["type"] == "moves"]) == 1
    assert not [f for f in a.frames if f["type"] == "error"]


async def test_reconnect_within_grace_period_causes_no_flicker(
    start_bridge: Any, open_socket: Connect, new_player: NewPlayer, new_room: Callable[[], str]
) -> None:
    bridge: BridgeProcess = start_bridge(BRIDGE_GRACE_SECONDS="1.5")
    room = new_room()
    ada, bob, a, b = await ada_and_bob_in(room, bridge, open_socket, new_player)
    await b.send({"type": "move", "x": 6, "y": 5, "direction": "right"})
    await a.expect("moves", where=lambda f: mentions(f, bob.user_id))

    await b.close()
    b2 = await open_socket(bridge, bob.token, name="bob again")
    state = await join(b2, room)
    assert player_in(state, bob.user_id) == {
        "user_id": bob.user_id,
        "display_name": "Bob",
        "avatar_sprite": "brendan",
        "x": 6,
        "y": 5,
        "direction": "right",
        "status": "online",
        "meeting": None,
    }, "the reconnect continues where Bob stood"

    # Outlive the first socket's grace period, then prove the room still flows.
    await asyncio.sleep(2.0)
    await b2.send({"type": "move", "x": 7, "y": 5, "direction": "right"})
    await a.expect("moves", where=lambda f: mentions(f, bob.user_id))
    flicker = [f for f in a.frames if f["type"] in {"player_left", "player_joined"} and mentions(f, bob.user_id)]
    assert [f["type"] for f in flicker] == ["player_joined"], "Bob's first join only: no leave, no second join"


async def test_player_left_after_grace_period_and_position_saved(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer, new_room: Callable[[], str]
) -> None:
    room = new_room()
    ada, bob, a, b = await ada_and_bob_in(room, bridge, open_socket, new_player)
    await b.send({"type": "move", "x": 5, "y": 6, "direction": "down"})
    await a.expect("moves", where=lambda f: mentions(f, bob.user_id))

    loop = asyncio.get_running_loop()
    closed_at = loop.time()
    await b.close()
    await a.expect("player_left", user_id=bob.user_id, room=room, timeout=4.0)
    assert loop.time() - closed_at >= 0.9, "not before the 1 s grace period ended"

    b2 = await open_socket(bridge, bob.token, name="bob later")
    state = await join(b2, room)
    assert player_in(state, bob.user_id) is not None
    assert (player_in(state, bob.user_id) or {}).get("y") == 6, "the saved position"
    await a.expect("player_joined", where=lambda f: f["player"]["user_id"] == bob.user_id)


async def test_stale_sweep_marks_player_away_then_offline_without_an_owner(
    bridge: BridgeProcess,
    open_socket: Connect,
    new_player: NewPlayer,
    new_room: Callable[[], str],
    owner_conn: psycopg.Connection[Any],
) -> None:
    room = new_room()
    ada, ghost = new_player("Ada"), new_player("Ghost")
    a = await open_socket(bridge, ada.token, name="ada")
    await join(a, room)
    # The ghost entered over REST: no bridge owns it and nobody touches it.
    response = await ghost.rpc("enter_room", room_slug=room)
    assert response.status_code == 200, response.text
    await a.expect("player_joined", where=lambda f: f["player"]["user_id"] == ghost.user_id)

    def age(seconds: int) -> None:
        owner_conn.execute(
            "UPDATE app.player_presence SET last_update = now() - make_interval(secs => %s) WHERE user_id = %s",
            (seconds, ghost.user_id),
        )

    age(90)  # past the 60 s away threshold
    await a.expect("player_status", user_id=ghost.user_id, status="away", timeout=3.0)
    age(200)  # past the 120 s offline threshold
    await a.expect("player_left", user_id=ghost.user_id, timeout=3.0)
    # Ada has a socket, so her bridge keeps her fresh: she is neither away nor gone.
    assert not [f for f in a.frames if f["type"] in {"player_status", "player_left"} and mentions(f, ada.user_id)]


async def test_status_change_reaches_the_room(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer, new_room: Callable[[], str]
) -> None:
    room = new_room()
    ada, bob = new_player("Ada"), new_player("Bob")
    a = await open_socket(bridge, ada.token, name="ada")
    b = await open_socket(bridge, bob.token, name="bob")
    await b.send({"type": "status", "status": "busy"})
    assert (await b.expect("error"))["code"] == "not_joined"
    await join(a, room)
    await join(b, room)
    await b.send({"type": "status", "status": "away"})
    await a.expect("player_status", user_id=bob.user_id, status="away", room=room)
    await b.send({"type": "status", "status": "offline"})
    assert (await b.expect("error"))["code"] == "invalid_field"


async def test_joining_an_unknown_room_is_an_error_and_keeps_the_current_room(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer, new_room: Callable[[], str]
) -> None:
    room = new_room()
    ada, bob, a, b = await ada_and_bob_in(room, bridge, open_socket, new_player)
    await b.send({"type": "join", "room": "no-such-room"})
    assert (await b.expect("error"))["code"] == "unknown_room"
    await b.send({"type": "join", "room": ""})
    assert (await b.expect("error"))["code"] == "invalid_field"
    await a.send({"type": "move", "x": 6, "y": 5, "direction": "right"})
    await b.expect("moves", where=lambda f: mentions(f, ada.user_id), room=room)


async def test_changing_rooms_announces_leaving_the_old_one(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer, new_room: Callable[[], str]
) -> None:
    first, second = new_room(), new_room()
    ada, bob, cy = new_player("Ada"), new_player("Bob"), new_player("Cy")
    a = await open_socket(bridge, ada.token, name="ada")
    b = await open_socket(bridge, bob.token, name="bob")
    c = await open_socket(bridge, cy.token, name="cy")
    await join(a, first)
    await join(c, second)
    await join(b, first)
    await join(b, second)
    await a.expect("player_left", user_id=bob.user_id, room=first)
    await c.expect("player_joined", room=second, where=lambda f: f["player"]["user_id"] == bob.user_id)
    # Bob now hears the second room only.
    await a.send({"type": "move", "x": 6, "y": 5, "direction": "right"})
    await c.send({"type": "move", "x": 6, "y": 5, "direction": "right"})
    await b.expect("moves", where=lambda f: mentions(f, cy.user_id), room=second)
    await asyncio.sleep(0.2)
    await b.drain(0.1)
    assert not [f for f in b.frames if f.get("room") == first and f["type"] == "moves"]


async def test_closing_one_of_two_tabs_keeps_the_player_present(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer, new_room: Callable[[], str]
) -> None:
    room = new_room()
    ada, bob = new_player("Ada"), new_player("Bob")
    a = await open_socket(bridge, ada.token, name="ada")
    await join(a, room)
    tab1 = await open_socket(bridge, bob.token, name="bob tab 1")
    tab2 = await open_socket(bridge, bob.token, name="bob tab 2")
    await join(tab1, room)
    await join(tab2, room)  # the last join owns the presence
    await tab2.close()

    await asyncio.sleep(1.5)  # past the 1 s grace period of the closed tab
    await tab1.send({"type": "move", "x": 6, "y": 5, "direction": "right"})
    await a.expect("moves", where=lambda f: mentions(f, bob.user_id))
    assert not [f for f in a.frames if f["type"] == "player_left"], "Bob is still here through his first tab"
    await tab1.close()
    await a.expect("player_left", user_id=bob.user_id, timeout=4.0)


async def test_reconnect_to_another_bridge_within_grace_period_causes_no_flicker(
    start_bridge: Any, open_socket: Connect, new_player: NewPlayer, new_room: Callable[[], str]
) -> None:
    # What a client sees when its bridge restarts: it reconnects, to whichever bridge, and rejoins.
    one: BridgeProcess = start_bridge(BRIDGE_GRACE_SECONDS="1.5")
    two: BridgeProcess = start_bridge(BRIDGE_GRACE_SECONDS="1.5")
    room = new_room()
    ada, bob = new_player("Ada"), new_player("Bob")
    a = await open_socket(two, ada.token, name="ada")
    await join(a, room)
    b = await open_socket(one, bob.token, name="bob on bridge 1")
    await join(b, room)
    await a.expect("player_joined", where=lambda f: f["player"]["user_id"] == bob.user_id)
    await b.close()
    b2 = await open_socket(two, bob.token, name="bob on bridge 2")
    await join(b2, room)

    await asyncio.sleep(2.0)  # past bridge 1's grace period for Bob's first socket
    await b2.send({"type": "move", "x": 6, "y": 5, "direction": "right"})
    await a.expect("moves", where=lambda f: mentions(f, bob.user_id))
    flicker = [
        f["type"] for f in a.frames if f["type"] in {"player_left", "player_joined"} and mentions(f, bob.user_id)
    ]
    assert flicker == ["player_joined"], "Bob's first join only"
