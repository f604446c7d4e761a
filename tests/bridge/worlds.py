"""What the socket tests of worlds share (tests/bridge/test_worlds_socket.py, test_world_attack_socket.py,
test_world_api_live.py): a world arranged by SQL as the owner, and a join frame with its presence_state."""

from __future__ import annotations

import uuid
from typing import Any

import psycopg

from tests.bridge.conftest import Socket


def insert_world(owner_conn: psycopg.Connection[Any], owner_id: str, visibility: str, prefix: str) -> tuple[str, str]:
    """A world owned by owner_id with its main room `lobby` (40 x 30, spawn 5,5), made in one transaction
    as the one-owner rule wants (the owner's member row is checked at commit). Returns (id, slug)."""
    slug = f"{prefix}-{uuid.uuid4().hex[:12]}"
    with owner_conn.transaction():
        row = owner_conn.execute(
            "INSERT INTO app.worlds (slug, name, owner_id, visibility) VALUES (%s, 'Socket test world', %s, %s)"
            " RETURNING id",
            (slug, owner_id, visibility),
        ).fetchone()
        assert row is not None
        world_id = str(row[0])
        owner_conn.execute(
            "INSERT INTO app.world_members (world_id, user_id, role) VALUES (%s, %s, 'owner')", (world_id, owner_id)
        )
        owner_conn.execute(
            "INSERT INTO app.rooms (world_id, slug, name, width_tiles, height_tiles, default_spawn_x,"
            " default_spawn_y, is_main) VALUES (%s, 'lobby', 'Lobby', 40, 30, 5, 5, true)",
            (world_id,),
        )
    return world_id, slug


async def join(sock: Socket, world: str, room: str = "lobby") -> dict[str, Any]:
    """Send a join frame for (world, room) and return the presence_state it answers."""
    await sock.send({"type": "join", "world": world, "room": room})
    return await sock.expect("presence_state", world=world, room=room)
