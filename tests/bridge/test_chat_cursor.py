"""The chat cursor on the socket (issue 8): its frames, resume by cursor, one resume at a time, live after replay."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from tests.bridge.conftest import BridgeProcess, Connect, NewPlayer, Player


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ({"type": "resume", "cursor": -1}, "invalid_field"),
        ({"type": "resume", "cursor": "7"}, "invalid_field"),
        ({"type": "resume", "cursor": 1.5}, "invalid_field"),
        ({"type": "resume", "cursor": False}, "invalid_field"),
        ({"type": "resume", "cursor": 2**63}, "invalid_field"),
        ({"type": "resume", "cursor": 1, "after_message_id": 1}, "missing_field"),
    ],
)
async def test_a_bad_resume_gets_an_error_frame(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer, frame: dict[str, Any], code: str
) -> None:
    sock = await open_socket(bridge, new_player().token)
    await sock.send(frame)
    assert (await sock.expect("error"))["code"] == code
    await sock.ping()


async def private_session(a: Player, b: Player) -> str:
    response = await a.rpc("start_chat", other_user_id=b.user_id)
    assert response.status_code == 200, response.text
    session_id: str = response.json()["id"]
    return session_id


def store(owner_conn: psycopg.Connection[Any], session_id: str, sender: Player, count: int) -> list[int]:
    """count committed messages from sender, stored as the owner in one statement (no rate limit)."""
    rows = owner_conn.execute(
        "INSERT INTO app.chat_messages (session_id, sender_type, sender_id, sender_name, content)"
        " SELECT %s, 'user', %s, %s, 'bulk ' || g FROM generate_series(1, %s) g RETURNING id",
        (session_id, sender.user_id, sender.name, count),
    ).fetchall()
    return sorted(int(r[0]) for r in rows)


async def test_resume_by_cursor_replays_what_came_after_it_once_and_says_where_the_socket_is(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer, owner_conn: psycopg.Connection[Any]
) -> None:
    ada, bob = new_player("Ada"), new_player("Bob")
    session = await private_session(ada, bob)
    first = await open_socket(bridge, ada.token, name="first")
    cursor = first.frames[0]["cursor"]
    await first.close()
    missed = store(owner_conn, session, bob, 3)

    again = await open_socket(bridge, ada.token, name="again")
    await again.send({"type": "resume", "cursor": cursor})
    resumed = await again.expect("resumed")
    chat = [f for f in again.frames if f["type"] == "chat_message"]
    assert [f["message"]["id"] for f in chat] == missed
    cursors = [f["cursor"] for f in chat]
    assert cursors == sorted(cursors) and len(set(cursors)) == 3 and cursors[0] > cursor
    assert resumed == {"type": "resumed", "cursor": resumed["cursor"]} and resumed["cursor"] >= cursors[-1]

    # From the last cursor there is nothing more; a live message then carries the next cursor.
    await again.send({"type": "resume", "cursor": resumed["cursor"]})
    assert (await again.expect("resumed"))["cursor"] == resumed["cursor"]
    sent = await bob.rpc("send_message", session_id=session, content="live")
    live = await again.expect("chat_message", where=lambda f: f["message"]["id"] == sent.json()["id"])
    assert live["cursor"] > resumed["cursor"]
    assert [f["message"]["id"] for f in again.frames if f["type"] == "chat_message"] == [*missed, sent.json()["id"]]


async def test_a_second_resume_while_one_runs_is_refused_with_busy_and_nothing_arrives_twice(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer, owner_conn: psycopg.Connection[Any]
) -> None:
    ada, bob = new_player("Ada"), new_player("Bob")
    session = await private_session(ada, bob)
    sock = await open_socket(bridge, ada.token, name="ada")
    start = sock.frames[0]["cursor"]
    await sock.close()
    missed = store(owner_conn, session, bob, 2500)  # five replay pages: the first resume takes a while

    again = await open_socket(bridge, ada.token, name="again")
    await again.send({"type": "resume", "cursor": start})
    await again.send({"type": "resume", "cursor": start})
    await again.expect("resumed", timeout=30)
    await again.drain(0.5)
    errors = [f for f in again.frames if f["type"] == "error"]
    assert [e["code"] for e in errors] == ["busy"]
    assert len([f for f in again.frames if f["type"] == "resumed"]) == 1
    assert [f["message"]["id"] for f in again.frames if f["type"] == "chat_message"] == missed


async def test_live_chat_waits_for_the_first_frame_so_a_resume_replays_in_order_first(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer, owner_conn: psycopg.Connection[Any]
) -> None:
    ada, bob = new_player("Ada"), new_player("Bob")
    session = await private_session(ada, bob)
    sock = await open_socket(bridge, ada.token, name="ada")
    start = sock.frames[0]["cursor"]
    await sock.close()
    missed = store(owner_conn, session, bob, 5)

    again = await open_socket(bridge, ada.token, name="again")
    # A message sent after the socket opened and before its first frame: it must follow the replay.
    live = (await bob.rpc("send_message", session_id=session, content="meanwhile")).json()["id"]
    await again.drain(0.3)
    assert [f for f in again.frames if f["type"] == "chat_message"] == [], "live chat waits for the first frame"
    await again.send({"type": "resume", "cursor": start})
    await again.expect("chat_message", where=lambda f: f["message"]["id"] == live)
    chat = [f for f in again.frames if f["type"] == "chat_message"]
    assert [f["message"]["id"] for f in chat] == [*missed, live]
    assert [f["cursor"] for f in chat] == sorted(f["cursor"] for f in chat)


async def test_without_a_first_frame_live_chat_flows_after_a_second(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer
) -> None:
    ada, bob = new_player("Ada"), new_player("Bob")
    session = await private_session(ada, bob)
    sock = await open_socket(bridge, ada.token, name="ada")
    sent = (await bob.rpc("send_message", session_id=session, content="hello")).json()["id"]
    frame = await sock.expect("chat_message", timeout=3)
    assert frame["message"]["id"] == sent
    assert frame["cursor"] > sock.frames[0]["cursor"]


async def test_a_cursor_in_the_url_replays_first_however_late_the_first_frame_comes(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer, owner_conn: psycopg.Connection[Any]
) -> None:
    ada, bob = new_player("Ada"), new_player("Bob")
    session = await private_session(ada, bob)
    sock = await open_socket(bridge, ada.token, name="ada")
    start = sock.frames[0]["cursor"]
    await sock.close()
    missed = store(owner_conn, session, bob, 4)

    # The ws URL with &cursor=: no frame from the client at all, for longer than the first-frame wait.
    again = await open_socket(bridge, f"{ada.token}&cursor={start}", name="again")
    live = (await bob.rpc("send_message", session_id=session, content="meanwhile")).json()["id"]
    await again.expect("chat_message", timeout=5, where=lambda f: f["message"]["id"] == live)
    await again.drain(1.5)
    chat = [f for f in again.frames if f["type"] == "chat_message"]
    assert [f["message"]["id"] for f in chat] == [*missed, live]
    assert [f["cursor"] for f in chat] == sorted(f["cursor"] for f in chat)
    assert [f["type"] for f in again.frames if f["type"] in ("resumed", "chat_message")][len(missed)] == "resumed"


async def test_a_cursor_beyond_the_streams_head_is_answered_with_the_head(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer
) -> None:
    # A cursor from another stream (a database restored elsewhere, a revert): the client gets the head, and
    # what comes from now on, instead of a cursor that would hide new messages.
    ada, bob = new_player("Ada"), new_player("Bob")
    session = await private_session(ada, bob)
    sock = await open_socket(bridge, ada.token, name="ada")
    head = sock.frames[0]["cursor"]
    await sock.send({"type": "resume", "cursor": head + 1_000_000})
    resumed = await sock.expect("resumed")
    assert head <= resumed["cursor"] < head + 1_000_000
    sent = (await bob.rpc("send_message", session_id=session, content="new")).json()["id"]
    assert (await sock.expect("chat_message"))["message"]["id"] == sent


async def test_a_resume_that_fails_closes_the_socket_with_1011_and_releases_nothing_past_it(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer, owner_conn: psycopg.Connection[Any]
) -> None:
    # Releasing live chat after a failed replay would leave a gap behind the client's last cursor that it could
    # never ask for again. The socket closes instead, and a new one resumes from the same cursor, exactly.
    ada, bob = new_player("Ada"), new_player("Bob")
    session = await private_session(ada, bob)
    sock = await open_socket(bridge, ada.token, name="ada")
    start = sock.frames[0]["cursor"]
    await sock.close()
    missed = store(owner_conn, session, bob, 3)

    original = owner_conn.execute(
        "SELECT pg_get_functiondef('realtime.chat_replay(uuid, bigint, integer)'::regprocedure)"
    ).fetchone()
    assert original is not None
    owner_conn.execute(
        "CREATE OR REPLACE FUNCTION realtime.chat_replay(user_id uuid, after_position bigint,"
        " max_rows integer DEFAULT 500) RETURNS jsonb LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = '' AS"
        " $$ BEGIN RAISE EXCEPTION 'the replay is out of order today' USING ERRCODE = '58000'; END $$"
    )
    try:
        again = await open_socket(bridge, ada.token, name="again")
        live = (await bob.rpc("send_message", session_id=session, content="meanwhile")).json()["id"]
        await again.send({"type": "resume", "cursor": start})
        assert await again.closed_with() == 1011
        assert [f for f in again.frames if f["type"] == "chat_message"] == [], "nothing beyond the client's cursor"
    finally:
        owner_conn.execute(original[0])
    third = await open_socket(bridge, ada.token, name="third")
    await third.send({"type": "resume", "cursor": start})
    await third.expect("resumed")
    assert [f["message"]["id"] for f in third.frames if f["type"] == "chat_message"] == [*missed, live]
