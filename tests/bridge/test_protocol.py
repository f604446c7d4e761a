"""Bad frames get error frames (or 1009 when oversized), and the connection and the server keep serving."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from tests.bridge.conftest import BridgeProcess, Connect, NewPlayer
from tests.bridge.test_hub import ada_and_bob_in


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("{not json", "bad_json"),
        ("", "bad_json"),
        ("[1, 2, 3]", "bad_json"),
        ('"join"', "bad_json"),
        ("[" * 5000 + "]" * 5000, "bad_json"),
        ("{}", "unknown_type"),
        ('{"type": "teleport"}', "unknown_type"),
        ('{"type": 7}', "unknown_type"),
        ('{"type": "join"}', "missing_field"),
        ('{"type": "move", "x": 1, "y": 2}', "missing_field"),
        ('{"type": "status"}', "missing_field"),
        ('{"type": "resume"}', "missing_field"),
        ('{"type": "join", "room": 12}', "invalid_field"),
        ('{"type": "status", "status": "asleep"}', "invalid_field"),
        ('{"type": "resume", "after_message_id": -1}', "invalid_field"),
        ('{"type": "resume", "after_message_id": "7"}', "invalid_field"),
        ('{"type": "resume", "after_message_id": true}', "invalid_field"),
        ('{"type": "leave"}', "not_joined"),
        (b"\x00\x01binary", "bad_frame"),
    ],
)
async def test_bad_frame_gets_an_error_frame_and_the_connection_keeps_serving(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer, frame: str | bytes, code: str
) -> None:
    sock = await open_socket(bridge, new_player().token)
    await sock.send(frame)
    error = await sock.expect("error")
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    await sock.ping()


async def test_many_bad_frames_in_a_row_do_not_disturb_a_player_in_the_room(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer, new_room: Callable[[], str]
) -> None:
    room = new_room()
    ada, bob, a, b = await ada_and_bob_in(room, bridge, open_socket, new_player)
    for _ in range(50):
        await b.send("{oops")
        await b.send('{"type":"move"}')
    await b.send({"type": "move", "x": 6, "y": 5, "direction": "right"})
    moves = await a.expect("moves")
    assert moves["moves"] == [{"user_id": bob.user_id, "x": 6, "y": 5, "direction": "right"}]
    await b.drain()
    assert len([f for f in b.frames if f["type"] == "error"]) == 100


async def test_frame_over_16_kib_is_closed_with_1009_and_the_server_keeps_serving(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer
) -> None:
    bystander = await open_socket(bridge, new_player("Bystander").token, name="bystander")
    big = await open_socket(bridge, new_player("Big").token, name="big")
    # Exactly 16 KiB is still allowed: the limit is on the bridge, not in the client library.
    at_limit = json.dumps({"type": "ping", "pad": ""})
    at_limit = at_limit[:-2] + "x" * (16 * 1024 - len(at_limit)) + '"}'
    assert len(at_limit.encode()) == 16 * 1024
    await big.send(at_limit)
    await big.expect("pong")

    await big.send(json.dumps({"type": "ping", "pad": "x" * (16 * 1024)}))
    assert await big.closed_with() == 1009
    await bystander.ping()
    fresh = await open_socket(bridge, new_player("Fresh").token, name="fresh")
    await fresh.ping()


async def test_ping_is_answered_with_pong(bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer) -> None:
    sock = await open_socket(bridge, new_player().token)
    await sock.send({"type": "ping"})
    assert await sock.expect("pong") == {"type": "pong"}
