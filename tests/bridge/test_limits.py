"""Issue 8, section 3: fan-out that one client cannot amplify.

Every limit answers with an error frame (code rate_limited) or a documented close code, and costs the
other players nothing. Bounds are counted against the time a test actually took, never against a
fixed speed, so a slow machine does not fail them; a limit that is not enforced exceeds them many times.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Callable

import pytest
from websockets.exceptions import InvalidStatus

from tests.bridge.conftest import Connect, NewPlayer, StartBridge
from tests.bridge.test_hub import join, mentions
from tests.support.processes import REPO_ROOT


async def test_frames_beyond_the_socket_budget_are_answered_rate_limited_and_dropped(
    start_bridge: StartBridge, open_socket: Connect, new_player: NewPlayer
) -> None:
    bridge = start_bridge(BRIDGE_FRAMES_PER_SECOND="10", BRIDGE_FRAME_BURST="20")
    sock = await open_socket(bridge, new_player().token)
    loop = asyncio.get_running_loop()
    started = loop.time()
    for _ in range(100):
        await sock.send({"type": "ping"})
    frames = [await sock.recv() for _ in range(100)]
    elapsed = loop.time() - started
    pongs = [f for f in frames if f["type"] == "pong"]
    limited = [f for f in frames if f["type"] == "error" and f["code"] == "rate_limited"]
    assert len(pongs) + len(limited) == 100, frames
    assert len(pongs) <= 20 + 10 * elapsed + 1, f"{len(pongs)} pongs in {elapsed:.2f} s"
    await asyncio.sleep(0.3)  # the bucket refills
    await sock.ping()


async def test_turning_on_the_spot_is_paid_from_the_move_budget(
    start_bridge: StartBridge, open_socket: Connect, new_player: NewPlayer, new_room: Callable[[], str]
) -> None:
    # 400 turns on the spot in about 2 s. They used to cost nothing, so every one reached every watcher;
    # now each costs a quarter tile of a budget of 11 tiles refilled at 10 tiles/s.
    bridge = start_bridge(BRIDGE_FRAMES_PER_SECOND="1000", BRIDGE_FRAME_BURST="1000")
    room = new_room()
    ada, bob = new_player("Ada"), new_player("Bob")
    a = await open_socket(bridge, ada.token, name="ada")
    b = await open_socket(bridge, bob.token, name="bob")
    await join(a, room)
    await join(b, room)
    loop = asyncio.get_running_loop()
    started = loop.time()
    directions = ("up", "left", "down", "right")
    for i in range(400):
        await b.send({"type": "move", "x": 5, "y": 5, "direction": directions[i % 4]})
        await asyncio.sleep(0.005)
    await b.ping()
    await asyncio.sleep(0.3)
    await a.drain(0.3)
    elapsed = loop.time() - started
    seen = sum(1 for f in a.frames if f["type"] == "moves" for m in f["moves"] if m["user_id"] == bob.user_id)
    assert 0 < seen <= (11 + 10 * elapsed) / 0.25 + 1, f"{seen} turns reached Ada in {elapsed:.2f} s"
    refused = [f for f in b.frames if f["type"] == "error" and f.get("reason") == "too_fast"]
    assert refused, "Bob was told his turns were too fast"


async def test_status_changes_are_paid_from_the_move_budget(
    start_bridge: StartBridge, open_socket: Connect, new_player: NewPlayer, new_room: Callable[[], str]
) -> None:
    bridge = start_bridge(BRIDGE_FRAMES_PER_SECOND="1000", BRIDGE_FRAME_BURST="1000")
    room = new_room()
    ada, bob = new_player("Ada"), new_player("Bob")
    a = await open_socket(bridge, ada.token, name="ada")
    b = await open_socket(bridge, bob.token, name="bob")
    await join(a, room)
    await join(b, room)
    loop = asyncio.get_running_loop()
    started = loop.time()
    for i in range(300):
        await b.send({"type": "status", "status": "away" if i % 2 == 0 else "busy"})
    await b.ping()
    await asyncio.sleep(0.3)
    await a.drain(0.3)
    elapsed = loop.time() - started
    seen = [f for f in a.frames if f["type"] == "player_status" and f["user_id"] == bob.user_id]
    assert 0 < len(seen) <= 11 + 10 * elapsed + 1, f"{len(seen)} player_status frames in {elapsed:.2f} s"
    # Bob is told (a refused busy leaves him away, so the next away changes nothing and costs nothing).
    limited = [f for f in b.frames if f["type"] == "error" and f["code"] == "rate_limited"]
    assert len(limited) >= 300 // 2 - len(seen), f"{len(limited)} rate_limited errors"


async def test_a_socket_beyond_the_accounts_limit_closes_the_oldest_with_4409(
    start_bridge: StartBridge, open_socket: Connect, new_player: NewPlayer
) -> None:
    bridge = start_bridge(BRIDGE_SOCKETS_PER_ACCOUNT="2")
    bob, ada = new_player("Bob"), new_player("Ada")
    first = await open_socket(bridge, bob.token, name="bob 1")
    second = await open_socket(bridge, bob.token, name="bob 2")
    other = await open_socket(bridge, ada.token, name="ada")
    await first.ping()
    third = await open_socket(bridge, bob.token, name="bob 3")
    assert await first.closed_with() == 4409
    await second.ping()
    await third.ping()
    await other.ping()
    assert bridge.health().json()["clients"] == 3


async def test_sockets_waiting_to_authenticate_are_limited_per_address(
    start_bridge: StartBridge, open_socket: Connect, new_player: NewPlayer
) -> None:
    bridge = start_bridge(BRIDGE_HANDSHAKES_PER_ADDRESS="3", BRIDGE_AUTH_TIMEOUT="10")
    waiting = [await open_socket(bridge, None, name=f"anonymous {i}", welcome=False) for i in range(3)]
    with pytest.raises(InvalidStatus) as refused:
        await open_socket(bridge, None, name="one too many", welcome=False)
    assert refused.value.response.status_code == 403
    # A socket with ?token= never waits, so it is not counted and gets in.
    await (await open_socket(bridge, new_player().token, name="with token")).ping()
    await waiting[0].close()
    await asyncio.sleep(0.2)
    late = await open_socket(bridge, None, name="after one left", welcome=False)
    await late.send({"type": "auth", "token": new_player().token})
    await late.expect("welcome")


@pytest.mark.parametrize("bridges", [1, 2])
async def test_a_second_socket_joining_another_room_takes_the_first_out_of_the_old_room(
    start_bridge: StartBridge,
    open_socket: Connect,
    new_player: NewPlayer,
    new_room: Callable[[], str],
    bridges: int,
) -> None:
    one = start_bridge()
    two = start_bridge() if bridges == 2 else one
    room_a, room_b = new_room(), new_room()
    ada, bob = new_player("Ada"), new_player("Bob")
    a = await open_socket(one, ada.token, name="ada")
    await join(a, room_a)
    tab1 = await open_socket(one, bob.token, name="bob tab 1")
    await join(tab1, room_a)
    tab2 = await open_socket(two, bob.token, name="bob tab 2")
    await join(tab2, room_b)

    # (It may first hear room A's own player_left for Bob, which carries no reason.)
    await tab1.expect("player_left", room=room_a, user_id=bob.user_id, reason="joined_elsewhere")
    await a.expect("player_left", room=room_a, user_id=bob.user_id)
    # Room A goes on without tab 1: Ada's move reaches nobody of Bob's.
    await a.send({"type": "move", "x": 6, "y": 5, "direction": "right"})
    await asyncio.sleep(0.5)
    await tab1.drain(0.2)
    assert not [f for f in tab1.frames if f["type"] == "moves" and mentions(f, ada.user_id)]
    # Tab 1 is in no room now; it may join again (and then tab 2 is the one taken out of its room).
    await tab1.send({"type": "move", "x": 6, "y": 5, "direction": "right"})
    assert (await tab1.expect("error"))["reason"] == "not_in_room"
    await join(tab1, room_a)
    await tab2.expect("player_left", room=room_b, user_id=bob.user_id, reason="joined_elsewhere")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("BRIDGE_FRAMES_PER_SECOND", "0"),
        ("BRIDGE_FRAME_BURST", "0"),
        ("BRIDGE_SOCKETS_PER_ACCOUNT", "0"),
        ("BRIDGE_HANDSHAKES_PER_ADDRESS", "-1"),
        ("BRIDGE_LOG_REPEAT_SECONDS", "-5"),
        ("BRIDGE_FRAME_BURST", "many"),
    ],
)
def test_the_limits_are_range_checked_at_start(bridge_db_url: str, jwt_secret: str, name: str, value: str) -> None:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "BRIDGE_DATABASE_URL": bridge_db_url,
        "JWT_SECRET": jwt_secret,
        name: value,
    }
    result = subprocess.run(
        [sys.executable, "-m", "bridge"], env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 2, result.stderr
    assert name in result.stderr
