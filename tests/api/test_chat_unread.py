"""Unread counts under concurrency (issue 9, section 6): GET /chat_sessions reads each count from a counter
that sends and mark_read keep (app.chat_unread_counts). Many senders at once and a reader marking read
while they send must leave every count equal to what the history says: messages from others after the
reader's marker, counted from the base tables.
"""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import psycopg

from tests.api.conftest import PrivateSession
from tests.api.expect import ok
from tests.support.protocols import ClientFactory, MakeToken, PlayerFactory

PEERS = 4
PEER_SENDS = 15  # under send_message's 20 per 10 s
AGENT_WORKERS = 4
AGENT_REPLIES = 60
READER_SENDS = 10

HISTORY_COUNT = """
SELECT s.id::text, p.user_id::text, count(m.id)
  FROM app.chat_sessions s
 CROSS JOIN LATERAL (VALUES (s.user_id), (s.other_user_id)) AS p(user_id)
  LEFT JOIN app.chat_read_markers r ON r.session_id = s.id AND r.user_id = p.user_id
  LEFT JOIN app.chat_messages m ON m.session_id = s.id AND m.id > coalesce(r.last_read_message_id, 0)
                               AND m.sender_id IS DISTINCT FROM p.user_id
 WHERE s.id = ANY(%s::uuid[]) AND p.user_id IS NOT NULL
 GROUP BY 1, 2
"""


def unread_seen_by(http: httpx.Client) -> dict[str, int]:
    return {row["id"]: row["unread_count"] for row in ok(http.get("/chat_sessions"))}


def test_counts_stay_exact_with_many_senders_and_a_reader_marking_read(
    new_player: PlayerFactory,
    private_session: PrivateSession,
    client: ClientFactory,
    make_token: MakeToken,
    owner_conn: psycopg.Connection[Any],
) -> None:
    seed = random.randrange(2**32)
    print(f"seed={seed}")

    reader = new_player("Unread Reader")
    peers = [new_player(f"Unread Peer {n}") for n in range(PEERS)]
    private = [private_session(peer, reader) for peer in peers]
    agent_session = ok(reader.http.post("/rpc/start_chat", json={"agent_slug": "scout"}))["id"]
    sessions = [*private, agent_session]

    # One client per thread, made here: the factory is not shared across threads.
    peer_http = [client(peer.token) for peer in peers]
    agent_http = [client(make_token("agent_service")) for _ in range(AGENT_WORKERS)]
    reader_send_http = client(reader.token)
    reader_mark_http = client(reader.token)

    senders_done = threading.Event()
    start = threading.Barrier(PEERS + AGENT_WORKERS + 2)
    marks: list[int] = []

    def peer_sends(n: int) -> None:
        start.wait()
        for i in range(PEER_SENDS):
            ok(peer_http[n].post("/rpc/send_message", json={"session_id": private[n], "content": f"peer {n} #{i}"}))

    def agent_replies(n: int) -> None:
        start.wait()
        for i in range(AGENT_REPLIES):
            body = {"session_id": agent_session, "content": f"agent {n} #{i}"}
            ok(agent_http[n].post("/rpc/post_agent_reply", json=body))

    def reader_sends() -> None:
        # The reader's own messages never count for the reader, and count once for the peer.
        start.wait()
        for i in range(READER_SENDS):
            ok(reader_send_http.post("/rpc/send_message", json={"session_id": reader_target(i), "content": f"me #{i}"}))

    def reader_target(i: int) -> str:
        # The session of the reader's i-th message: spread over all of them, from the seed.
        return sessions[(seed + i) % len(sessions)]

    def reader_marks() -> None:
        # Marks each session read up to its newest message, or sometimes an older one, while the others send.
        mark_rng = random.Random(seed + 1)
        start.wait()
        while True:
            finished = senders_done.is_set()
            for session_id in sessions:
                page = ok(
                    reader_mark_http.get(
                        "/chat_messages",
                        params={"session_id": f"eq.{session_id}", "order": "id.desc", "limit": "5", "select": "id"},
                    )
                )
                if not page:
                    continue
                message_id = page[0]["id"] if mark_rng.random() < 0.7 else mark_rng.choice(page)["id"]
                ok(reader_mark_http.post("/rpc/mark_read", json={"session_id": session_id, "message_id": message_id}))
                marks.append(message_id)
            if finished:
                return

    with ThreadPoolExecutor(max_workers=PEERS + AGENT_WORKERS + 2) as pool:
        sending = [pool.submit(peer_sends, n) for n in range(PEERS)]
        sending += [pool.submit(agent_replies, n) for n in range(AGENT_WORKERS)]
        sending.append(pool.submit(reader_sends))
        marking = pool.submit(reader_marks)
        for future in sending:
            future.result()
        senders_done.set()
        marking.result()
    assert marks, "the reader marked nothing"

    rows = owner_conn.execute(HISTORY_COUNT, (sessions,)).fetchall()
    history = {(session_id, user_id): int(count) for session_id, user_id, count in rows}
    assert len(history) == 2 * PEERS + 1

    seen = {(sid, reader.user_id): count for sid, count in unread_seen_by(reader.http).items() if sid in sessions}
    for peer, http in zip(peers, peer_http, strict=True):
        seen |= {(sid, peer.user_id): count for sid, count in unread_seen_by(http).items() if sid in sessions}
    assert seen == history, f"seed={seed}"
    counters = owner_conn.execute(
        "SELECT session_id::text, user_id::text, unread_count FROM app.chat_unread_counts"
        " WHERE session_id = ANY(%s::uuid[])",
        (sessions,),
    ).fetchall()
    assert {(sid, uid): count for sid, uid, count in counters} == history, f"seed={seed}"
    # The last pass marked every session read to a message near its end, after every send had finished.
    assert sum(history[(sid, reader.user_id)] for sid in sessions) < 5 * len(sessions), (history, seed)
    # The peers have read nothing: each counts every message the reader sent it.
    assert sum(history[(sid, peer.user_id)] for sid, peer in zip(private, peers, strict=True)) == sum(
        1 for i in range(READER_SENDS) if reader_target(i) in private
    )
