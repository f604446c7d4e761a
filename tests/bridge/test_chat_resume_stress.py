"""Exact resume under stress (issue 8): nothing missing, nothing twice, whatever the commit order and the crashes.

A seeded random run against real servers. Readers hold sockets to a bridge of the test's own and drop
them at random moments (an abrupt TCP abort or a clean close), reconnect and resume with the cursor of
the last frame they received, as the README tells a client to. Meanwhile:

- SENDERS players send into private sessions with the readers over REST, concurrently, each with a
  client_msg_id and retrying a failed request with the same one (so a response lost to a crash never
  becomes a second message);
- a late sender stores messages in transactions it holds open for a while on a direct connection, so
  they commit after messages with higher ids have been delivered;
- the bridge is killed with SIGKILL and started again, twice, and PostgreSQL itself is restarted once.

Then every reader's received messages, over all its sockets, must be exactly what GET /chat_messages
shows in its sessions: no message missing, and none received twice (on one socket or across sockets).
ARK_TEST_SEED repeats a run (tests/seed.py); the seed is in pytest's header.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
import psycopg
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from tests.bridge.conftest import BridgeProcess, NewPlayer, Player, StartBridge
from tests.seed import RUN_SEED, rng_for

READERS = 2
SENDERS = 6
# Per sender: under the rate limit of 20 send_message per 10 s, with room for retries that store nothing.
SENDS_EACH = 14
LATE_MESSAGES = 8


@dataclass
class Reader:
    player: Player
    rng: random.Random
    cursor: int | None = None
    received: Counter[int] = field(default_factory=Counter)
    sockets: int = 0
    repeated_on_a_socket: list[int] = field(default_factory=list)
    cursor_went_back: int = 0

    async def session(self, bridge: BridgeProcess, lifetime: float | None) -> bool:
        """One socket: connect, resume, read until lifetime is over (None: until caught up and quiet)."""
        try:
            ws = await connect(f"{bridge.ws_url}?token={self.player.token}", open_timeout=2, close_timeout=1)
        except (OSError, InvalidHandshake, TimeoutError):
            return False  # the bridge is down: try again
        self.sockets += 1
        on_this_socket: set[int] = set()
        last_cursor = -1
        try:
            welcome = json.loads(await asyncio.wait_for(ws.recv(), 2))
            assert welcome["type"] == "welcome"
            if self.cursor is None:
                self.cursor = welcome["cursor"]
                assert self.cursor is not None, "the first socket opens while the database is up"
            await ws.send(json.dumps({"type": "resume", "cursor": self.cursor}))
            loop = asyncio.get_running_loop()
            deadline = None if lifetime is None else loop.time() + lifetime
            resumed = False
            while True:
                timeout = 1.0 if deadline is None else deadline - loop.time()
                if timeout <= 0:
                    break
                try:
                    frame = json.loads(await asyncio.wait_for(ws.recv(), timeout))
                except TimeoutError:
                    if deadline is None and resumed:
                        return True  # caught up, and quiet for a second
                    if deadline is None:
                        raise AssertionError("no resumed frame within a second of quiet") from None
                    break
                if frame["type"] == "chat_message":
                    message_id = frame["message"]["id"]
                    if message_id in on_this_socket:
                        self.repeated_on_a_socket.append(message_id)
                    on_this_socket.add(message_id)
                    self.received[message_id] += 1
                    if frame["cursor"] < last_cursor:
                        self.cursor_went_back += 1
                    last_cursor = frame["cursor"]
                    self.cursor = frame["cursor"]
                elif frame["type"] == "resumed":
                    resumed = True
                    self.cursor = frame["cursor"]
        except (ConnectionClosed, OSError, TimeoutError):
            return False
        finally:
            if self.rng.random() < 0.5 and ws.transport is not None:
                ws.transport.abort()  # the network drops: no close frame
            else:
                await ws.close()
        return False

    async def run(self, bridge: BridgeProcess, stop: asyncio.Event) -> None:
        while not stop.is_set():
            if not await self.session(bridge, self.rng.uniform(0.05, 0.6)):
                await asyncio.sleep(0.05)


async def send_with_retries(player: Player, session_id: str, content: str) -> None:
    """POST /rpc/send_message until it succeeds, always with the same client_msg_id."""
    key = str(uuid.uuid4())
    for _ in range(200):
        try:
            response = await player.rpc("send_message", session_id=session_id, content=content, client_msg_id=key)
        except httpx.TransportError:
            response = None
        if response is not None and response.status_code == 200:
            return
        if response is not None and response.status_code == 429:
            details = response.json()["details"]
            details = json.loads(details) if isinstance(details, str) else details
            await asyncio.sleep(float(details["retry_after"]))
        else:
            await asyncio.sleep(0.1)  # the database or PostgREST is restarting
    raise AssertionError(f"{player.name} could not send {content!r}")


async def late_sender(db_url: str, sender: Player, session_id: str, rng: random.Random) -> None:
    """Messages that commit late: each is stored, then its transaction stays open for a while."""
    claims = json.dumps({"role": "player", "sub": sender.user_id})
    sent = 0
    while sent < LATE_MESSAGES:
        try:
            async with await psycopg.AsyncConnection.connect(db_url) as conn:
                while sent < LATE_MESSAGES:
                    async with conn.transaction():
                        await conn.execute("SET LOCAL ROLE player")
                        await conn.execute("SELECT set_config('request.jwt.claims', %s, true)", (claims,))
                        await conn.execute("SELECT api.send_message(%s, %s)", (session_id, f"late {sent}"))
                        await asyncio.sleep(rng.uniform(0.2, 0.8))
                    sent += 1
        except psycopg.OperationalError:
            await asyncio.sleep(0.2)  # the server restarted: that message was rolled back, never stored


async def readable_ids(player: Player, session_ids: list[str]) -> set[int]:
    ids: set[int] = set()
    for session_id in session_ids:
        response = await player.http.get("/chat_messages", params={"session_id": f"eq.{session_id}", "select": "id"})
        assert response.status_code == 200, response.text
        ids.update(row["id"] for row in response.json())
    return ids


@pytest.mark.restarts_postgres
async def test_readers_that_reconnect_at_random_get_every_message_once_through_crashes_and_restarts(
    start_bridge: StartBridge,
    new_player: NewPlayer,
    db_url: str,
    restart_postgres: Callable[[], None],
) -> None:
    seed = RUN_SEED
    rng = rng_for("chat_resume_stress")
    bridge = start_bridge(BRIDGE_GRACE_SECONDS="0.5")

    readers = [Reader(new_player(f"Reader {i}"), random.Random(rng.random())) for i in range(READERS)]
    senders = [new_player(f"Sender {i}") for i in range(SENDERS)]
    late = new_player("Late sender")
    sessions: dict[tuple[int, int], str] = {}
    for r, reader in enumerate(readers):
        for s, sender in enumerate([*senders, late]):
            response = await sender.rpc("start_chat", other_user_id=reader.player.user_id)
            assert response.status_code == 200, response.text
            sessions[(r, s)] = response.json()["id"]

    stop = asyncio.Event()
    reading = [asyncio.create_task(reader.run(bridge, stop)) for reader in readers]
    await asyncio.sleep(0.5)  # every reader has a cursor before the first message

    async def sender_task(s: int, sender: Player) -> None:
        for n in range(SENDS_EACH):
            r = rng.randrange(READERS)
            await send_with_retries(sender, sessions[(r, s)], f"{sender.name} #{n}")
            await asyncio.sleep(rng.uniform(0, 0.15))

    async def chaos() -> None:
        for step in ("kill", "restart_postgres", "kill"):
            await asyncio.sleep(rng.uniform(0.8, 1.6))
            if step == "kill":
                assert bridge.proc.proc is not None
                os.kill(bridge.proc.proc.pid, signal.SIGKILL)
                bridge.proc.proc.wait()
                await asyncio.sleep(rng.uniform(0, 0.3))
                await asyncio.to_thread(bridge.start_again)
            else:
                await asyncio.to_thread(restart_postgres)

    late_index = len(senders)
    await asyncio.gather(
        chaos(),
        *(sender_task(s, sender) for s, sender in enumerate(senders)),
        *(late_sender(db_url, late, sessions[(r, late_index)], random.Random(rng.random())) for r in range(READERS)),
    )
    stop.set()
    await asyncio.gather(*reading)

    for r, reader in enumerate(readers):
        # A last socket resumes and reads until it is caught up and the stream is quiet.
        for _ in range(20):
            if await reader.session(bridge, None):
                break
        else:
            raise AssertionError(f"reader {r} could not catch up")
        expected = await readable_ids(reader.player, [sessions[(r, s)] for s in range(len(senders) + 1)])
        missing = expected - set(reader.received)
        twice = sorted(m for m, n in reader.received.items() if n > 1)
        extra = set(reader.received) - expected
        print(
            f"reader {r}: {len(expected)} messages, {reader.sockets} sockets, "
            f"{len(missing)} missing, {len(twice)} twice, {len(extra)} not readable"
        )
        assert not missing, f"reader {r} never got {sorted(missing)} (seed {seed})"
        assert not twice, f"reader {r} got {twice} more than once (seed {seed})"
        assert not reader.repeated_on_a_socket, f"reader {r}: ids repeated on one socket (seed {seed})"
        assert not extra, f"reader {r} got messages it cannot read: {sorted(extra)} (seed {seed})"
        assert reader.cursor_went_back == 0, f"reader {r}: a frame's cursor went back on one socket (seed {seed})"
        assert reader.sockets > 5, "the readers reconnected many times"
    assert sum(len(reader.received) for reader in readers) >= SENDERS * SENDS_EACH, "every REST message arrived"
