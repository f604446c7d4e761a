"""What the chat functions really ran: their plans, read with auto_explain, and a history to plan against.

A plan read with EXPLAIN of a copied query is the plan of the copy. auto_explain with nested statements
logs the plans the functions themselves ran, with their real row counts, here as notices."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from tests.conftest import OwnerConnection

AUTO_EXPLAIN = (
    "LOAD 'auto_explain'",
    "SET auto_explain.log_min_duration = 0",
    "SET auto_explain.log_nested_statements = on",
    "SET auto_explain.log_analyze = on",
    "SET auto_explain.log_format = json",
    "SET auto_explain.log_level = notice",
)


def scans_of(plan: dict[str, Any], relation: str) -> list[dict[str, Any]]:
    """Every plan node that reads `relation` (scans, and the bitmap index scans under a heap scan)."""
    found: list[dict[str, Any]] = []
    if plan.get("Relation Name") == relation:
        found.append(plan)
    for child in plan.get("Plans", ()):
        if child.get("Node Type") == "Bitmap Index Scan" and plan.get("Relation Name") == relation:
            found.append(child)
        found.extend(scans_of(child, relation))
    return found


def rows_read(plan: dict[str, Any], relation: str) -> int:
    """Rows the plan fetched from `relation`'s heap, over all loops."""
    return sum(
        int(s["Actual Rows"]) * int(s.get("Actual Loops", 1))
        for s in scans_of(plan, relation)
        if s["Node Type"] != "Bitmap Index Scan"
    )


@contextmanager
def explained(conn: psycopg.Connection[Any]) -> Iterator[list[dict[str, Any]]]:
    """Collects the plan of every statement `conn` runs inside the block, nested ones included."""
    plans: list[dict[str, Any]] = []

    def on_notice(diag: psycopg.errors.Diagnostic) -> None:
        if diag.message_primary and "plan:" in diag.message_primary:
            plans.append(json.loads(diag.message_primary.split("plan:", 1)[1]))

    conn.add_notice_handler(on_notice)
    for setting in AUTO_EXPLAIN:
        conn.execute(setting)
    try:
        yield plans
    finally:
        conn.execute("SET auto_explain.log_min_duration = -1")
        conn.remove_notice_handler(on_notice)


@contextmanager
def imported_history(owner_conn: OwnerConnection, messages: int) -> Iterator[tuple[str, str, str]]:
    """A private session whose `messages` messages were written in one transaction, then ANALYZEd:
    yields (session id, sender id, partner id)."""
    ada, bob = (
        str(
            owner_conn.execute(
                "INSERT INTO app.users (display_name, avatar_sprite) VALUES (%s, 'brendan') RETURNING id", (name,)
            ).fetchone()[0]
        )
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
        (session_id, ada, messages),
    )
    owner_conn.execute("ANALYZE app.chat_messages")
    try:
        yield session_id, ada, bob
    finally:
        owner_conn.execute("DELETE FROM app.chat_sessions WHERE id = %s", (session_id,))
        owner_conn.execute("DELETE FROM app.users WHERE id IN (%s, %s)", (ada, bob))


def send(conn: psycopg.Connection[Any], session_id: str, content: str, by_the_other: bool = False) -> int:
    """A message by the session's first player (or by the other), written as the owner (no rate limit, no API).

    A message counts into the other participant's unread row (app.chat_unread_counts), locked until its
    commit: a transaction held open should send as the other player, so that the first player's
    messages meanwhile (into the other row) do not wait for it. Through the API one sender's sends wait
    for each other anyway."""
    sender = "s.other_user_id" if by_the_other else "s.user_id"
    row = conn.execute(
        "INSERT INTO app.chat_messages (session_id, sender_type, sender_id, sender_name, content)"
        f" SELECT s.id, 'user', {sender}, 'Imported Ada', %s FROM app.chat_sessions s WHERE s.id = %s RETURNING id",
        (content, session_id),
    ).fetchone()
    assert row is not None
    return int(row[0])
