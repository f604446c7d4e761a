"""Presence over REST (issue 3): /rpc/enter_room, /rpc/move, /rpc/leave_room and GET /presence, for
clients without a socket. The rules are the SQL ones the WebSocket path uses too.

Players are fresh for each test, so a player's own entry in the town is theirs alone; every test leaves
the room at the end so no test player lingers in the town.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.api.expect import NOT_FOUND, error, ok
from tests.support.protocols import Player, PlayerFactory

# The town's player spawn point in the seed: town-square at (20, 16), facing down. The town is 40 x 30.
TOWN_SPAWN = (20, 16, "down")


@pytest.fixture
def walker(new_player: PlayerFactory) -> Iterator[Player]:
    """A fresh player who leaves whatever room they are in when the test ends."""
    who = new_player("Walker")
    yield who
    who.http.post("/rpc/leave_room")


def me_in(state: dict[str, Any], player: Player) -> dict[str, Any]:
    mine: list[dict[str, Any]] = [p for p in state["players"] if p["user_id"] == player.user_id]
    assert len(mine) == 1, state
    return mine[0]


def presence_of(player: Player) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = ok(player.http.get("/presence", params={"user_id": f"eq.{player.user_id}"}))
    return rows


def test_enter_room_puts_you_at_the_spawn_point(walker: Player) -> None:
    state = ok(walker.http.post("/rpc/enter_room", json={"room_slug": "town"}))
    assert (state["type"], state["room"]) == ("presence_state", "town")
    assert me_in(state, walker) == {
        "user_id": walker.user_id,
        "display_name": "Walker",
        "avatar_sprite": "brendan",
        "x": TOWN_SPAWN[0],
        "y": TOWN_SPAWN[1],
        "direction": TOWN_SPAWN[2],
        "status": "online",
        "meeting": None,
    }
    for other in state["players"]:
        assert set(other) == {"user_id", "display_name", "avatar_sprite", "x", "y", "direction", "status", "meeting"}
        assert other["status"] != "offline"


def test_a_move_within_speed_is_accepted(walker: Player) -> None:
    ok(walker.http.post("/rpc/enter_room", json={"room_slug": "town"}))
    moved = ok(walker.http.post("/rpc/move", json={"x": 21, "y": 16, "direction": "right"}))
    assert moved == {"user_id": walker.user_id, "world": "ark", "room": "town", "x": 21, "y": 16, "direction": "right"}
    # A diagonal of 9.2 tiles right after is still within the allowance (max_speed 10, plus one tile of tolerance);
    # north-east, over open grass: south-east it would end in the Maven's Corner's walls.
    ok(walker.http.post("/rpc/move", json={"x": 27, "y": 9, "direction": "up"}))
    assert [(p["room_slug"], p["x"], p["y"], p["direction"]) for p in presence_of(walker)] == [("town", 27, 9, "up")]


OUTSIDE = "invalid move: ({}, {}) lies outside town, which is 40 x 30 tiles"
BAD_DIRECTION = "invalid move: direction must be up, down, left or right"
TOO_FAST = "invalid move: a move of {} tiles exceeds the {} tiles allowed now (max_speed 10 tiles/s)"


@pytest.mark.parametrize(
    ("enter", "move", "reason", "message"),
    [
        (False, {"x": 20, "y": 17, "direction": "down"}, "not_in_room", "invalid move: join a room before moving"),
        (True, {"x": 40, "y": 16, "direction": "right"}, "outside_room", OUTSIDE.format(40, 16)),
        (True, {"x": 20, "y": -1, "direction": "up"}, "outside_room", OUTSIDE.format(20, -1)),
        (True, {"x": 21, "y": 16, "direction": "north"}, "bad_direction", BAD_DIRECTION),
        (True, {"x": 21, "y": 16, "direction": None}, "bad_direction", BAD_DIRECTION),
        (
            True,
            {"x": None, "y": 16, "direction": "left"},
            "bad_position",
            "invalid move: x and y must be whole numbers of tiles",
        ),
        # From (20, 16) to (0, 0) is 25.6 tiles; the allowance is full right after entering, and full is 11.
        (True, {"x": 0, "y": 0, "direction": "up"}, "too_fast", TOO_FAST.format("25.61", "11.00")),
    ],
    ids=["not-in-room", "outside-right", "outside-top", "bad-direction", "null-direction", "null-x", "too-fast"],
)
def test_rejected_moves_are_400_with_the_reason_in_details(
    walker: Player, enter: bool, move: dict[str, Any], reason: str, message: str
) -> None:
    if enter:
        ok(walker.http.post("/rpc/enter_room", json={"room_slug": "town"}))
    before = presence_of(walker)
    body = error(walker.http.post("/rpc/move", json=move), 400, "22023")
    assert (body["details"], body["message"]) == (reason, message)
    assert presence_of(walker) == before


def test_leave_room_saves_the_position_and_entering_again_resumes_it(walker: Player) -> None:
    ok(walker.http.post("/rpc/enter_room", json={"room_slug": "town"}))
    ok(walker.http.post("/rpc/move", json={"x": 23, "y": 18, "direction": "left"}))

    assert ok(walker.http.post("/rpc/leave_room")) == {
        "world": "ark",
        "room": "town",
        "x": 23,
        "y": 18,
        "direction": "left",
    }
    # Leaving twice changes nothing the second time.
    assert ok(walker.http.post("/rpc/leave_room")) is None

    state = ok(walker.http.post("/rpc/enter_room", json={"room_slug": "town"}))
    mine = me_in(state, walker)
    assert (mine["x"], mine["y"], mine["direction"], mine["status"]) == (23, 18, "left", "online")


def test_presence_lists_you_only_while_you_are_in_a_room(walker: Player) -> None:
    assert presence_of(walker) == []
    ok(walker.http.post("/rpc/enter_room", json={"room_slug": "town"}))
    rows = presence_of(walker)
    assert [(r["user_id"], r["display_name"], r["room_slug"], r["x"], r["y"], r["status"]) for r in rows] == [
        (walker.user_id, "Walker", "town", TOWN_SPAWN[0], TOWN_SPAWN[1], "online")
    ]
    ok(walker.http.post("/rpc/leave_room"))
    assert presence_of(walker) == []


def test_entering_another_room_moves_you_there(walker: Player, make_room: Any) -> None:
    room = make_room(spawn=(3, 4))
    ok(walker.http.post("/rpc/enter_room", json={"room_slug": "town"}))
    state = ok(walker.http.post("/rpc/enter_room", json={"room_slug": room}))
    assert state["room"] == room
    assert [(p["user_id"], p["x"], p["y"]) for p in state["players"]] == [(walker.user_id, 3, 4)]
    assert [(r["room_slug"], r["x"], r["y"]) for r in presence_of(walker)] == [(room, 3, 4)]


def test_enter_room_requires_a_room(walker: Player) -> None:
    error(walker.http.post("/rpc/enter_room", json={"room_slug": " "}), 400, "22023", "room_slug is required")
    assert presence_of(walker) == []


def test_enter_room_for_an_unknown_room_is_404(walker: Player) -> None:
    # As the function's comment promises (see expect.NOT_FOUND).
    refused = error(walker.http.post("/rpc/enter_room", json={"room_slug": "nowhere"}), 404, NOT_FOUND, "unknown room")
    assert refused["details"] == '{"room_slug": "nowhere"}'
    assert presence_of(walker) == []
