"""What the custom-agent tests share (tests/api/test_agents.py, tests/bridge/test_agent_worker_worlds.py):
the Character Card V2 fixtures in tests/api/cards/, and the cleanup of worlds whose agents players chatted
with (a world keeps an agent with chats, so those chats go first)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import psycopg

CARDS = Path(__file__).parent / "cards"
CARD_NAMES = sorted(path.stem for path in CARDS.glob("*.json"))


def load_card(name: str) -> dict[str, Any]:
    card: dict[str, Any] = json.loads((CARDS / f"{name}.json").read_text(encoding="utf-8"))
    return card


def drop_worlds(conn: psycopg.Connection[Any], slugs: list[str]) -> None:
    """Deletes the worlds, the chat sessions with their agents first."""
    conn.execute(
        "DELETE FROM app.chat_sessions WHERE agent_id IN"
        " (SELECT a.id FROM app.agents a JOIN app.worlds w ON w.id = a.world_id WHERE w.slug = ANY(%s))",
        (slugs,),
    )
    conn.execute("DELETE FROM app.worlds WHERE slug = ANY(%s)", (slugs,))
