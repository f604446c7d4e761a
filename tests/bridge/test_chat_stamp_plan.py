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

import psycopg
import pytest

from tests.bridge.plans import explained, imported_history, scans_of, send
from tests.conftest import OwnerConnection

IMPORTED = 20_000
LATE = 3


@pytest.fixture
def history(owner_conn: OwnerConnection) -> Iterator[str]:
    with imported_history(owner_conn, IMPORTED) as (session_id, _, _):
        yield session_id


def test_a_stamp_after_an_imported_history_reads_only_the_new_messages(db_url: str, history: str) -> None:
    session_id = history
    with psycopg.connect(db_url, autocommit=True) as stamper, psycopg.connect(db_url) as late:
        stamper.execute("SELECT realtime.chat_stamp(true)")  # the import gets its positions
        # One transaction stays open across the next stamp, so the stamp after that has a running
        # transaction to look for; LATE messages commit in between.
        held_id = send(late, session_id, "committed late", by_the_other=True)
        sent = [send(stamper, session_id, f"new {i}") for i in range(LATE)]

        with explained(stamper) as plans:
            stamper.execute("SELECT realtime.chat_stamp(true)")
            stamper.execute("SELECT realtime.chat_stamp(true)")  # nothing new: the held one is still running
            late.commit()
            stamper.execute("SELECT realtime.chat_stamp(true)")

        stamps = [p for p in plans if p["Query Text"].lstrip().startswith("WITH fresh AS")]
        assert len(stamps) == 3, f"expected the plans of three stamps, got {len(stamps)}"
        for found, plan in zip((LATE, 0, 1), stamps, strict=True):
            scans = scans_of(plan["Plan"], "chat_messages")
            assert scans, json.dumps(plan["Plan"])
            for scan in scans:
                if scan.get("Actual Loops", 1) == 0:
                    # A branch that cannot match (no transaction was running at the last snapshot, so
                    # "txid = ANY('{}')" is constant false) is never run, and for a false condition the
                    # planner may pick any index, even a partial one: it reads nothing.
                    continue
                assert scan["Node Type"] in {"Index Scan", "Bitmap Heap Scan", "Bitmap Index Scan"}, scan["Node Type"]
                if "Index Name" in scan:
                    assert scan["Index Name"] == "chat_messages_txid_idx", json.dumps(plan["Plan"])
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
