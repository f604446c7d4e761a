"""The tail and the resume pages read the few messages they return, however long the history.

realtime.chat_stream runs on every tick of every bridge's tail (every 20 ms), and chat_replay and
agent_chat_replay on every resume. As SQL functions they are planned without their arguments' values,
so "after this position" looks like a third of the stream: v0.4.1 then hash-joined a sequential scan of
all of app.chat_messages on every call, 22 ms per tick at 190,000 messages and growing with the history.
Here a 20,000-message history is imported and ANALYZEd, a few messages follow, and the plans the
functions really ran (auto_explain) must have fetched no more messages than the page holds.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from tests.bridge.plans import explained, imported_history, rows_read, scans_of, send
from tests.conftest import OwnerConnection

IMPORTED = 20_000
NEW = 3


@pytest.fixture
def history(owner_conn: OwnerConnection) -> Iterator[tuple[str, str, str]]:
    with imported_history(owner_conn, IMPORTED) as made:
        yield made


@pytest.mark.parametrize(
    "call",
    [
        "SELECT realtime.chat_stream(%(after)s, 1000)",
        "SELECT realtime.chat_replay(%(reader)s, %(after)s, 500)",
        "SELECT realtime.agent_chat_replay(%(after)s, 500)",
    ],
    ids=["chat_stream", "chat_replay", "agent_chat_replay"],
)
def test_a_page_after_a_long_history_reads_only_its_own_messages(
    db_url: str, history: tuple[str, str, str], call: str
) -> None:
    session_id, _, reader = history
    with psycopg.connect(db_url, autocommit=True) as conn:
        after = int(conn.execute("SELECT realtime.chat_stamp(true)").fetchone()[0])  # the import's positions
        for i in range(NEW):
            send(conn, session_id, f"new {i}")
        head = int(conn.execute("SELECT realtime.chat_stamp(true)").fetchone()[0])
        # Another test's bridge may have stamped messages of its own in between: they are in the page too.
        in_page = head - after
        assert in_page >= NEW

        with explained(conn) as plans:
            answer: Any = conn.execute(call, {"after": after, "reader": reader}).fetchone()[0]

        entries = answer if isinstance(answer, list) else answer["messages"]
        if "chat_replay(%(reader)s" in call:
            assert [e["message"]["content"] for e in entries] == [f"new {i}" for i in range(NEW)]
        elif "chat_stream" in call:
            assert len(entries) == in_page
        nested = [p for p in plans if "app.chat_log" in p["Query Text"]]
        assert nested, "auto_explain logged no plan of the function's query"
        for plan in nested:
            for scan in scans_of(plan["Plan"], "chat_messages"):
                assert scan["Node Type"] != "Seq Scan", json.dumps(plan["Plan"])
            # Each position of the page is fetched once to build its entry, and at most once more to
            # filter (agent_chat_replay keeps the users' messages of agent sessions).
            read = rows_read(plan["Plan"], "chat_messages")
            assert read <= 2 * in_page, f"read {read} messages for a page of {in_page}: {json.dumps(plan['Plan'])}"
