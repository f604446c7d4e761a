"""Chat through the bridge: the database's audience only, agent_service feed, long messages, resume without loss."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import psycopg

from tests.bridge.conftest import (
    BridgeProcess,
    Connect,
    NewPlayer,
    Player,
    Socket,
    StartBridge,
    listener_pids,
    wait_until,
    with_cursor,
)
from tests.bridge.test_hub import join
from tests.bridge.test_listener import terminate


def chat_ids(sock: Socket) -> list[int]:
    return [f["message"]["id"] for f in sock.frames if f["type"] == "chat_message"]


async def send(player: Player, session_id: str, content: str) -> dict[str, Any]:
    response = await player.rpc("send_message", session_id=session_id, content=content)
    assert response.status_code == 200, response.text
    message: dict[str, Any] = response.json()
    return message


async def agent_reply(postgrest: str, agent_token: str, session_id: str, content: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=postgrest, headers={"Authorization": f"Bearer {agent_token}"}) as http:
        response = await http.post("/rpc/post_agent_reply", json={"session_id": session_id, "content": content})
    assert response.status_code == 200, response.text
    message: dict[str, Any] = response.json()
    return message


async def readable_ids(player: Player, session_id: str) -> list[int]:
    """The session's message ids as GET /chat_messages pages them (keyset, 1000 at most per page)."""
    ids: list[int] = []
    while True:
        params = {"session_id": f"eq.{session_id}", "order": "id.asc", "limit": "1000", "select": "id"}
        if ids:
            params["id"] = f"gt.{ids[-1]}"
        response = await player.http.get("/chat_messages", params=params)
        assert response.status_code == 200, response.text
        page = [m["id"] for m in response.json()]
        ids += page
        if len(page) < 1000:
            return ids


async def start_agent_chat(player: Player, agent: str = "scout") -> dict[str, Any]:
    response = await player.rpc("start_chat", agent_slug=agent)
    assert response.status_code == 200, response.text
    session: dict[str, Any] = response.json()
    return session


async def test_agent_chat_message_reaches_its_user_on_every_socket_and_nobody_else(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer
) -> None:
    ada, bob = new_player("Ada"), new_player("Bob")
    tab1 = await open_socket(bridge, ada.token, name="ada tab 1")
    tab2 = await open_socket(bridge, ada.token, name="ada tab 2")
    other = await open_socket(bridge, bob.token, name="bob")
    session = await start_agent_chat(ada)

    greeting = await tab1.expect("chat_message")
    assert greeting["message"]["sender_type"] == "agent"
    assert greeting["message"]["session_id"] == session["id"]
    assert set(greeting["message"]) == {
        "id",
        "session_id",
        "type",
        "sender_type",
        "sender_id",
        "sender_name",
        "content",
        "created_at",
    }
    assert await tab2.expect("chat_message") == greeting

    sent = await send(ada, session["id"], "find me papers on tides")
    for tab in (tab1, tab2):
        frame = await tab.expect("chat_message", where=lambda f: f["message"]["id"] == sent["id"])
        assert frame["message"]["content"] == "find me papers on tides"
        assert frame["message"]["sender_id"] == ada.user_id

    # Bob's own chat comes after Ada's in commit order; he never saw hers.
    mine = await start_agent_chat(bob, "sage")
    await other.expect("chat_message", where=lambda f: f["message"]["session_id"] == mine["id"])
    assert not [f for f in other.frames if f["type"] == "chat_message" and f["message"]["session_id"] == session["id"]]


async def open_private_chat(a: Player, b: Player, owner_conn: psycopg.Connection[Any]) -> str:
    """The private session of a and b: through POST /rpc/start_chat, or created by the owner if it fails.

    The owner path exists because start_chat {other_user_id} answers 42702 (an ambiguous column in its
    ON CONFLICT clause) at the time of writing; what is tested here is delivery, not opening a session.
    """
    response = await a.rpc("start_chat", other_user_id=b.user_id)
    if response.status_code == 200:
        return str(response.json()["id"])
    row = owner_conn.execute(
        "INSERT INTO app.chat_sessions (type, user_id, other_user_id) VALUES ('private', %s, %s) RETURNING id",
        (a.user_id, b.user_id),
    ).fetchone()
    assert row is not None
    return str(row[0])


async def test_private_chat_reaches_both_players_and_never_a_third(
    bridge: BridgeProcess,
    open_socket: Connect,
    new_player: NewPlayer,
    agent_token: str,
    owner_conn: psycopg.Connection[Any],
) -> None:
    ada, bob, eve = new_player("Ada"), new_player("Bob"), new_player("Eve")
    a = await open_socket(bridge, ada.token, name="ada")
    b = await open_socket(bridge, bob.token, name="bob")
    e = await open_socket(bridge, eve.token, name="eve")
    worker = await open_socket(bridge, agent_token, name="worker")
    session_id = await open_private_chat(ada, bob, owner_conn)

    hello = await send(ada, session_id, "hi Bob")
    reply = await send(bob, session_id, "hi Ada")
    for sock in (a, b):
        await sock.expect("chat_message", where=lambda f: f["message"]["id"] == reply["id"])
        assert chat_ids(sock) == [hello["id"], reply["id"]]
        assert sock.frames[-1]["message"]["type"] == "private"

    # Eve's own message arrives after both in commit order: she saw neither, and cannot read them.
    mine = await start_agent_chat(eve)
    own = await send(eve, mine["id"], "anyone?")
    await e.expect("chat_message", where=lambda f: f["message"]["id"] == own["id"])
    assert hello["id"] not in chat_ids(e) and reply["id"] not in chat_ids(e)
    assert await readable_ids(eve, session_id) == []
    await e.send({"type": "resume", "after_message_id": hello["id"] - 1})
    await e.expect("resumed")
    assert hello["id"] not in chat_ids(e) and reply["id"] not in chat_ids(e)
    # Nor the agent worker: a private chat is not an agent session.
    await worker.expect("chat_message", where=lambda f: f["message"]["id"] == own["id"])
    assert chat_ids(worker) == [own["id"]]


async def test_proximity_message_reaches_players_within_the_radius_only(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer, new_room: Callable[[], str]
) -> None:
    room = new_room()
    ada, near, far = new_player("Ada"), new_player("Near"), new_player("Far")
    a = await open_socket(bridge, ada.token, name="ada")
    n = await open_socket(bridge, near.token, name="near")
    f = await open_socket(bridge, far.token, name="far")
    for sock in (a, n, f):
        await join(sock, room)  # everyone at the spawn, (5, 5)
    await f.send({"type": "move", "x": 11, "y": 5, "direction": "right"})  # 6 tiles away; the radius is 5
    await a.expect("moves", where=lambda fr: fr["moves"][0]["user_id"] == far.user_id)

    response = await ada.rpc("say_nearby", content="psst")
    assert response.status_code == 200, response.text
    said = response.json()
    assert said["recipients"] == [near.user_id]
    heard = await n.expect("chat_message")
    assert heard["message"]["id"] == said["message"]["id"]
    assert heard["message"]["type"] == "proximity"
    await a.expect("chat_message", where=lambda fr: fr["message"]["id"] == said["message"]["id"])

    # Far walks back and says something; Ada hears it, and Far never got "psst".
    for x in (9, 7):
        step = {"user_id": far.user_id, "x": x, "y": 5, "direction": "left"}
        await f.send({"type": "move", "x": x, "y": 5, "direction": "left"})
        frame = await a.expect("moves", where=lambda fr: fr["moves"][0]["user_id"] == far.user_id)
        assert frame["moves"] == [step]
    response = await far.rpc("say_nearby", content="hello there")
    assert response.status_code == 200, response.text
    await a.expect("chat_message", where=lambda fr: fr["message"]["content"] == "hello there")
    await f.expect("chat_message", where=lambda fr: fr["message"]["content"] == "hello there")
    assert [fr["message"]["content"] for fr in f.frames if fr["type"] == "chat_message"] == ["hello there"]


async def test_agent_service_sockets_receive_user_messages_in_agent_sessions(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer, agent_token: str, postgrest: str
) -> None:
    worker = await open_socket(bridge, agent_token, name="worker")
    ada = new_player("Ada")
    a = await open_socket(bridge, ada.token, name="ada")
    session = await start_agent_chat(ada)
    greeting = await a.expect("chat_message")

    sent = await send(ada, session["id"], "what is new?")
    got = await worker.expect("chat_message")
    assert got["message"]["id"] == sent["id"], "the greeting (an agent's message) is not for the worker"
    assert got["message"]["sender_type"] == "user"
    assert got["message"]["type"] == "agent"

    reply = await agent_reply(postgrest, agent_token, session["id"], "Plenty.")
    await a.expect("chat_message", where=lambda f: f["message"]["id"] == reply["id"])
    # The worker's own reply does not come back to it; the next user message does.
    second = await send(ada, session["id"], "tell me more")
    assert (await worker.expect("chat_message"))["message"]["id"] == second["id"]
    assert chat_ids(worker) == [sent["id"], second["id"]]
    assert greeting["message"]["id"] < sent["id"] < reply["id"] < second["id"]


async def test_long_messages_arrive_whole(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer, agent_token: str, postgrest: str
) -> None:
    ada = new_player("Ada")
    a = await open_socket(bridge, ada.token, name="ada")
    worker = await open_socket(bridge, agent_token, name="worker")
    session = await start_agent_chat(ada)

    long_user_text = "ü€" * 2000  # 4000 characters, 10 000 bytes: more than a NOTIFY payload holds
    sent = await send(ada, session["id"], long_user_text)
    frame = await a.expect("chat_message", where=lambda f: f["message"]["id"] == sent["id"])
    assert frame["message"]["content"] == long_user_text
    assert (await worker.expect("chat_message"))["message"]["content"] == long_user_text

    long_reply = "".join(f"line {i}: the tide comes in twice a day.\n" for i in range(800))[:32000]
    reply = await agent_reply(postgrest, agent_token, session["id"], long_reply)
    frame = await a.expect("chat_message", where=lambda f: f["message"]["id"] == reply["id"])
    assert frame["message"]["content"] == long_reply
    assert len(frame["message"]["content"]) == 32000


async def test_resume_replays_in_order_only_what_the_user_may_read(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer
) -> None:
    ada, eve = new_player("Ada"), new_player("Eve")
    session = await start_agent_chat(ada)
    sent = [await send(ada, session["id"], f"note {i}") for i in range(3)]
    everything = await readable_ids(ada, session["id"])
    assert everything[1:] == [m["id"] for m in sent]

    a = await open_socket(bridge, ada.token, name="ada")
    await a.send({"type": "resume", "after_message_id": everything[0]})
    resumed = await a.expect("resumed")
    assert chat_ids(a) == everything[1:]
    assert with_cursor(resumed) == {"type": "resumed", "last_message_id": everything[-1]}

    e = await open_socket(bridge, eve.token, name="eve")
    await e.send({"type": "resume", "after_message_id": 0})
    assert with_cursor(await e.expect("resumed")) == {"type": "resumed", "last_message_id": 0}
    assert chat_ids(e) == []


async def test_resume_after_killed_listener_loses_and_duplicates_nothing(
    start_bridge: StartBridge,
    open_socket: Connect,
    new_player: NewPlayer,
    agent_token: str,
    postgrest: str,
    owner_conn: psycopg.Connection[Any],
) -> None:
    before = listener_pids(owner_conn)
    bridge = start_bridge()
    ours = listener_pids(owner_conn) - before
    ada = new_player("Ada")
    a = await open_socket(bridge, ada.token, name="ada")
    worker = await open_socket(bridge, agent_token, name="worker")
    session = await start_agent_chat(ada)
    first = await send(ada, session["id"], "before the outage")
    await a.expect("chat_message", where=lambda f: f["message"]["id"] == first["id"])
    await worker.expect("chat_message", where=lambda f: f["message"]["id"] == first["id"])

    # Keep the listener down while messages are stored: their notifications are certainly lost.
    owner_conn.execute("ALTER ROLE bridge CONNECTION LIMIT 0")
    try:
        terminate(owner_conn, ours)
        await wait_until(lambda: bridge.health().status_code == 503, what="the listener being down")
        during = [await send(ada, session["id"], f"during the outage {i}") for i in range(3)]
        during.append(await agent_reply(postgrest, agent_token, session["id"], "an answer nobody heard live"))
    finally:
        owner_conn.execute("ALTER ROLE bridge CONNECTION LIMIT -1")

    last = during[-1]["id"]
    await a.expect("chat_message", where=lambda f: f["message"]["id"] == last, timeout=5.0)
    after = await send(ada, session["id"], "after the outage")
    await a.expect("chat_message", where=lambda f: f["message"]["id"] == after["id"])
    await worker.expect("chat_message", where=lambda f: f["message"]["id"] == after["id"])

    assert chat_ids(a) == await readable_ids(ada, session["id"]), "every message once, in order"
    user_messages = [first["id"], *(m["id"] for m in during[:3]), after["id"]]
    assert chat_ids(worker) == user_messages


async def test_resume_after_bridge_restart_loses_and_duplicates_nothing(
    start_bridge: StartBridge, open_socket: Connect, new_player: NewPlayer, agent_token: str, postgrest: str
) -> None:
    bridge = start_bridge()
    ada = new_player("Ada")
    a = await open_socket(bridge, ada.token, name="ada")
    session = await start_agent_chat(ada)
    first = await send(ada, session["id"], "before the restart")
    await a.expect("chat_message", where=lambda f: f["message"]["id"] == first["id"])
    cursor = max(chat_ids(a))

    bridge.stop()
    during = [await send(ada, session["id"], f"while the bridge is down {i}") for i in range(3)]
    during.append(await agent_reply(postgrest, agent_token, session["id"], "a reply while it is down"))
    bridge.start_again()

    again = await open_socket(bridge, ada.token, name="ada again")
    await again.send({"type": "resume", "after_message_id": cursor})
    resumed = await again.expect("resumed")
    assert chat_ids(again) == [m["id"] for m in during]
    assert resumed["last_message_id"] == during[-1]["id"]
    live = await send(ada, session["id"], "after the restart")
    await again.expect("chat_message", where=lambda f: f["message"]["id"] == live["id"])
    await asyncio.sleep(0.2)
    await again.drain(0.1)

    seen = chat_ids(a) + chat_ids(again)
    assert seen == await readable_ids(ada, session["id"]), "every message once, in order, across both sockets"


async def test_live_message_during_a_long_replay_arrives_once_and_in_order(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer, owner_conn: psycopg.Connection[Any]
) -> None:
    ada = new_player("Ada")
    session = await start_agent_chat(ada)
    # A long history, written behind the API's back (no rate limit, no notifications): six replay pages.
    owner_conn.execute(
        "INSERT INTO app.chat_messages (session_id, sender_type, sender_id, sender_name, content)"
        " SELECT %s, 'user', %s, 'Ada', 'history ' || i FROM generate_series(1, 3000) AS i",
        (session["id"], ada.user_id),
    )
    a = await open_socket(bridge, ada.token, name="ada")
    await a.send({"type": "resume", "after_message_id": 0})
    await a.expect("chat_message")  # the replay is under way
    live = await send(ada, session["id"], "live during the replay")
    resumed = await a.expect("resumed", timeout=15.0)
    if live["id"] not in chat_ids(a):
        await a.expect("chat_message", where=lambda f: f["message"]["id"] == live["id"])

    ids = chat_ids(a)
    assert len(ids) == len(set(ids)), "no duplicates"
    assert ids == sorted(ids), "in id order: the live message waited for the replay"
    assert ids == await readable_ids(ada, session["id"])
    assert resumed["last_message_id"] in (ids[-1], ids[-2])


async def test_listener_outage_before_a_sockets_first_message_replays_exactly_what_it_missed(
    start_bridge: StartBridge,
    open_socket: Connect,
    new_player: NewPlayer,
    agent_token: str,
    owner_conn: psycopg.Connection[Any],
) -> None:
    # Ada has history from before her socket, which must stay put; the bridge, started after it, has
    # seen no chat at all (so it knows no newest id of its own to start her cursor from).
    ada = new_player("Ada")
    session = await start_agent_chat(ada)
    earlier = await send(ada, session["id"], "before the socket")
    before = listener_pids(owner_conn)
    bridge = start_bridge()
    ours = listener_pids(owner_conn) - before
    a = await open_socket(bridge, ada.token, name="ada")
    worker = await open_socket(bridge, agent_token, name="worker")

    # Neither socket has received anything when the listener goes, and stays, down.
    owner_conn.execute("ALTER ROLE bridge CONNECTION LIMIT 0")
    try:
        terminate(owner_conn, ours)
        await wait_until(lambda: bridge.health().status_code == 503, what="the listener being down")
        missed = await send(ada, session["id"], "while nobody listened")
    finally:
        owner_conn.execute("ALTER ROLE bridge CONNECTION LIMIT -1")

    await a.expect("chat_message", where=lambda f: f["message"]["id"] == missed["id"])
    await worker.expect("chat_message", where=lambda f: f["message"]["id"] == missed["id"])
    after = await send(ada, session["id"], "after the outage")
    for sock in (a, worker):
        await sock.expect("chat_message", where=lambda f: f["message"]["id"] == after["id"])
    await a.drain(0.1)
    assert chat_ids(a) == [missed["id"], after["id"]], "what it missed, once; nothing from before it connected"
    assert chat_ids(worker) == [missed["id"], after["id"]]
    assert earlier["id"] < missed["id"]
