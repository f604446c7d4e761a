"""A client that stops reading is closed with 1013; the others keep receiving and memory stays flat."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg

from tests.bridge.conftest import Connect, NewPlayer, Player, Socket, StartBridge, small_buffer_socket
from tests.bridge.test_hub import join

FLOOD = 600
ROUNDS = 3
PAD = 7000  # bytes per frame: near NOTIFY's 8000-byte limit, so buffers fill fast


def flood(owner_conn: psycopg.Connection[Any], room: str, user_id: str, start: int, count: int) -> None:
    """Announce `count` big player_status frames in `room`, the way any writer in the database would."""
    owner_conn.execute(
        "SELECT pg_notify('presence', json_build_object('type', 'player_status', 'world', 'ark', 'room', %s::text,"
        " 'user_id', %s::text, 'status', 'busy', 'seq', i, 'pad', repeat('x', %s::int))::text)"
        " FROM generate_series(%s::int, %s::int) AS i",
        (room, user_id, PAD, start, start + count - 1),
    )


async def read_statuses(sock: Socket, count: int) -> list[dict[str, Any]]:
    statuses: list[dict[str, Any]] = []
    while len(statuses) < count:
        frame = await sock.recv()
        if frame["type"] == "player_status":
            statuses.append(frame)
    return statuses


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


async def test_slow_client_is_closed_with_1013_while_others_keep_receiving(
    start_bridge: StartBridge,
    open_socket: Connect,
    new_player: NewPlayer,
    new_room: Callable[[], str],
    owner_conn: psycopg.Connection[Any],
) -> None:
    bridge = start_bridge(BRIDGE_SEND_QUEUE="32")
    room = new_room()
    ada, slow_player = new_player("Ada"), new_player("Sloth")
    fast = await open_socket(bridge, ada.token, name="fast")
    # The slow client: a tiny kernel receive buffer, and its library stops reading after one frame.
    slow = await open_socket(bridge, slow_player.token, name="slow", sock=small_buffer_socket(bridge.port), max_queue=1)
    await join(fast, room)
    await join(slow, room)
    await slow.drain(0.1)

    assert bridge.proc.proc is not None
    rss_before = rss_kib(bridge.proc.proc.pid)
    for round_ in range(ROUNDS):
        first = round_ * FLOOD + 1
        flood(owner_conn, room, slow_player.user_id, first, FLOOD)
        # The fast client gets every frame, in order (the slow one's player_left may come in between).
        seqs = [f["seq"] for f in await read_statuses(fast, FLOOD)]
        assert seqs == list(range(first, first + FLOOD))
    rss_growth_mib = (rss_kib(bridge.proc.proc.pid) - rss_before) / 1024
    # The slow client's share stays bounded by its queue; unbounded, it would hold all 12 MB of the floods.
    assert rss_growth_mib < 6, f"the bridge grew by {rss_growth_mib:.1f} MiB"

    # The slow client reads again: what was already on the wire, then the close.
    assert await slow.closed_with(timeout=10.0) == 1013
    received = [f for f in slow.frames if f.get("type") == "player_status"]
    assert len(received) < FLOOD, "it was dropped long before the end of the flood"
    assert "closing it with 1013" in bridge.log()

    await fast.ping()
    assert bridge.health().json()["clients"] == 1


async def chat_burst(player: Player, count: int) -> list[int]:
    """Opens the player's chat with scout and sends `count` messages there; returns their ids."""
    session = (await player.rpc("start_chat", agent_slug="scout")).json()
    sent = []
    for i in range(count):
        response = await player.rpc("send_message", session_id=session["id"], content=f"message {i}")
        assert response.status_code == 200, response.text
        sent.append(response.json()["id"])
    return sent


async def test_messages_stored_just_before_a_socket_opens_wait_for_its_resume(
    start_bridge: StartBridge, open_socket: Connect, new_player: NewPlayer
) -> None:
    # The chat tail may still be delivering messages stored a moment before a socket connects. They are
    # older than the socket, so they reach it by resume only: never live, where a burst of them would
    # overflow a small queue (1013) before the client asked for anything. Several tries, because the
    # window is a few milliseconds wide.
    bridge = start_bridge(BRIDGE_SEND_QUEUE="4")
    for attempt in range(10):
        ada = new_player(f"Ada {attempt}")  # a new player each time: 12 messages stay under the rate limit
        sent = await chat_burst(ada, 12)
        sock = await open_socket(bridge, ada.token, name=f"ada-{attempt}")
        await sock.ping()
        await sock.drain(0.1)  # five polls of the tail
        await sock.ping()
        live = [f["message"]["id"] for f in sock.frames if f["type"] == "chat_message"]
        assert [m for m in live if m <= sent[-1]] == [], f"try {attempt}: older messages arrived live"
        await sock.close()


async def test_resume_with_more_messages_than_the_send_queue_holds_is_not_cut_off(
    start_bridge: StartBridge, open_socket: Connect, new_player: NewPlayer
) -> None:
    # A replay waits for room in the queue instead of overflowing it: 1013 is for clients that stall.
    bridge = start_bridge(BRIDGE_SEND_QUEUE="4")
    ada = new_player("Ada")
    sent = await chat_burst(ada, 12)
    sock = await open_socket(bridge, ada.token, name="ada")
    await sock.send({"type": "resume", "after_message_id": sent[0] - 1})
    resumed = await sock.expect("resumed")
    got = [f["message"]["id"] for f in sock.frames if f["type"] == "chat_message"]
    assert got == sent
    assert resumed["last_message_id"] == sent[-1]
