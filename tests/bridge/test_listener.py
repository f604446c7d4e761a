"""The LISTEN connection: a killed backend is noticed, replaced within 2 s, and every client resynchronized."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from tests.bridge.conftest import Connect, NewPlayer, StartBridge, listener_pids, wait_until
from tests.bridge.test_hub import join, mentions, player_in


def terminate(owner_conn: psycopg.Connection[Any], pids: set[int]) -> None:
    for pid in pids:
        row = owner_conn.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()
        assert row is not None and row[0] is True, f"could not terminate backend {pid}"


async def test_killed_listener_backend_events_flow_again_with_fresh_presence_state(
    start_bridge: StartBridge,
    open_socket: Connect,
    new_player: NewPlayer,
    new_room: Callable[[], str],
    owner_conn: psycopg.Connection[Any],
) -> None:
    before = listener_pids(owner_conn)
    bridge = start_bridge()
    ours = listener_pids(owner_conn) - before
    assert len(ours) == 1, f"the new bridge's listener backend, by application_name: {ours}"

    room = new_room()
    ada, bob = new_player("Ada"), new_player("Bob")
    a = await open_socket(bridge, ada.token, name="ada")
    await join(a, room)
    response = await bob.rpc("enter_room", room_slug=room)
    assert response.status_code == 200, response.text
    await a.expect("player_joined", where=lambda f: f["player"]["user_id"] == bob.user_id)

    loop = asyncio.get_running_loop()
    terminate(owner_conn, ours)
    killed_at = loop.time()
    # A move while the listener may be down: if its notification is lost, the fresh state shows it.
    response = await bob.rpc("move", x=6, y=5, direction="right")
    assert response.status_code == 200, response.text

    state = await a.expect("presence_state", room=room, timeout=2.0)
    assert loop.time() - killed_at < 2.0
    assert player_in(state, bob.user_id) is not None
    assert player_in(state, ada.user_id) is not None
    assert listener_pids(owner_conn) - before - ours, "a new listener backend"
    assert bridge.health().json() == {"status": "ok", "listener": "connected", "clients": 1}

    # Live events flow again, within 2 s of the kill.
    response = await bob.rpc("move", x=7, y=5, direction="right")
    assert response.status_code == 200, response.text
    moves = await a.expect(
        "moves",
        where=lambda f: any(m == {"user_id": bob.user_id, "x": 7, "y": 5, "direction": "right"} for m in f["moves"]),
    )
    assert moves["room"] == room
    assert loop.time() - killed_at < 2.0
    # Whatever Ada saw, her view ends with Bob where he is.
    assert "reconnecting" in bridge.log() or "connection lost" in bridge.log()


async def test_health_reports_degraded_while_the_listener_cannot_reconnect(
    start_bridge: StartBridge, owner_conn: psycopg.Connection[Any]
) -> None:
    before = listener_pids(owner_conn)
    bridge = start_bridge()
    ours = listener_pids(owner_conn) - before
    owner_conn.execute("ALTER ROLE bridge CONNECTION LIMIT 0")
    try:
        terminate(owner_conn, ours)
        degraded: dict[str, Any] = {}

        def is_degraded() -> bool:
            response = bridge.health()
            degraded.update(response.json())
            return response.status_code == 503

        await wait_until(is_degraded, what="GET /health answering 503")
        assert degraded == {"status": "degraded", "listener": "reconnecting", "clients": 0}
    finally:
        owner_conn.execute("ALTER ROLE bridge CONNECTION LIMIT -1")
    await wait_until(lambda: bridge.health().status_code == 200, timeout=5.0, what="the listener reconnecting")
    assert bridge.health().json()["listener"] == "connected"


async def test_listener_reconnect_resync_excludes_events_from_a_room_left_meanwhile(
    start_bridge: StartBridge,
    open_socket: Connect,
    new_player: NewPlayer,
    new_room: Callable[[], str],
    owner_conn: psycopg.Connection[Any],
) -> None:
    # Two rooms, one socket each; after the reconnect each gets its own room's state, nobody else's.
    before = listener_pids(owner_conn)
    bridge = start_bridge()
    ours = listener_pids(owner_conn) - before
    first, second = new_room(), new_room()
    ada, bob = new_player("Ada"), new_player("Bob")
    a = await open_socket(bridge, ada.token, name="ada")
    b = await open_socket(bridge, bob.token, name="bob")
    await join(a, first)
    await join(b, second)
    terminate(owner_conn, ours)
    state_a = await a.expect("presence_state", timeout=2.0)
    state_b = await b.expect("presence_state", timeout=2.0)
    assert (state_a["room"], state_b["room"]) == (first, second)
    assert [p["user_id"] for p in state_a["players"]] == [ada.user_id]
    assert [p["user_id"] for p in state_b["players"]] == [bob.user_id]
    await b.send({"type": "move", "x": 6, "y": 5, "direction": "right"})
    await a.send({"type": "move", "x": 6, "y": 5, "direction": "right"})
    await asyncio.sleep(0.3)
    await a.drain(0.1)
    assert not [f for f in a.frames if mentions(f, bob.user_id)]


class FreezingProxy:
    """A TCP proxy to PostgreSQL, in a thread of its own, that can go silent without closing anything.

    freeze() stops forwarding on every connection open at that moment, in both directions, while their
    TCP connections stay up: a peer that died without a FIN or RST looks exactly like this. Connections
    opened afterwards are forwarded normally.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.target_port = host, port
        self.loop = asyncio.new_event_loop()
        self.generation = 0
        self.port = 0
        self._ready = threading.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        self._writers: list[asyncio.StreamWriter] = []
        self._thread = threading.Thread(target=self._run, name="freezing-proxy", daemon=True)

    def start(self) -> None:
        self._thread.start()
        assert self._ready.wait(5), "the proxy did not start"

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._shutdown(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)
        self.loop.close()

    def freeze(self) -> None:
        self.generation += 1

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.server = self.loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = self.server.sockets[0].getsockname()[1]
        self._ready.set()
        self.loop.run_forever()

    async def _shutdown(self) -> None:
        self.server.close()
        for writer in self._writers:
            writer.close()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        born = self.generation
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self._writers.append(writer)
        try:
            up_reader, up_writer = await asyncio.open_connection(self.host, self.target_port)
        except OSError:
            writer.close()
            return
        self._writers.append(up_writer)

        async def pump(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            while data := await source.read(65536):
                if self.generation != born:
                    await asyncio.Event().wait()  # frozen: hold everything, close nothing
                sink.write(data)
                await sink.drain()
            sink.close()

        await asyncio.gather(pump(reader, up_writer), pump(up_reader, writer), return_exceptions=True)


@pytest.fixture
def pg_proxy(bridge_db_url: str) -> Iterator[tuple[FreezingProxy, str]]:
    """A FreezingProxy in front of the test database, and the bridge role's URL through it."""
    parts = urlsplit(bridge_db_url)
    proxy = FreezingProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    proxy.start()
    netloc = parts.netloc.rsplit("@", 1)[0] + f"@127.0.0.1:{proxy.port}"
    yield proxy, urlunsplit(parts._replace(netloc=netloc))
    proxy.stop()


async def test_silently_dead_listener_connection_is_noticed_by_the_keepalive(
    start_bridge: StartBridge,
    open_socket: Connect,
    new_player: NewPlayer,
    new_room: Callable[[], str],
    pg_proxy: tuple[FreezingProxy, str],
) -> None:
    proxy, proxied_url = pg_proxy
    bridge = start_bridge(BRIDGE_DATABASE_URL=proxied_url, BRIDGE_LISTENER_KEEPALIVE="1", BRIDGE_DB_TIMEOUT="2")
    room = new_room()
    ada, bob = new_player("Ada"), new_player("Bob")
    a = await open_socket(bridge, ada.token, name="ada")
    await join(a, room)
    response = await bob.rpc("enter_room", room_slug=room)  # PostgREST talks to the database directly
    assert response.status_code == 200, response.text
    await a.expect("player_joined", where=lambda f: f["player"]["user_id"] == bob.user_id)

    proxy.freeze()  # the listener's connection (and the pool's) go silent; no FIN, no RST
    await wait_until(lambda: bridge.health().status_code == 503, timeout=6.0, what="the keep-alive noticing")
    await wait_until(lambda: bridge.health().status_code == 200, timeout=6.0, what="a new listener connection")

    response = await bob.rpc("move", x=6, y=5, direction="right")
    assert response.status_code == 200, response.text
    await a.expect("moves", where=lambda f: mentions(f, bob.user_id), timeout=5.0)
    assert "listener: connection lost (OperationalError: the database did not answer within 1 s)" in bridge.log()
