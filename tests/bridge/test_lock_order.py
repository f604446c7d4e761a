"""Issue 8, section 4: realtime.touch and realtime.apply_moves lock presence rows in one order.

touch used to lock rows in scan order and apply_moves in arrival order, so a heartbeat beside a tick
of moves deadlocked (40P01) and PostgreSQL aborted one of them: a whole tick of moves lost. Here two
"bridges" apply shuffled batches of moves for the same players while a third touches them all
without pause, for a fixed number of rounds, and not one deadlock may occur.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import psycopg

from tests.bridge.conftest import NewPlayer
from tests.seed import RUN_SEED, rng_for

PLAYERS = 20
ROUNDS = 300


async def test_heartbeats_beside_batches_of_moves_never_deadlock(
    bridge_db_url: str, new_player: NewPlayer, new_room: Callable[[], str]
) -> None:
    rng = rng_for("lock_order")
    room = new_room()
    users = [new_player(f"Locker {i}").user_id for i in range(PLAYERS)]
    async with await psycopg.AsyncConnection.connect(bridge_db_url, autocommit=True) as conn:
        for i, user_id in enumerate(users):
            await conn.execute("SELECT realtime.join(%s::uuid, %s, %s)", (user_id, room, f"lock-order-{i}"))

    deadlocks: list[str] = []

    async def mover(name: str, rounds: int) -> None:
        async with await psycopg.AsyncConnection.connect(bridge_db_url, autocommit=True) as conn:
            for step in range(rounds):
                if deadlocks:
                    return  # one is proof enough; each costs a deadlock_timeout (1 s) to detect
                order = users[:]
                rng.shuffle(order)
                moves = [{"user_id": u, "x": 5 + step % 2, "y": 5, "direction": "right"} for u in order]
                try:
                    await conn.execute("SELECT realtime.apply_moves(%s::jsonb)", (json.dumps(moves),))
                except psycopg.errors.DeadlockDetected as exc:
                    deadlocks.append(f"{name}: {exc}")

    async def toucher(until: asyncio.Event) -> int:
        touches = 0
        async with await psycopg.AsyncConnection.connect(bridge_db_url, autocommit=True) as conn:
            while not until.is_set() and not deadlocks:
                try:
                    await conn.execute("SELECT realtime.touch(%s::uuid[])", (users,))
                    await conn.execute("SELECT realtime.sweep(interval '1 hour', interval '2 hours')")
                except psycopg.errors.DeadlockDetected as exc:
                    deadlocks.append(f"touch: {exc}")
                touches += 1
        return touches

    done = asyncio.Event()
    touching = asyncio.create_task(toucher(done))
    try:
        await asyncio.gather(mover("bridge 1", ROUNDS), mover("bridge 2", ROUNDS))
    finally:
        done.set()
        touches = await touching
    assert touches > 0
    assert not deadlocks, f"{len(deadlocks)} deadlocks in {ROUNDS} rounds (ARK_TEST_SEED={RUN_SEED}): {deadlocks[:3]}"
