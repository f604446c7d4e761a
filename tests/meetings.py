"""What the meeting tests share (tests/bridge/test_meetings_socket.py, tests/api/test_meetings.py): the
Jitsi configuration the database signs tokens with, a meeting building arranged by SQL as the owner,
and event_sync fixtures (tests/fixtures/event_sync/*.json, in the shape the prosody module documents)
filled in for one room and one player."""

from __future__ import annotations

import json
import os
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "event_sync"
# The board room of every test world: x 10..13, y 10..12 of its 40 x 30 lobby (spawn 5,5).
ZONE = {"x": 10, "y": 10, "width": 4, "height": 3}


@dataclass(frozen=True)
class Jitsi:
    domain: str
    app_id: str
    secret: str
    audience: str


@pytest.fixture(scope="session")
def jitsi(owner_conn: psycopg.Connection[Any]) -> Iterator[Jitsi]:
    """The installation's Jitsi: the one make test deploys with (JITSI_* in the environment), or, against a
    database deployed without one, a configuration of this session's own, removed again at the end."""
    if os.environ.get("JITSI_APP_SECRET"):
        yield Jitsi(
            os.environ["JITSI_DOMAIN"],
            os.environ["JITSI_APP_ID"],
            os.environ["JITSI_APP_SECRET"],
            os.environ.get("JITSI_AUDIENCE") or "jitsi",
        )
        return
    config = Jitsi("meet.jitsi.test", "arkagentic", secrets.token_hex(32), "jitsi")
    owner_conn.execute(
        "SELECT auth.set_jitsi_config(%s, %s, %s, %s)", (config.domain, config.app_id, config.secret, config.audience)
    )
    yield config
    owner_conn.execute("SELECT auth.set_jitsi_config('', '', '', '')")


def add_meeting(owner_conn: psycopg.Connection[Any], world_id: str, jitsi_room: str = "Board") -> str:
    """A meeting building `board` over ZONE in the world's lobby; returns its id."""
    row = owner_conn.execute(
        "INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, jitsi_room)"
        " SELECT id, 'board', 'Board room', 'meeting', %s, %s, %s, %s, 11, 13, %s FROM app.rooms"
        " WHERE world_id = %s AND slug = 'lobby' RETURNING id",
        (ZONE["x"], ZONE["y"], ZONE["width"], ZONE["height"], jitsi_room, world_id),
    ).fetchone()
    assert row is not None
    return str(row[0])


def jitsi_service_token(owner_conn: psycopg.Connection[Any]) -> str:
    """A service token for jitsi_service, as `make token ROLE=jitsi_service` issues it."""
    row = owner_conn.execute("SELECT auth.issue_service_token('jitsi_service', interval '1 hour')").fetchone()
    assert row is not None
    return str(row[0])


def event_sync_fixture(name: str, room_name: str, user_id: str, user_name: str, jid: str, at: int) -> dict[str, Any]:
    """A fixture filled in: ROOM, USER_ID, USER_NAME, JID, and "T+n" as n seconds after at (epoch seconds)."""
    text = (FIXTURES / f"{name}.json").read_text()
    text = text.replace("ROOM", room_name).replace("USER_ID", user_id).replace("USER_NAME", user_name)
    text = text.replace('"JID"', json.dumps(jid))
    body: dict[str, Any] = json.loads(text, object_hook=lambda o: {k: _time(v, at) for k, v in o.items()})
    return body


def _time(value: Any, at: int) -> Any:
    if isinstance(value, str) and value.startswith("T+"):
        return at + int(value[2:])
    return value


def occupant_jid() -> str:
    return f"{uuid.uuid4()}@meet.jitsi.test/{uuid.uuid4().hex[:8]}"
