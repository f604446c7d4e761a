"""Property (issue 12): walls hold on every path, REST and socket alike.

Each example is a random small map (6..12 x 6..12 tiles, random walls, one free spawn, max_speed 100 so the
speed budget stays out of the way), published with POST /rpc/publish_map into a fresh room of a world of the
test's own. Then one player walks a random walk through POST /rpc/move, and another through a real bridge
WebSocket (a third socket in the room watches, since a mover never hears its own moves). The targets are
random tiles within a few tiles of where the walker stands: walls, free tiles, across walls, diagonals
through corners.

For every move, with the walls and the supercover line computed here, independently of the SQL (every
tile the segment between the two tile centres touches, both tiles beside an exact corner crossing too):
- an accepted move neither ends on nor passes through a blocked tile, and stands where it said;
- a refused move has a reason (REST: 400 with the reason in details; socket: an invalid_move error frame),
  and leaves the position unchanged;
- a move whose line touches no wall is accepted (the budget never runs out), so the property is not
  met by refusing everything; and one whose line touches a wall is refused with reason blocked.

The bounds, and why: max_examples=25, each a publish and about 2 x 10 moves on real servers, well under a
minute; no shrinking (a shrink step is a real run too; a failure prints its map and walk, which are small);
hypothesis keeps no example database (database=None), and draws from the run's seed (ARK_TEST_SEED),
which the report header and every failure message print.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from websockets.asyncio.client import connect

from tests.api.test_maps import MapWorld, blocked_tiles, map_world, tiled_map
from tests.api.worlds import Register
from tests.bridge.conftest import TIMEOUT, BridgeProcess, Socket, _launch
from tests.seed import RUN_SEED
from tests.support.protocols import AnonLogin

Tile = tuple[int, int]
REACH = 4  # a target lies within this many tiles of the walker on each axis: paths cross a few walls
MOVES = 10  # per walker and example


def supercover(start: Tile, end: Tile) -> set[Tile]:
    """Every tile whose closed square the segment between the centres of start and end touches.

    Exact (rational) arithmetic, tile by tile in the bounding box: a tile is on the line when the segment
    meets its square [x, x+1] x [y, y+1], borders included, so a line through a corner takes all four
    tiles there, the two it passes between as well. Start and end are on it."""
    (x0, y0), (x1, y1) = start, end
    px, py = Fraction(2 * x0 + 1, 2), Fraction(2 * y0 + 1, 2)
    dx, dy = Fraction(x1 - x0), Fraction(y1 - y0)
    tiles: set[Tile] = set()
    for tx in range(min(x0, x1), max(x0, x1) + 1):
        for ty in range(min(y0, y1), max(y0, y1) + 1):
            low, high = Fraction(0), Fraction(1)
            for p, d, lo, hi in ((px, dx, tx, tx + 1), (py, dy, ty, ty + 1)):
                if d == 0:
                    if not lo <= p <= hi:
                        low, high = Fraction(1), Fraction(0)
                    continue
                t_lo, t_hi = sorted(((lo - p) / d, (hi - p) / d))
                low, high = max(low, t_lo), min(high, t_hi)
            if low <= high:
                tiles.add((tx, ty))
    return tiles


def test_supercover_takes_both_tiles_beside_a_corner_and_no_others() -> None:
    # The reference itself, by hand: a straight line, an exact diagonal (corners), a shallow slope.
    assert supercover((0, 0), (3, 0)) == {(0, 0), (1, 0), (2, 0), (3, 0)}
    assert supercover((0, 0), (2, 2)) == {(0, 0), (1, 0), (0, 1), (1, 1), (2, 1), (1, 2), (2, 2)}
    assert supercover((0, 0), (4, 1)) == {(0, 0), (1, 0), (2, 0), (2, 1), (3, 1), (4, 1)}
    # (0.5, 0.5) -> (3.5, 1.5) passes the corner (2, 1) exactly: the four tiles there are all on it.
    assert supercover((0, 0), (3, 1)) == {(0, 0), (1, 0), (2, 0), (1, 1), (2, 1), (3, 1)}
    assert supercover((0, 0), (1, 2)) == {(0, 0), (0, 1), (1, 1), (1, 2)}
    assert supercover((2, 3), (2, 3)) == {(2, 3)}
    assert supercover((4, 1), (1, 2)) == supercover((1, 2), (4, 1))


@dataclass(frozen=True)
class Case:
    width: int
    height: int
    walls: frozenset[Tile]
    spawn: Tile
    rest: tuple[Tile, ...]  # offsets (dx, dy) of the REST walker's moves
    socket: tuple[Tile, ...]  # and of the socket walker's


@st.composite
def cases(draw: st.DrawFn) -> Case:
    width, height = draw(st.integers(6, 12)), draw(st.integers(6, 12))
    tiles = st.tuples(st.integers(0, width - 1), st.integers(0, height - 1))
    spawn = draw(tiles)
    density = draw(st.sampled_from([0.1, 0.25, 0.4]))
    walls = frozenset(
        (x, y)
        for y in range(height)
        for x in range(width)
        if (x, y) != spawn and draw(st.floats(0, 1, exclude_max=True), label=f"wall {x},{y}") < density
    )
    offset = st.tuples(st.integers(-REACH, REACH), st.integers(-REACH, REACH))
    rest = tuple(draw(st.lists(offset, min_size=MOVES, max_size=MOVES)))
    sock = tuple(draw(st.lists(offset, min_size=MOVES, max_size=MOVES)))
    return Case(width, height, walls, spawn, rest, sock)


# Walls on both sides of a corner the walker's diagonals pass, a wall beside a corner only, straight lines
# through walls and a move onto one: every kind of path, in every run.
CORNERS = Case(
    width=8,
    height=8,
    walls=frozenset({(3, 2), (2, 3), (5, 4), (1, 6), (2, 6), (3, 6)}),
    spawn=(2, 2),
    rest=((-1, 1), (1, 1), (-1, -1), (1, 0), (-1, 1), (2, 0), (0, 4), (0, -3), (3, 3), (1, -1)),
    socket=((-1, 1), (1, 1), (-1, -1), (1, 0), (-1, 1), (2, 0), (0, 4), (0, -3), (3, 3), (1, -1)),
)


@pytest.fixture(scope="module")
def walls_bridge(bridge_db_url: str, jwt_secret: str) -> Iterator[BridgeProcess]:
    """A bridge of this module's own (the bridge suite's fixtures live in tests/bridge/conftest.py)."""
    started = _launch(bridge_db_url, jwt_secret, {})
    yield started
    started.stop()
    started.proc.remove_log()


@dataclass
class Walkers:
    world: MapWorld
    rest: httpx.AsyncClient
    rest_id: str
    socket: Socket
    socket_id: str
    watcher: Socket


@pytest.fixture
async def walkers(
    walls_bridge: BridgeProcess, postgrest: str, anon_login: AnonLogin, registered: Register, world_slugs: list[str]
) -> AsyncIterator[Walkers]:
    """The world of the test and its three players, for every example: a REST walker, a socket walker and a
    watching socket (function-scoped fixtures are made once for all of a hypothesis test's examples)."""
    world = map_world(registered, world_slugs)
    rest, mover, watcher = (anon_login(name) for name in ("Rest Walker", "Socket Walker", "Watcher"))
    http = httpx.AsyncClient(base_url=postgrest, headers={"Authorization": f"Bearer {rest['token']}"}, timeout=10.0)
    sockets = []
    for login, name in ((mover, "socket walker"), (watcher, "watcher")):
        ws = await connect(
            f"{walls_bridge.ws_url}?token={login['token']}", open_timeout=TIMEOUT, close_timeout=1, compression=None
        )
        sock = Socket(ws, name)
        await sock.expect("welcome")
        sockets.append(sock)
    yield Walkers(world, http, str(rest["user_id"]), sockets[0], str(mover["user_id"]), sockets[1])
    await http.post("/rpc/leave_room")
    await http.aclose()
    for sock in sockets:
        await sock.close()


def _judge(case: Case, here: Tile, target: Tile, accepted: bool, reason: str | None, where: str) -> None:
    __tracebackhide__ = True
    inside = 0 <= target[0] < case.width and 0 <= target[1] < case.height
    crossed = sorted((supercover(here, target) - {here}) & case.walls)
    if accepted:
        assert inside, f"accepted a move outside the map to {target}; {where}"
        assert not crossed, f"accepted {here} -> {target} through the walls {crossed}; {where}"
    else:
        assert reason, f"refused {here} -> {target} without a reason; {where}"
        if not inside:
            assert reason == "outside_room", (reason, where)
        elif crossed:
            assert reason == "blocked", f"{here} -> {target} crosses {crossed}, refused as {reason}; {where}"
        else:
            raise AssertionError(f"refused {here} -> {target}, whose line touches no wall, as {reason}; {where}")


async def _presence(http: httpx.AsyncClient, user_id: str) -> list[tuple[str, int, int]]:
    response = await http.get("/presence", params={"user_id": f"eq.{user_id}"})
    assert response.status_code == 200, response.text
    return [(r["room_slug"], r["x"], r["y"]) for r in response.json()]


async def _run(case: Case, w: Walkers) -> None:
    room = f"walls-{uuid.uuid4().hex[:12]}"
    where = f"ARK_TEST_SEED={RUN_SEED}, room {room}, {case}"
    m = tiled_map(case.width, case.height, case.walls, case.spawn, max_speed=100)
    assert blocked_tiles(m) == case.walls, "the map's walls as computed here are the case's"
    owner = w.world.owner.http
    published = owner.post("/rpc/publish_map", json={"world_slug": w.world.slug, "room_slug": room, "map": m})
    assert published.status_code == 200, (published.text[:500], where)

    # Both walkers and the watcher stand at the spawn.
    entered = await w.rest.post("/rpc/enter_room", json={"room_slug": room, "world_slug": w.world.slug})
    assert entered.status_code == 200, entered.text
    for sock in (w.watcher, w.socket):
        await sock.send({"type": "join", "world": w.world.slug, "room": room})
        state = await sock.expect("presence_state", world=w.world.slug, room=room)
        assert {(p["x"], p["y"]) for p in state["players"]} == {case.spawn}, (state, where)

    # Through REST.
    here = case.spawn
    rest_accepted: list[Tile] = []
    mark_rest = len(w.watcher.frames)
    for n, (dx, dy) in enumerate(case.rest):
        target = (here[0] + dx, here[1] + dy)
        response = await w.rest.post("/rpc/move", json={"x": target[0], "y": target[1], "direction": "down"})
        assert response.status_code < 500, (response.text, where)
        accepted = response.status_code == 200
        reason = None
        if accepted:
            body = response.json()
            assert (body["x"], body["y"]) == target, (body, where)
            rest_accepted.append(target)
        else:
            error = response.json()
            assert (response.status_code, error["code"]) == (400, "22023"), (response.text, where)
            reason = error["details"]
        _judge(case, here, target, accepted, reason, f"REST move {n}; {where}")
        here = target if accepted else here
        assert await _presence(w.rest, w.rest_id) == [(room, *here)], f"REST move {n}; {where}"

    # The watcher saw each accepted REST move, as an ordinary move, once and in order.
    while len(_moves_of(w.watcher.frames[mark_rest:], w.rest_id)) < len(rest_accepted):
        await w.watcher.expect("moves", where=lambda f: _mentions(f, w.rest_id))
    assert _moves_of(w.watcher.frames[mark_rest:], w.rest_id) == rest_accepted, where

    # Through the socket: a refusal comes back to the mover as an error frame; an acceptance reaches the
    # watcher as a moves frame. One of the two arrives for every move.
    here = case.spawn
    socket_accepted: list[Tile] = []
    refusals = 0
    mark_socket, mark_watcher = len(w.socket.frames), len(w.watcher.frames)
    for n, (dx, dy) in enumerate(case.socket):
        target = (here[0] + dx, here[1] + dy)
        await w.socket.send({"type": "move", "x": target[0], "y": target[1], "direction": "up"})
        refusal = asyncio.ensure_future(w.socket.expect("error", code="invalid_move"))
        seen = asyncio.ensure_future(w.watcher.expect("moves", where=lambda f: _mentions(f, w.socket_id)))
        done, pending = await asyncio.wait({refusal, seen}, timeout=TIMEOUT, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        assert len(done) == 1, f"socket move {n}: neither a refusal nor a move within {TIMEOUT} s; {where}"
        accepted = seen in done
        reason = None
        if accepted:
            moves = [m for m in seen.result()["moves"] if m["user_id"] == w.socket_id]
            assert moves == [{"user_id": w.socket_id, "x": target[0], "y": target[1], "direction": "up"}], where
            socket_accepted.append(target)
        else:
            frame = refusal.result()
            reason = frame.get("reason")
            assert frame["message"], (frame, where)
            refusals += 1
        _judge(case, here, target, accepted, reason, f"socket move {n}; {where}")
        here = target if accepted else here
        assert await _presence(w.rest, w.socket_id) == [(room, *here)], f"socket move {n}; {where}"

    # Nothing else came: the mover heard one refusal per refused move and no moves of its own; the watcher
    # saw each accepted move once, in order, and no more of REST's.
    await w.watcher.ping()
    await w.socket.ping()
    errors = [f for f in w.socket.frames[mark_socket:] if f["type"] == "error"]
    assert len(errors) == refusals, (errors, where)
    assert not [f for f in w.socket.frames[mark_socket:] if f["type"] == "moves" and _mentions(f, w.socket_id)]
    assert _moves_of(w.watcher.frames[mark_watcher:], w.socket_id) == socket_accepted, where
    assert _moves_of(w.watcher.frames[mark_rest:], w.rest_id) == rest_accepted, where


def _mentions(frame: dict[str, Any], user_id: str) -> bool:
    return any(m.get("user_id") == user_id for m in frame.get("moves") or [])


def _moves_of(frames: list[dict[str, Any]], user_id: str) -> list[Tile]:
    return [(m["x"], m["y"]) for f in frames if f["type"] == "moves" for m in f["moves"] if m["user_id"] == user_id]


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@example(case=CORNERS)
@given(case=cases())
async def test_no_accepted_move_ends_on_or_crosses_a_wall_and_every_refusal_has_a_reason(
    case: Case, walkers: Walkers
) -> None:
    print(f"ARK_TEST_SEED={RUN_SEED}")
    await _run(case, walkers)
