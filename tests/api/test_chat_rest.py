"""Chat over REST (issue 4): sessions with agents and players, messages, unread counts, proximity chat,
rate limits, keyword routing, the agent worker's replies and keyset pagination on a long history.

Tests about reading, sending, unread counts and limits arrange their private session as the owner
(the `private_session` fixture), so each tests its own rule; opening a private session through
/rpc/start_chat has its own test.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx
import psycopg
import pytest

from tests.api.conftest import Caller, MakeRoom, PrivateSession, StartPostgrest
from tests.api.expect import NOT_FOUND, error, ok, retry_after
from tests.support.protocols import AnonLogin, ClientFactory, MakeToken, Player, PlayerFactory

MESSAGE_KEYS = {"id", "session_id", "type", "sender_type", "sender_id", "sender_name", "content", "created_at"}


def scalar(owner: psycopg.Connection[Any], sql: str, *params: Any) -> Any:
    row = owner.execute(sql, params).fetchone()
    assert row is not None
    return row[0]


def stored_count(owner: psycopg.Connection[Any], session_id: str) -> int:
    return int(scalar(owner, "SELECT count(*) FROM app.chat_messages WHERE session_id = %s", session_id))


def messages(player: Player, session_id: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = ok(
        player.http.get("/chat_messages", params={"session_id": f"eq.{session_id}", "order": "id"})
    )
    return rows


def session_row(player: Player, session_id: str) -> dict[str, Any]:
    rows = ok(player.http.get("/chat_sessions", params={"id": f"eq.{session_id}"}))
    assert len(rows) == 1, rows
    row: dict[str, Any] = rows[0]
    return row


def send(player: Player, session_id: str, content: str) -> dict[str, Any]:
    body: dict[str, Any] = ok(
        player.http.post("/rpc/send_message", json={"session_id": session_id, "content": content})
    )
    return body


def agent(client: ClientFactory, slug: str) -> dict[str, Any]:
    rows = ok(client().get("/agents", params={"slug": f"eq.{slug}"}))
    assert len(rows) == 1
    found: dict[str, Any] = rows[0]
    return found


# ---- agent sessions --------------------------------------------------------------------------------------


def test_an_agent_chat_starts_with_the_agents_greeting(player: Player, client: ClientFactory) -> None:
    scout = agent(client, "scout")
    session = ok(player.http.post("/rpc/start_chat", json={"agent_slug": "scout"}))
    assert (session["type"], session["user_id"], session["agent_slug"], session["agent_id"]) == (
        "agent", player.user_id, "scout", scout["id"],
    )  # fmt: skip
    assert session["other_user_id"] is None

    history = messages(player, session["id"])
    assert len(history) == 1
    greeting = history[0]
    assert set(greeting) == MESSAGE_KEYS
    fields = ("type", "sender_type", "sender_id", "sender_name", "content")
    assert [greeting[f] for f in fields] == ["agent", "agent", scout["id"], scout["name"], scout["greeting"]]
    assert session["last_message"]["id"] == greeting["id"]
    assert session["unread_count"] == 1  # the greeting is from the agent, not from you


def test_starting_an_agent_chat_twice_returns_the_same_session(
    player: Player, owner_conn: psycopg.Connection[Any]
) -> None:
    first = ok(player.http.post("/rpc/start_chat", json={"agent_slug": "sage"}))
    second = ok(player.http.post("/rpc/start_chat", json={"agent_slug": "sage"}))
    assert second["id"] == first["id"]
    assert stored_count(owner_conn, first["id"]) == 1


def test_eight_concurrent_start_chats_make_one_session_and_one_greeting(
    player: Player, postgrest: str, owner_conn: psycopg.Connection[Any]
) -> None:
    callers = 8
    start = threading.Barrier(callers)
    clients = [
        httpx.Client(base_url=postgrest, headers={"Authorization": f"Bearer {player.token}"}, timeout=20.0)
        for _ in range(callers)
    ]

    def call(http: httpx.Client) -> httpx.Response:
        start.wait(timeout=10)
        return http.post("/rpc/start_chat", json={"agent_slug": "chronicler"})

    try:
        with ThreadPoolExecutor(callers) as pool:
            responses = list(pool.map(call, clients))
    finally:
        for http in clients:
            http.close()
    ids = {ok(response)["id"] for response in responses}
    assert len(ids) == 1
    sessions = scalar(
        owner_conn,
        "SELECT count(*) FROM app.chat_sessions s JOIN app.agents a ON a.id = s.agent_id"
        " WHERE s.user_id = %s AND a.slug = 'chronicler'",
        player.user_id,
    )
    assert sessions == 1
    assert stored_count(owner_conn, ids.pop()) == 1


def test_racing_private_start_chats_from_both_sides_make_one_session(
    new_player: PlayerFactory, postgrest: str, owner_conn: psycopg.Connection[Any]
) -> None:
    ada, bob = new_player("Ada"), new_player("Bob")
    calls = [(ada, bob), (bob, ada)] * 4
    start = threading.Barrier(len(calls))
    clients = [
        httpx.Client(base_url=postgrest, headers={"Authorization": f"Bearer {me.token}"}, timeout=20.0)
        for me, _ in calls
    ]

    def call(http: httpx.Client, other: Player) -> httpx.Response:
        start.wait(timeout=10)
        return http.post("/rpc/start_chat", json={"other_user_id": other.user_id})

    try:
        with ThreadPoolExecutor(len(calls)) as pool:
            responses = list(pool.map(call, clients, [other for _, other in calls]))
    finally:
        for http in clients:
            http.close()
    assert len({ok(response)["id"] for response in responses}) == 1
    pairs = scalar(
        owner_conn,
        "SELECT count(*) FROM app.chat_sessions WHERE type = 'private' AND %s IN (user_id, other_user_id)",
        ada.user_id,
    )
    assert pairs == 1


def test_start_chat_needs_exactly_one_partner(player: Player) -> None:
    hint = '{"agent_slug": "scout"} or {"other_user_id": "<uuid>"}'
    for body in ({}, {"agent_slug": "scout", "other_user_id": player.user_id}):
        answer = error(
            player.http.post("/rpc/start_chat", json=body),
            400,
            "22023",
            "send exactly one of agent_slug and other_user_id",
        )
        assert answer["hint"] == hint
    error(
        player.http.post("/rpc/start_chat", json={"other_user_id": player.user_id}),
        400,
        "22023",
        "you cannot start a private chat with yourself",
    )


def test_start_chat_with_an_unknown_agent_is_404(player: Player) -> None:
    # As the function's comment promises (see expect.NOT_FOUND).
    refused = error(player.http.post("/rpc/start_chat", json={"agent_slug": "nobody"}), 404, NOT_FOUND, "unknown agent")
    assert json.loads(refused["details"]) == {"agent_slug": "nobody"}


# ---- private sessions ------------------------------------------------------------------------------------


def test_private_chat_is_one_session_whoever_starts_it(
    new_player: PlayerFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    ada, bob = new_player("Ada"), new_player("Bob")
    from_ada = ok(ada.http.post("/rpc/start_chat", json={"other_user_id": bob.user_id}))
    from_bob = ok(bob.http.post("/rpc/start_chat", json={"other_user_id": ada.user_id}))
    assert from_bob["id"] == from_ada["id"]
    assert (from_ada["type"], from_ada["user_id"], from_ada["other_user_id"]) == ("private", ada.user_id, bob.user_id)
    pairs = scalar(
        owner_conn,
        "SELECT count(*) FROM app.chat_sessions WHERE type = 'private' AND %s IN (user_id, other_user_id)",
        ada.user_id,
    )
    assert pairs == 1
    assert stored_count(owner_conn, from_ada["id"]) == 0  # no greeting between players


def test_send_message_returns_the_stored_message(new_player: PlayerFactory, private_session: PrivateSession) -> None:
    ada, bob = new_player("Ada"), new_player("Bob")
    session_id = private_session(ada, bob)
    sent = send(ada, session_id, "Hello Bob,\nhow are you?")
    assert set(sent) == MESSAGE_KEYS
    fields = ("session_id", "type", "sender_type", "sender_id", "sender_name", "content")
    assert [sent[f] for f in fields] == [session_id, "private", "user", ada.user_id, "Ada", "Hello Bob,\nhow are you?"]
    assert messages(bob, session_id) == [sent]
    assert messages(ada, session_id) == [sent]

    # The sender's name is kept as it was when the message was sent.
    ok(ada.http.patch("/me", json={"display_name": "Ada Renamed"}), 204)
    assert messages(bob, session_id)[0]["sender_name"] == "Ada"


def test_a_third_player_cannot_read_a_private_chat(
    new_player: PlayerFactory, private_session: PrivateSession, make_token: MakeToken, client: ClientFactory
) -> None:
    ada, bob, cy = new_player("Ada"), new_player("Bob"), new_player("Cy")
    session_id = private_session(ada, bob)
    send(ada, session_id, "Just between us.")
    assert ok(cy.http.get("/chat_messages", params={"session_id": f"eq.{session_id}"})) == []
    assert ok(cy.http.get("/chat_sessions", params={"id": f"eq.{session_id}"})) == []
    # Nor the agent worker (private, not an agent session) nor a content admin (no grant at all).
    assert (
        ok(client(make_token("agent_service")).get("/chat_messages", params={"session_id": f"eq.{session_id}"})) == []
    )
    error(
        client(make_token("content_admin")).get("/chat_messages", params={"session_id": f"eq.{session_id}"}),
        403,
        "42501",
        "permission denied for view chat_messages",
    )


def test_a_third_player_cannot_send_into_a_private_chat(
    new_player: PlayerFactory, private_session: PrivateSession, owner_conn: psycopg.Connection[Any]
) -> None:
    ada, bob, cy = new_player("Ada"), new_player("Bob"), new_player("Cy")
    session_id = private_session(ada, bob)
    # Someone else's session answers exactly like a missing one: 404, as the function's comment promises.
    error(
        cy.http.post("/rpc/send_message", json={"session_id": session_id, "content": "Let me in"}),
        404,
        NOT_FOUND,
        "unknown chat session",
    )
    assert stored_count(owner_conn, session_id) == 0


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        ("", "22023", "content must not be empty"),
        ("   \n ", "22023", "content must not be empty"),
        ("x" * 4001, "22023", "content is 4001 characters long; the limit is 4000"),
        ("tab\there", "22023", "content must not contain control characters other than newline"),
        ("carriage\rreturn", "22023", "content must not contain control characters other than newline"),
        ("bell\u0007", "22023", "content must not contain control characters other than newline"),
        # C1 controls: U+009B starts a terminal escape sequence.
        ("csi\u009b31m", "22023", "content must not contain control characters other than newline"),
        # PostgreSQL text cannot hold NUL: PostgREST answers 400 when it parses the JSON argument.
        ("nul\u0000byte", "22P05", "unsupported Unicode escape sequence"),
        (None, "22023", "content must not be empty"),
    ],
    ids=["empty", "whitespace", "4001-chars", "tab", "cr", "bell", "c1-csi", "nul", "null"],
)
def test_bad_content_is_400_and_nothing_is_stored(
    new_player: PlayerFactory,
    private_session: PrivateSession,
    owner_conn: psycopg.Connection[Any],
    content: str | None,
    code: str,
    message: str,
) -> None:
    ada, bob = new_player(), new_player()
    session_id = private_session(ada, bob)
    error(ada.http.post("/rpc/send_message", json={"session_id": session_id, "content": content}), 400, code, message)
    assert stored_count(owner_conn, session_id) == 0


def test_content_of_exactly_4000_characters_is_accepted(
    new_player: PlayerFactory, private_session: PrivateSession
) -> None:
    ada, bob = new_player(), new_player()
    session_id = private_session(ada, bob)
    assert len(send(ada, session_id, "y" * 4000)["content"]) == 4000


# ---- unread counts and the session list ------------------------------------------------------------------


def test_unread_counts_follow_the_read_marker_which_never_goes_back(
    new_player: PlayerFactory, private_session: PrivateSession
) -> None:
    ada, bob = new_player("Ada"), new_player("Bob")
    session_id = private_session(ada, bob)
    first, _, third = (send(ada, session_id, text) for text in ("one", "two", "three"))

    assert session_row(bob, session_id)["unread_count"] == 3
    assert session_row(ada, session_id)["unread_count"] == 0  # your own messages are never unread

    marked = ok(bob.http.post("/rpc/mark_read", json={"session_id": session_id, "message_id": third["id"]}))
    assert marked == {"session_id": session_id, "last_read_message_id": third["id"]}
    assert session_row(bob, session_id)["unread_count"] == 0

    # An older tab marking an older message does not move the marker back.
    stale = ok(bob.http.post("/rpc/mark_read", json={"session_id": session_id, "message_id": first["id"]}))
    assert stale == {"session_id": session_id, "last_read_message_id": third["id"]}
    assert session_row(bob, session_id)["unread_count"] == 0

    send(ada, session_id, "four")
    assert session_row(bob, session_id)["unread_count"] == 1
    send(bob, session_id, "reply")
    assert session_row(bob, session_id)["unread_count"] == 1
    assert session_row(ada, session_id)["unread_count"] == 1


def test_mark_read_refuses_a_message_of_another_session(
    new_player: PlayerFactory, private_session: PrivateSession
) -> None:
    ada, bob, cy = new_player(), new_player(), new_player()
    ours, theirs = private_session(ada, bob), private_session(bob, cy)
    foreign = send(cy, theirs, "elsewhere")
    refused = error(
        bob.http.post("/rpc/mark_read", json={"session_id": ours, "message_id": foreign["id"]}),
        400,
        "22023",
        "the message is not in this session",
    )
    assert json.loads(refused["details"]) == {"message_id": foreign["id"]}


def test_mark_read_on_someone_elses_session_is_404(new_player: PlayerFactory, private_session: PrivateSession) -> None:
    ada, bob, cy = new_player(), new_player(), new_player()
    session_id = private_session(ada, bob)
    sent = send(ada, session_id, "hi")
    error(
        cy.http.post("/rpc/mark_read", json={"session_id": session_id, "message_id": sent["id"]}),
        404,
        NOT_FOUND,
        "unknown chat session",
    )


def test_chat_sessions_are_newest_first_with_a_preview(
    new_player: PlayerFactory, private_session: PrivateSession
) -> None:
    ada, bob = new_player("Ada"), new_player("Bob")
    scout = ok(ada.http.post("/rpc/start_chat", json={"agent_slug": "scout"}))["id"]
    sage = ok(ada.http.post("/rpc/start_chat", json={"agent_slug": "sage"}))["id"]
    private = private_session(ada, bob)
    long_text = "".join(f"{i:03d} " for i in range(50))  # 200 characters

    send(ada, sage, "first")
    send(ada, private, "second")
    send(ada, scout, long_text)

    listed = ok(ada.http.get("/chat_sessions"))
    assert [row["id"] for row in listed] == [scout, private, sage]
    stamps = [row["last_message_at"] for row in listed]
    assert stamps == sorted(stamps, reverse=True)
    previews = [row["last_message"] for row in listed]
    for preview in previews:
        assert set(preview) == {"id", "sender_name", "content", "created_at"}
    assert [p["content"] for p in previews] == [long_text[:140], "second", "first"]
    assert {p["sender_name"] for p in previews} == {"Ada"}

    send(ada, sage, "fourth")
    assert [row["id"] for row in ok(ada.http.get("/chat_sessions"))] == [sage, scout, private]
    # Bob sees only the session he is part of.
    assert [row["id"] for row in ok(bob.http.get("/chat_sessions"))] == [private]


# ---- proximity chat --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Nearby:
    ada: Player
    bob: Player
    cy: Player
    said: dict[str, dict[str, Any]]  # content -> the say_nearby answer


@pytest.fixture
def nearby(new_player: PlayerFactory, make_room: MakeRoom) -> Nearby:
    """Three players in a room of their own (radius 5): Ada at (5, 5), Bob at (8, 5), 3 tiles from Ada, and
    Cy at (5, 11), 6 from Ada and 6.7 from Bob. Ada says "Psst, Bob", Cy says "Anyone?", Bob says "Hi Ada".
    """
    room = make_room(spawn=(5, 5), radius=5)
    ada, bob, cy = new_player("Ada"), new_player("Bob"), new_player("Cy")
    for who in (ada, bob, cy):
        ok(who.http.post("/rpc/enter_room", json={"room_slug": room}))
    ok(bob.http.post("/rpc/move", json={"x": 8, "y": 5, "direction": "left"}))
    ok(cy.http.post("/rpc/move", json={"x": 5, "y": 11, "direction": "down"}))
    said = {}
    for who, content in ((ada, "Psst, Bob"), (cy, "Anyone?"), (bob, "Hi Ada")):
        said[content] = ok(who.http.post("/rpc/say_nearby", json={"content": content}))
    return Nearby(ada, bob, cy, said)


def test_say_nearby_records_exactly_the_players_within_the_radius(nearby: Nearby) -> None:
    psst = nearby.said["Psst, Bob"]
    assert set(psst) == {"message", "recipients"}
    assert set(psst["message"]) == MESSAGE_KEYS
    fields = ("type", "sender_id", "sender_name", "content")
    assert [psst["message"][f] for f in fields] == ["proximity", nearby.ada.user_id, "Ada", "Psst, Bob"]
    assert psst["recipients"] == [nearby.bob.user_id]
    assert nearby.said["Anyone?"]["recipients"] == []
    assert nearby.said["Hi Ada"]["recipients"] == [nearby.ada.user_id]


def test_each_players_history_shows_exactly_what_they_heard(nearby: Nearby) -> None:
    def heard(who: Player) -> set[str]:
        rows = ok(who.http.get("/chat_messages", params={"type": "eq.proximity"}))
        return {row["content"] for row in rows}

    # What you said, and what was said to you; nothing else.
    assert heard(nearby.ada) == {"Psst, Bob", "Hi Ada"}
    assert heard(nearby.bob) == {"Psst, Bob", "Hi Ada"}
    assert heard(nearby.cy) == {"Anyone?"}
    # Recipients are fixed when it is said: Cy walking up to Ada afterwards does not hear the old messages.
    ok(nearby.cy.http.post("/rpc/move", json={"x": 5, "y": 8, "direction": "up"}))
    assert heard(nearby.cy) == {"Anyone?"}


def test_the_6th_say_nearby_within_10_seconds_is_429(player: Player, make_room: MakeRoom) -> None:
    ok(player.http.post("/rpc/enter_room", json={"room_slug": make_room()}))
    for i in range(5):
        ok(player.http.post("/rpc/say_nearby", json={"content": f"echo {i}"}))
    response = player.http.post("/rpc/say_nearby", json={"content": "echo 5"})
    refused = error(response, 429, "PT429", "rate limit exceeded")
    assert refused["hint"].startswith("At most 5 say_nearby per 00:00:10.")
    assert 1 <= retry_after(refused) <= 10
    assert response.headers["Retry-After"] == str(retry_after(refused))
    assert response.reason_phrase == "Too Many Requests"
    heard = ok(player.http.get("/chat_messages", params={"type": "eq.proximity", "order": "id"}))
    assert [m["content"] for m in heard] == [f"echo {i}" for i in range(5)]


def test_say_nearby_needs_a_room(player: Player) -> None:
    error(
        player.http.post("/rpc/say_nearby", json={"content": "Hello?"}),
        400,
        "22023",
        "enter a room before talking to people nearby",
    )


# ---- rate limit ------------------------------------------------------------------------------------------


def test_the_21st_message_within_10_seconds_is_429_until_retry_after(
    new_player: PlayerFactory, private_session: PrivateSession, owner_conn: psycopg.Connection[Any]
) -> None:
    ada, bob = new_player(), new_player()
    session_id = private_session(ada, bob)
    # 20 messages in a burst are allowed (the sends take well under the 0.5 s one more would need to refill).
    for i in range(20):
        send(ada, session_id, f"message {i}")
    response = ada.http.post("/rpc/send_message", json={"session_id": session_id, "content": "one too many"})
    refused = error(response, 429, "PT429", "rate limit exceeded")
    assert refused["hint"].startswith("At most 20 send_message per 00:00:10.")
    wait = retry_after(refused)
    assert response.headers["Retry-After"] == str(wait)
    assert wait <= 10
    assert stored_count(owner_conn, session_id) == 20  # the refused one is not stored

    time.sleep(wait)
    assert send(ada, session_id, "after the wait")["content"] == "after the wait"
    assert stored_count(owner_conn, session_id) == 21


# ---- routing ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Can you research this paper?", {"agent_slug": "scout", "score": 2}),
        ("HELP ME PLAN MY STRATEGY", {"agent_slug": "sage", "score": 2}),
        ("Write a blog post, please", {"agent_slug": "chronicler", "score": 3}),
        ("market data and growth", {"agent_slug": "trends", "score": 3}),
        ("launch campaign", {"agent_slug": "maven", "score": 2}),
        # One keyword each for scout (research) and sage (strategy): the tie goes to the first slug, sage.
        ("research strategy", {"agent_slug": "sage", "score": 1}),
        # Whole words only: "researcher" is not "research"; repeats count once.
        ("researcher", None),
        ("paper paper paper", {"agent_slug": "scout", "score": 1}),
        ("Good morning!", None),
        ("", None),
    ],
)
def test_route_agent_is_deterministic_and_open_to_anyone(
    client: ClientFactory, player: Player, message: str, expected: dict[str, Any] | None
) -> None:
    assert ok(client().post("/rpc/route_agent", json={"message": message})) == expected
    assert ok(player.http.post("/rpc/route_agent", json={"message": message})) == expected


@pytest.mark.parametrize("message", [None, "x" * 4001], ids=["null", "4001-chars"])
def test_route_agent_refuses_a_missing_or_oversized_message(client: ClientFactory, message: str | None) -> None:
    error(
        client().post("/rpc/route_agent", json={"message": message}),
        400,
        "22023",
        "message must be 0 to 4000 characters",
    )


# ---- the agent worker ------------------------------------------------------------------------------------


def test_agent_service_replies_into_an_agent_session_and_the_user_reads_it(
    player: Player, agent_service: httpx.Client, client: ClientFactory
) -> None:
    scout = agent(client, "scout")
    session_id = ok(player.http.post("/rpc/start_chat", json={"agent_slug": "scout"}))["id"]
    asked = send(player, session_id, "Can you research this paper?")
    # The worker reads the user's message ...
    assert asked["id"] in {
        m["id"] for m in ok(agent_service.get("/chat_messages", params={"session_id": f"eq.{session_id}"}))
    }

    reply = ok(
        agent_service.post(
            "/rpc/post_agent_reply", json={"session_id": session_id, "content": "Here are three sources."}
        )
    )
    assert (reply["session_id"], reply["type"], reply["sender_type"], reply["sender_id"], reply["sender_name"]) == (
        session_id, "agent", "agent", scout["id"], "Scout",
    )  # fmt: skip
    # ... and the user reads the answer, after the greeting and the question.
    assert [(m["sender_type"], m["content"]) for m in messages(player, session_id)] == [
        ("agent", scout["greeting"]),
        ("user", "Can you research this paper?"),
        ("agent", "Here are three sources."),
    ]
    # Agents may answer at length: 32000 characters.
    assert (
        len(
            ok(agent_service.post("/rpc/post_agent_reply", json={"session_id": session_id, "content": "z" * 32000}))[
                "content"
            ]
        )
        == 32000
    )
    error(
        agent_service.post("/rpc/post_agent_reply", json={"session_id": session_id, "content": "z" * 32001}),
        400,
        "22023",
        "content is 32001 characters long; the limit is 32000",
    )


@pytest.mark.parametrize(("who", "status"), [("player", 403), ("anonymous", 401), ("content_admin", 403)])
def test_only_agent_service_posts_agent_replies(
    player: Player, caller: Caller, owner_conn: psycopg.Connection[Any], who: str, status: int
) -> None:
    session_id = ok(player.http.post("/rpc/start_chat", json={"agent_slug": "scout"}))["id"]
    http = caller(who)
    error(
        http.post("/rpc/post_agent_reply", json={"session_id": session_id, "content": "I am Scout, honestly."}),
        status,
        "42501",
        "permission denied for function post_agent_reply",
    )
    assert stored_count(owner_conn, session_id) == 1  # the greeting only


def test_agent_replies_into_a_private_session_are_404(
    new_player: PlayerFactory,
    private_session: PrivateSession,
    agent_service: httpx.Client,
    owner_conn: psycopg.Connection[Any],
) -> None:
    ada, bob = new_player(), new_player()
    session_id = private_session(ada, bob)
    error(
        agent_service.post("/rpc/post_agent_reply", json={"session_id": session_id, "content": "Psst."}),
        404,
        NOT_FOUND,
        "unknown agent session",
    )
    assert stored_count(owner_conn, session_id) == 0


# ---- keyset pagination on a long history -----------------------------------------------------------------

HISTORY = 100_000
PAGE = 50


@dataclass(frozen=True)
class LongHistory:
    session_id: str
    reader: Player
    before_id: int  # the page asked for: the 50 messages just before this id
    expected: list[int]


# The SQL PostgREST 12 runs for GET /chat_messages?session_id=eq.S&order=id.desc&limit=50&id=lt.N, with its
# filter values sent as untyped parameters, as PostgREST sends them.
PGRST_PAGE_SQL = """
WITH pgrst_source AS (
  SELECT "api"."chat_messages".* FROM "api"."chat_messages"
   WHERE "api"."chat_messages"."session_id" = %s AND "api"."chat_messages"."id" < %s
   ORDER BY "api"."chat_messages"."id" DESC
   LIMIT 50 OFFSET 0)
SELECT null::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total,
       coalesce(json_agg(_postgrest_t), '[]') AS body,
       nullif(current_setting('response.headers', true), '') AS response_headers,
       nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT * FROM pgrst_source) _postgrest_t
"""


@pytest.fixture(scope="module")
def long_history(anon_login: AnonLogin, postgrest: str, owner_conn: psycopg.Connection[Any]) -> Iterator[LongHistory]:
    """A private session with 100,000 messages, inserted by the owner in one statement, then ANALYZEd."""
    ada, bob = anon_login("Ada Archive"), anon_login("Bob Archive")
    session_id = str(
        scalar(
            owner_conn,
            "INSERT INTO app.chat_sessions (type, user_id, other_user_id) VALUES ('private', %s, %s) RETURNING id",
            ada["user_id"],
            bob["user_id"],
        )
    )
    owner_conn.execute(
        "INSERT INTO app.chat_messages (session_id, sender_type, sender_id, sender_name, content)"
        " SELECT %s, 'user', CASE WHEN g %% 2 = 0 THEN %s ELSE %s END::uuid, 'Archivist', 'message ' || g"
        " FROM generate_series(1, %s) AS g",
        (session_id, ada["user_id"], bob["user_id"], HISTORY),
    )
    owner_conn.execute("ANALYZE app.chat_messages")
    ids = [row[0] for row in owner_conn.execute(
        "SELECT id FROM app.chat_messages WHERE session_id = %s ORDER BY id", (session_id,)
    ).fetchall()]  # fmt: skip
    assert len(ids) == HISTORY
    before_id = ids[HISTORY // 2]
    expected = sorted((i for i in ids if i < before_id), reverse=True)[:PAGE]
    http = httpx.Client(base_url=postgrest, headers={"Authorization": f"Bearer {bob['token']}"}, timeout=30.0)
    try:
        yield LongHistory(session_id, Player(bob["user_id"], bob["token"], http, bob), before_id, expected)
    finally:
        http.close()
        owner_conn.execute("DELETE FROM app.chat_sessions WHERE id = %s", (session_id,))


def test_keyset_page_of_a_100000_message_session(long_history: LongHistory) -> None:
    page = ok(
        long_history.reader.http.get(
            "/chat_messages",
            params={
                "session_id": f"eq.{long_history.session_id}",
                "order": "id.desc",
                "limit": str(PAGE),
                "id": f"lt.{long_history.before_id}",
            },
        )
    )
    assert [m["id"] for m in page] == long_history.expected
    assert len(page) == PAGE
    assert {m["session_id"] for m in page} == {long_history.session_id}


def plan_nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from plan_nodes(child)


def assert_index_scan_on_chat_messages(plan: dict[str, Any]) -> None:
    __tracebackhide__ = True
    on_messages = [node for node in plan_nodes(plan) if node.get("Relation Name") == "chat_messages"]
    assert on_messages, json.dumps(plan, indent=1)
    assert not [node for node in on_messages if node["Node Type"] == "Seq Scan"], json.dumps(plan, indent=1)
    indexed = [
        node
        for node in on_messages
        if node["Node Type"] == "Index Scan"
        and (
            node["Index Name"] == "chat_messages_session_id_idx"
            or (node["Index Name"] == "chat_messages_pkey" and node["Scan Direction"] == "Backward")
        )
    ]
    assert indexed, json.dumps(plan, indent=1)


def test_keyset_page_plan_uses_an_index_as_the_player(
    long_history: LongHistory, owner_conn: psycopg.Connection[Any]
) -> None:
    claims = json.dumps({"role": "player", "sub": long_history.reader.user_id})
    with owner_conn.transaction(force_rollback=True):
        owner_conn.execute("SET LOCAL ROLE player")
        owner_conn.execute("SELECT set_config('request.jwt.claims', %s, true)", (claims,))
        row = owner_conn.execute(
            "EXPLAIN (FORMAT JSON) " + PGRST_PAGE_SQL, (long_history.session_id, str(long_history.before_id))
        ).fetchone()
        # The same statement, run: under the player's RLS it returns the page.
        body = owner_conn.execute(PGRST_PAGE_SQL, (long_history.session_id, str(long_history.before_id))).fetchone()
    assert row is not None and body is not None
    assert [m["id"] for m in body[2]] == long_history.expected
    assert_index_scan_on_chat_messages(row[0][0]["Plan"])


def test_postgrest_plans_the_keyset_page_with_an_index(
    long_history: LongHistory, start_postgrest: StartPostgrest
) -> None:
    # A PostgREST with db-plan-enabled answers the plan of the exact statement it would run for the request.
    with httpx.Client(base_url=start_postgrest(PGRST_DB_PLAN_ENABLED="true"), timeout=30.0) as http:
        response = http.get(
            "/chat_messages",
            params={
                "session_id": f"eq.{long_history.session_id}",
                "order": "id.desc",
                "limit": str(PAGE),
                "id": f"lt.{long_history.before_id}",
            },
            headers={
                "Authorization": f"Bearer {long_history.reader.token}",
                "Accept": 'application/vnd.pgrst.plan+json; for="application/json"',
            },
        )
    plan = ok(response)
    assert_index_scan_on_chat_messages(plan[0]["Plan"])
