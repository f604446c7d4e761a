"""Private chat consent over REST (issue 9, section 3): blocks, what a blocked player is told, and the
limit on new private sessions per sender, against the real PostgREST.

A blocked player must not be able to tell a block from an ordinary refusal: each test compares the
whole answer (status, reason phrase, code, message, hint) with that of a session or player they could
never reach anyway.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import psycopg

from tests.api.expect import NOT_FOUND, error, ok, retry_after
from tests.support.protocols import Player, PlayerFactory


def scalar(owner: psycopg.Connection[Any], sql: str, *params: Any) -> Any:
    row = owner.execute(sql, params).fetchone()
    assert row is not None
    return row[0]


def refusal(response: httpx.Response) -> tuple[int, str, dict[str, Any]]:
    """What a client can read of an error, except details (which repeat the id it sent)."""
    body = dict(response.json())
    body.pop("details")
    return response.status_code, response.reason_phrase, body


def start_private(me: Player, other_id: str) -> httpx.Response:
    return me.http.post("/rpc/start_chat", json={"other_user_id": other_id})


def send(me: Player, session_id: str, content: str) -> httpx.Response:
    return me.http.post("/rpc/send_message", json={"session_id": session_id, "content": content})


def plain_users(owner: psycopg.Connection[Any], count: int, prefix: str) -> list[str]:
    """Players who never sign in: made as the owner, so that login_anonymous's own limits stay out of it."""
    rows = owner.execute(
        "INSERT INTO app.users (display_name, avatar_sprite)"
        " SELECT %s || ' ' || n, 'brendan' FROM generate_series(1, %s) n RETURNING id",
        (prefix, count),
    ).fetchall()
    return [str(row[0]) for row in rows]


def test_a_block_is_idempotent_and_only_the_blocker_sees_it(new_player: PlayerFactory) -> None:
    ada, bob = new_player("Ada"), new_player("Bob")
    for _ in range(2):
        assert ok(ada.http.post("/rpc/block_user", json={"user_id": bob.user_id})) == {
            "user_id": bob.user_id,
            "blocked": True,
        }
    listed = ok(ada.http.get("/blocked_users"))
    assert [row["user_id"] for row in listed] == [bob.user_id]
    assert set(listed[0]) == {"user_id", "created_at"}

    # Bob finds nothing, however he asks.
    assert ok(bob.http.get("/blocked_users")) == []
    assert ok(bob.http.get("/blocked_users", params={"user_id": f"eq.{bob.user_id}"})) == []
    assert (
        ok(bob.http.get("/blocked_users", params={"or": f"(user_id.eq.{bob.user_id},user_id.neq.{bob.user_id})"})) == []
    )
    counted = bob.http.get("/blocked_users", headers={"Prefer": "count=exact"})
    assert ok(counted) == [] and counted.headers["Content-Range"].endswith("/0")
    error(bob.http.get("/user_blocks"), 404, "42P01")  # the table is not in the api schema

    assert ok(ada.http.post("/rpc/unblock_user", json={"user_id": bob.user_id})) == {
        "user_id": bob.user_id,
        "blocked": False,
    }
    assert ok(ada.http.post("/rpc/unblock_user", json={"user_id": bob.user_id}))["blocked"] is False
    assert ok(ada.http.get("/blocked_users")) == []


def test_blocking_yourself_is_400_and_an_unknown_user_404_repeating_nothing(player: Player) -> None:
    for function in ("block_user", "unblock_user"):
        mine = error(player.http.post(f"/rpc/{function}", json={"user_id": player.user_id}), 400, "22023")
        assert mine["message"] == "you cannot block yourself"
        nobody = str(uuid.uuid4())
        response = player.http.post(f"/rpc/{function}", json={"user_id": nobody})
        body = error(response, 404, NOT_FOUND, "unknown user")
        assert response.reason_phrase == "Not Found"
        assert body["details"] is None and nobody not in response.text
    error(player.http.post("/rpc/block_user", json={"user_id": "not-a-uuid"}), 400, "22P02")


def test_a_blocked_player_is_refused_like_a_stranger_and_keeps_the_history(
    new_player: PlayerFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    ada, bob, cat, dan = (new_player(name) for name in ("Ada", "Bob", "Cat", "Dan"))
    session = ok(start_private(bob, ada.user_id))["id"]
    strangers = ok(start_private(cat, dan.user_id))["id"]
    ok(send(bob, session, "hello Ada"))
    ok(ada.http.post("/rpc/block_user", json={"user_id": bob.user_id}))

    refused = send(bob, session, "why no answer?")
    error(refused, 404, NOT_FOUND, "unknown chat session")
    assert refusal(refused) == refusal(send(bob, strangers, "why no answer?"))
    started = start_private(bob, ada.user_id)
    error(started, 404, NOT_FOUND, "unknown user")
    assert refusal(started) == refusal(start_private(bob, str(uuid.uuid4())))

    stored = scalar(
        owner_conn, "SELECT array_agg(content ORDER BY id) FROM app.chat_messages WHERE session_id = %s", session
    )
    assert stored == ["hello Ada"]
    history = ok(bob.http.get("/chat_messages", params={"session_id": f"eq.{session}"}))
    assert [m["content"] for m in history] == ["hello Ada"]
    assert session in {s["id"] for s in ok(bob.http.get("/chat_sessions"))}

    # The block is Ada's choice about Bob only: Ada may still write, Bob may still talk to others.
    ok(send(ada, session, "one last word"))
    ok(start_private(bob, cat.user_id))

    ok(ada.http.post("/rpc/unblock_user", json={"user_id": bob.user_id}))
    ok(send(bob, session, "back again"))
    assert ok(start_private(bob, ada.user_id))["id"] == session


def test_twenty_concurrent_new_private_chats_make_ten_sessions_and_ten_429s(
    player: Player, postgrest: str, owner_conn: psycopg.Connection[Any]
) -> None:
    others = plain_users(owner_conn, 20, f"Target {player.user_id[:8]}")
    start = threading.Barrier(len(others))
    clients = [
        httpx.Client(base_url=postgrest, headers={"Authorization": f"Bearer {player.token}"}, timeout=20.0)
        for _ in others
    ]

    def call(http: httpx.Client, other: str) -> httpx.Response:
        start.wait(timeout=10)
        return http.post("/rpc/start_chat", json={"other_user_id": other})

    try:
        with ThreadPoolExecutor(len(others)) as pool:
            responses = list(pool.map(call, clients, others))
    finally:
        for http in clients:
            http.close()

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * 10 + [429] * 10, [r.text[:200] for r in responses]
    for response in responses:
        if response.status_code == 429:
            body = error(response, 429, "PT429", "rate limit exceeded")
            assert int(response.headers["Retry-After"]) == retry_after(body) > 0
    sessions = scalar(
        owner_conn,
        "SELECT count(*) FROM app.chat_sessions WHERE type = 'private' AND user_id = %s",
        player.user_id,
    )
    assert sessions == 10

    # Starting a chat that exists returns it and costs nothing, from either end; a new one is still refused.
    started = [other for other, r in zip(others, responses, strict=True) if r.status_code == 200]
    refused = [other for other, r in zip(others, responses, strict=True) if r.status_code == 429]
    for other in started:
        assert ok(start_private(player, other))["other_user_id"] == other
    error(start_private(player, refused[0]), 429, "PT429")
    state = scalar(
        owner_conn,
        "SELECT extract(epoch FROM tat - now())::integer FROM app.rate_limit_state"
        " WHERE user_id = %s AND action = 'start_private_chat'",
        player.user_id,
    )
    assert 3500 < state <= 3600, state  # 10 sessions x 6 minutes, minus the seconds the test took


def test_calls_that_began_earlier_but_reach_the_limiter_later_still_get_exactly_ten(
    db_url: str, owner_conn: psycopg.Connection[Any]
) -> None:
    """Twenty transactions begin one after another, then call start_chat newest first, each committing
    before the next: the limiter's row lock is taken in the reverse order of their now(). A limiter that
    judged every call at its transaction's start refused the 10th, whose now() is the earliest so far."""
    sender, *others = plain_users(owner_conn, 21, f"Late {uuid.uuid4().hex[:8]}")
    claims = json.dumps({"role": "player", "sub": sender})
    conns = [psycopg.connect(db_url) for _ in others]
    try:
        began = []
        for conn in conns:
            began.append(
                scalar(
                    conn,
                    "SELECT now(), set_config('role', 'player', true), set_config('request.jwt.claims', %s, true)",
                    claims,
                )
            )
            time.sleep(0.002)  # distinct transaction start times; only their order matters
        assert began == sorted(began) and len(set(began)) == len(began)
        outcomes: list[str] = []
        for conn, other in reversed(list(zip(conns, others, strict=True))):
            try:
                conn.execute("SELECT api.start_chat(other_user_id => %s)", (other,))
                conn.commit()
                outcomes.append("ok")
            except psycopg.Error as exc:
                conn.rollback()
                outcomes.append(json.loads(exc.diag.message_primary or "{}").get("code", type(exc).__name__))
    finally:
        for conn in conns:
            conn.close()
    assert outcomes == ["ok"] * 10 + ["PT429"] * 10
    sessions = scalar(
        owner_conn, "SELECT count(*) FROM app.chat_sessions WHERE type = 'private' AND user_id = %s", sender
    )
    assert sessions == 10
