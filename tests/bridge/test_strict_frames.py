"""Issue 8, section 2: one malformed move must never cost another player's move.

Frames are parsed strictly (no NaN or Infinity, no overflowing numbers, no NUL or lone surrogates in any
string, x and y integers within ±2^31, a known direction); a bad frame is answered to its sender alone.
A move that SQL itself refuses with an error (here: a CHECK constraint the owner adds for one player)
no longer fails the whole tick: the batch is retried without it. And the log says so once, not per tick.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest

from tests.bridge.conftest import Connect, NewPlayer, Player, Socket, StartBridge
from tests.bridge.test_hub import join, mentions
from tests.seed import rng_for

# Raw frames, as a client could send them: each is a move (or another frame) that json.loads accepts.
MALFORMED = [
    ('{"type":"move","x":NaN,"y":5,"direction":"right"}', "bad_json"),
    ('{"type":"move","x":Infinity,"y":5,"direction":"right"}', "bad_json"),
    ('{"type":"move","x":-Infinity,"y":5,"direction":"right"}', "bad_json"),
    ('{"type":"move","x":1e999,"y":5,"direction":"right"}', "bad_json"),
    ('{"type":"move","x":6,"y":5,"direction":"\\u0000right"}', "bad_json"),
    ('{"type":"move","x":6,"y":5,"direction":"\\ud800"}', "bad_json"),
    ('{"type":"move","x":6,"y":5,"direction":"right","pad":"\\udfff"}', "bad_json"),
    ('{"type":"join","room":"town\\u0000"}', "bad_json"),
    ('{"type":"status","status":[]}', "invalid_field"),
    ('{"type":"status","status":{"a":1}}', "invalid_field"),
    ('{"type":"move","x":true,"y":5,"direction":"right"}', "invalid_move"),
    ('{"type":"move","x":6.5,"y":5,"direction":"right"}', "invalid_move"),
    ('{"type":"move","x":2147483648,"y":5,"direction":"right"}', "invalid_move"),
    ('{"type":"move","x":6,"y":-2147483649,"direction":"right"}', "invalid_move"),
    ('{"type":"move","x":' + "9" * 400 + ',"y":5,"direction":"right"}', "invalid_move"),
    ('{"type":"move","x":[6],"y":5,"direction":"right"}', "invalid_move"),
    ('{"type":"move","x":6,"y":5,"direction":7}', "invalid_move"),
    ('{"type":"move","x":6,"y":5,"direction":"RIGHT"}', "invalid_move"),
]


async def ticked_pair(
    start_bridge: StartBridge, open_socket: Connect, new_player: NewPlayer, room: str, **settings: str
) -> tuple[Player, Player, Socket, Socket]:
    """Ada and Bob in room on a bridge whose tick is 1 s, so that moves sent together share one batch."""
    bridge = start_bridge(BRIDGE_TICK_MS="1000", **settings)
    ada, bob = new_player("Ada"), new_player("Bob")
    a = await open_socket(bridge, ada.token, name="ada")
    b = await open_socket(bridge, bob.token, name="bob")
    await join(a, room)
    await join(b, room)
    return ada, bob, a, b


@pytest.mark.parametrize(("frame", "code"), MALFORMED)
async def test_a_malformed_move_is_refused_to_its_sender_and_costs_nobody_else_a_move(
    start_bridge: StartBridge,
    open_socket: Connect,
    new_player: NewPlayer,
    new_room: Callable[[], str],
    frame: str,
    code: str,
) -> None:
    room = new_room()
    ada, bob, a, b = await ticked_pair(start_bridge, open_socket, new_player, room)
    # A first move is applied at once and starts a 1 s tick: the next moves wait for it together.
    await a.send({"type": "move", "x": 5, "y": 4, "direction": "up"})
    await b.expect("moves", where=lambda f: mentions(f, ada.user_id))
    await b.send(frame)
    await a.send({"type": "move", "x": 5, "y": 3, "direction": "up"})
    error = await b.expect("error")
    assert error["code"] == code, error
    moves = await b.expect("moves", where=lambda f: mentions(f, ada.user_id), timeout=5.0)
    assert moves["moves"] == [{"user_id": ada.user_id, "x": 5, "y": 3, "direction": "up"}]
    # Ada hears nothing about it: no error, and no move of Bob's.
    await a.drain(0.3)
    assert not [f for f in a.frames if f["type"] == "error"]
    assert not [f for f in a.frames if f["type"] == "moves" and mentions(f, bob.user_id)]
    await b.ping()


async def test_a_whole_number_written_as_a_float_is_that_integer(
    start_bridge: StartBridge, open_socket: Connect, new_player: NewPlayer, new_room: Callable[[], str]
) -> None:
    # 6.0 is the number 6 in JSON (JavaScript clients cannot tell them apart): accepted, relayed as 6.
    room = new_room()
    ada, bob, a, b = await ticked_pair(start_bridge, open_socket, new_player, room)
    await b.send('{"type":"move","x":6.0,"y":5e0,"direction":"right"}')
    moves = await a.expect("moves", where=lambda f: mentions(f, bob.user_id))
    assert moves["moves"] == [{"user_id": bob.user_id, "x": 6, "y": 5, "direction": "right"}]


@pytest.fixture
def refuse_x_for(owner_conn: psycopg.Connection[Any]) -> Iterator[Callable[[str, int], None]]:
    """refuse_x_for(user_id, x): a CHECK that makes SQL fail (23514) on that player's move to column x.

    It stands for any move that passes the bridge's checks and still makes realtime.apply_moves raise.
    """
    names: list[str] = []

    def add(user_id: str, x: int) -> None:
        name = f"test_refuse_{user_id.replace('-', '')[:16]}"
        owner_conn.execute(
            f"ALTER TABLE app.player_presence ADD CONSTRAINT {name}"  # noqa: S608 (a name made here)
            f" CHECK (user_id <> '{user_id}'::uuid OR x <> {int(x)}) NOT VALID"
        )
        names.append(name)

    yield add
    for name in names:
        owner_conn.execute(f"ALTER TABLE app.player_presence DROP CONSTRAINT IF EXISTS {name}")


async def test_a_move_that_fails_in_sql_is_taken_out_of_the_batch_and_the_rest_is_applied(
    start_bridge: StartBridge,
    open_socket: Connect,
    new_player: NewPlayer,
    new_room: Callable[[], str],
    refuse_x_for: Callable[[str, int], None],
) -> None:
    rng = rng_for("strict_frames.walkers")
    room = new_room()
    bridge = start_bridge(BRIDGE_TICK_MS="1000")
    players = [new_player(f"Walker {i}") for i in range(6)]
    socks = [await open_socket(bridge, p.token, name=p.name) for p in players]
    for sock in socks:
        await join(sock, room)
    watcher = socks[0]
    bad = rng.randrange(1, len(players))
    refuse_x_for(players[bad].user_id, 6)

    # A first move is applied at once and starts a 1 s tick; the others then wait for it in one batch.
    await watcher.send({"type": "move", "x": 5, "y": 4, "direction": "up"})
    await socks[1].expect("moves", where=lambda f: mentions(f, players[0].user_id))
    order = list(range(1, len(players)))
    rng.shuffle(order)
    for i in order:
        await socks[i].send({"type": "move", "x": 6, "y": 5, "direction": "right"})

    error = await socks[bad].expect("error")
    assert error["code"] == "invalid_field", error
    expected = {players[i].user_id for i in order if i != bad}
    seen: set[str] = set()
    while seen != expected:
        frame = await watcher.expect("moves")
        seen.update(m["user_id"] for m in frame["moves"])
        assert players[bad].user_id not in seen, "the refused move is not announced"
    await asyncio.sleep(0.3)
    for i, sock in enumerate(socks):
        if i != bad:
            await sock.drain(0.1)
            assert not [f for f in sock.frames if f["type"] == "error"], f"{sock.name} got no error"


async def test_a_failing_move_every_tick_is_logged_once_per_cause_without_tracebacks(
    start_bridge: StartBridge,
    open_socket: Connect,
    new_player: NewPlayer,
    new_room: Callable[[], str],
    refuse_x_for: Callable[[str, int], None],
) -> None:
    room = new_room()
    bridge = start_bridge(BRIDGE_TICK_MS="20")
    bob = new_player("Bob")
    b = await open_socket(bridge, bob.token, name="bob")
    await join(b, room)
    refuse_x_for(bob.user_id, 6)
    for _ in range(30):
        await b.send({"type": "move", "x": 6, "y": 5, "direction": "right"})
        assert (await b.expect("error"))["code"] == "invalid_field"
    # Lone surrogates used to log a traceback per tick; they are refused before any SQL now.
    for _ in range(30):
        await b.send('{"type":"move","x":5,"y":5,"direction":"\\ud800"}')
        assert (await b.expect("error"))["code"] == "bad_json"
    await b.ping()
    log = bridge.log()
    assert "Traceback" not in log, log[-3000:]
    failures = [line for line in log.splitlines() if "apply_moves" in line]
    assert 1 <= len(failures) <= 2, "\n".join(failures)
