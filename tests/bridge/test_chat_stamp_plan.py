"""realtime.chat_stamp finds new messages through the txid index, however the history was written.

Every chat message waits for the next stamp before any socket gets it, so a stamp that walks the whole
table is latency for everyone. v0.4.0's stamp did exactly that once a large history had been written in
one transaction (an import, a migration, the chat benchmark's setup): the planner took "txid is one of
the running ones" for "nearly every row" and scanned app.chat_messages in id order on every call,
about 40 ms per 100,000 messages. The plan is read here with auto_explain, as the owner, so the test
sees the plan the function really ran, not a copy of its query.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from tests.conftest import OwnerConnection

IMPORTED = 20_000
LATE = 3


def _scans_of(plan: dict[str, Any], relation: str) -> list[dict[str, Any]]:
    """Every plan node that reads `relation` (scans, and the bitmap index scans under a heap scan)."""
    found: list[dict[str, Any]] = []
    if plan.get("Relation Name") == relation:
        found.append(plan)
    for child in plan.get("Plans", ()):
        if child.get("Node Type") == "Bitmap Index Scan" and plan.get("Relation Name") == relation:
            found.append(child)
        found.extend(_scans_of(child, relation))
    return found


@pytest.fixture
def imported_history(owner_conn: OwnerConnection) -> Iterator[str]:
    """A private session whose IMPORTED messages were written in one transaction, then ANALYZEd."""
    ada, bob = (
        owner_conn.execute(
            "INSERT INTO app.users (display_name, avatar_sprite) VALUES (%s, 'brendan') RETURNING id", (name,)
        ).fetchone()[0]
        for name in ("Imported Ada", "Imported Bob")
    )
    session_id = str(
        owner_conn.execute(
            "INSERT INTO app.chat_sessions (type, user_id, other_user_id) VALUES ('private', %s, %s) RETURNING id",
            (ada, bob),
        ).fetchone()[0]
    )
    owner_conn.execute(
        "INSERT INTO app.chat_messages (session_id, sender_type, sender_id, sender_name, content)"
        " SELECT %s, 'user', %s, 'Imported Ada', 'imported ' || g FROM generate_series(1, %s) g",
        (session_id, ada, IMPORTED),
    )
    owner_conn.execute("ANALYZE app.chat_messages")
    try:
        yield session_id
    finally:
        owner_conn.execute("DELETE FROM app.chat_sessions WHERE id = %s", (session_id,))
        owner_conn.execute("DELETE FROM app.users WHERE id IN (%s, %s)", (ada, bob))


def _send(conn: psycopg.Connection[Any], session_id: str, content: str, by_the_other: bool = False) -> int:
    # A message counts into the other participant's unread row (app.chat_unread_counts), locked until its
    # commit. The transaction held open sends as Bob (into Ada's row), so Ada's messages meanwhile (into
    # Bob's row) do not wait for it; through the API one sender's sends already wait for each other.
    sender = "s.other_user_id" if by_the_other else "s.user_id"
    row = conn.execute(
        "INSERT INTO app.chat_messages (session_id, sender_type, sender_id, sender_name, content)"
        f" SELECT s.id, 'user', {sender}, 'Imported Ada', %s FROM app.chat_sessions s WHERE s.id = %s RETURNING id",
        (content, session_id),
    ).fetchone()
    assert row is not None
    return int(row[0])


def test_a_stamp_after_an_imported_history_reads_only_the_new_messages(db_url: str, imported_history: str) -> None:
    session_id = imported_history
    with psycopg.connect(db_url, autocommit=True) as stamper, psycopg.connect(db_url) as late:
        stamper.execute("SELECT realtime.chat_stamp(true)")  # the import gets its positions
        # One transaction stays open across the next stamp, so the stamp after that has a running
        # transaction to look for; LATE messages commit in between.
        held_id = _send(late, session_id, "committed late", by_the_other=True)
        sent = [_send(stamper, session_id, f"new {i}") for i in range(LATE)]

        plans: list[dict[str, Any]] = []
        stamper.add_notice_handler(
            lambda diag: (
                plans.append(json.loads(diag.message_primary.split("plan:", 1)[1]))
                if diag.message_primary and "plan:" in diag.message_primary
                else None
            )
        )
        for setting in (
            "LOAD 'auto_explain'",
            "SET auto_explain.log_min_duration = 0",
            "SET auto_explain.log_nested_statements = on",
            "SET auto_explain.log_analyze = on",
            "SET auto_explain.log_format = json",
            "SET auto_explain.log_level = notice",
        ):
            stamper.execute(setting)
        stamper.execute("SELECT realtime.chat_stamp(true)")
        stamper.execute("SELECT realtime.chat_stamp(true)")  # nothing new: the held one is still running
        late.commit()
        stamper.execute("SELECT realtime.chat_stamp(true)")
        stamper.execute("LOAD 'auto_explain'")  # keeps it loaded; nothing more to log
        stamper.execute("SET auto_explain.log_min_duration = -1")

        stamps = [p for p in plans if p["Query Text"].lstrip().startswith("WITH fresh AS")]
        assert len(stamps) == 3, f"expected the plans of three stamps, got {len(stamps)}"
        for found, plan in zip((LATE, 0, 1), stamps, strict=True):
            scans = _scans_of(plan["Plan"], "chat_messages")
            assert scans, json.dumps(plan["Plan"])
            for scan in scans:
                assert scan["Node Type"] in {"Index Scan", "Bitmap Heap Scan", "Bitmap Index Scan"}, scan["Node Type"]
                if "Index Name" in scan:
                    assert scan["Index Name"] == "chat_messages_txid_idx", scan["Index Name"]
                assert scan.get("Rows Removed by Filter", 0) == 0, scan
            # A bridge of another test may have stamped some of them first: never more than the new ones.
            read = sum(s["Actual Rows"] for s in scans if s["Node Type"] != "Bitmap Index Scan")
            assert read <= found, f"the stamp read {read} rows of app.chat_messages for {found} new messages"

        # And it stamped exactly those, the late one last.
        stamped = [
            row[0]
            for row in stamper.execute(
                "SELECT message_id FROM app.chat_log WHERE message_id = ANY(%s) ORDER BY position", ([*sent, held_id],)
            ).fetchall()
        ]
        assert stamped == [*sent, held_id]
