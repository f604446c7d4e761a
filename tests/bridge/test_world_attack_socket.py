"""Attacks on live world presence (issue 11) through real bridge processes and real sockets.

The bridge keys a room by (world slug, room slug). The owner may change a world's slug (PATCH /worlds
{slug}) while players are in it: every later frame, the removed frame of a ban included, then names the
new slug, and a socket that joined under the old one must still be reached. Hostile join frames must be
refused with an error frame and leave the socket serving.

Worlds, memberships and bans are arranged as the database owner, by plain SQL (committed), as the world
API would leave them.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from tests.bridge.conftest import BridgeProcess, Connect, NewPlayer, Player, StartBridge
from tests.bridge.worlds import insert_world, join


@pytest.fixture
def worlds(owner_conn: psycopg.Connection[Any]) -> Iterator[list[str]]:
    """World ids a test made: archived at its end (evicting anyone left), then deleted."""
    made: list[str] = []
    yield made
    for world_id in made:
        owner_conn.execute(
            "UPDATE app.worlds SET archived_at = now() WHERE id = %s AND archived_at IS NULL", (world_id,)
        )
        owner_conn.execute("DELETE FROM app.worlds WHERE id = %s", (world_id,))


def make_world(
    owner_conn: psycopg.Connection[Any], worlds: list[str], owner: Player, visibility: str
) -> tuple[str, str]:
    world_id, slug = insert_world(owner_conn, owner.user_id, visibility, "wx")
    worlds.append(world_id)
    return world_id, slug


async def test_a_ban_after_the_world_is_renamed_still_takes_the_socket_out(
    bridge: BridgeProcess,
    open_socket: Connect,
    new_player: NewPlayer,
    owner_conn: psycopg.Connection[Any],
    worlds: list[str],
) -> None:
    owner, rogue = new_player("Renamer"), new_player("Rogue of the old name")
    world_id, old = make_world(owner_conn, worlds, owner, "public")
    o = await open_socket(bridge, owner.token, name="owner")
    r = await open_socket(bridge, rogue.token, name="rogue")
    await join(o, old)
    await join(r, old)
    new = f"{old}-renamed"
    owner_conn.execute("UPDATE app.worlds SET slug = %s WHERE id = %s", (new, world_id))
    # The sockets knew the rooms by the old slug: a rename takes everyone out under it (no socket is left
    # in a room the bridge can no longer name), and they join again under the new one.
    for sock in (o, r):
        assert await sock.expect("removed") == {"type": "removed", "world": old, "room": "lobby", "reason": "renamed"}
        await join(sock, new)
    owner_conn.execute(
        "INSERT INTO app.world_bans (world_id, user_id, reason, banned_by) VALUES (%s, %s, 'after rename', %s)",
        (world_id, rogue.user_id, owner.user_id),
    )
    removed = await r.expect("removed")
    assert removed == {"type": "removed", "world": new, "room": "lobby", "reason": "banned"}
    await r.send({"type": "move", "x": 6, "y": 5, "direction": "right"})
    assert (await r.expect("error"))["reason"] == "not_in_room"


async def test_players_of_a_renamed_world_still_see_each_other(
    bridge: BridgeProcess,
    open_socket: Connect,
    new_player: NewPlayer,
    owner_conn: psycopg.Connection[Any],
    worlds: list[str],
) -> None:
    owner, late = new_player("Early"), new_player("Late")
    world_id, old = make_world(owner_conn, worlds, owner, "public")
    o = await open_socket(bridge, owner.token, name="early")
    await join(o, old)
    new = f"{old}-renamed"
    owner_conn.execute("UPDATE app.worlds SET slug = %s WHERE id = %s", (new, world_id))
    assert (await o.expect("removed", world=old))["reason"] == "renamed"
    await join(o, new)
    n = await open_socket(bridge, late.token, name="late")
    state = await join(n, new)
    assert {p["user_id"] for p in state["players"]} == {owner.user_id, late.user_id}
    await o.expect("player_joined", where=lambda f: f["player"]["user_id"] == late.user_id)
    await n.send({"type": "move", "x": 6, "y": 5, "direction": "right"})
    await o.expect("moves")


@pytest.mark.parametrize(
    "world",
    ["\u0000", "x" * 10_000, 5, ["ark"], {"slug": "ark"}, True, "ARK", "ark\u202e", " ark"],
    ids=["nul", "10kB", "number", "list", "object", "bool", "upper", "bidi", "space"],
)
async def test_hostile_world_in_a_join_frame_is_an_error_frame_and_the_socket_keeps_serving(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer, world: Any
) -> None:
    sock = await open_socket(bridge, new_player("Hostile joiner").token, name="hostile")
    await sock.send({"type": "join", "world": world, "room": "town"})
    error = await sock.expect("error")
    assert len(str(error)) < 2_000, "the error frame echoes the hostile value"
    await sock.ping()
    state = await join(sock, "ark", "town")
    assert state["world"] == "ark"


async def test_deleting_the_owner_account_tells_the_room_its_players_left(
    bridge: BridgeProcess,
    open_socket: Connect,
    new_player: NewPlayer,
    owner_conn: psycopg.Connection[Any],
    worlds: list[str],
) -> None:
    """worlds.owner_id cascades: the owner's account deleted (by an operator) deletes the world and its
    rooms. The players inside used to be made to leave by rooms_keep_history, whose player_left frame was
    built after the world row was gone: the NOTIFY carried an empty payload, the bridge dropped it, and
    the sockets stayed in a room that no longer existed. Now the world's deletion takes everyone out
    first, while its slug can still be named: each socket gets removed, reason deleted."""
    owner, one, two = new_player("Doomed owner"), new_player("Guest one"), new_player("Guest two")
    world_id, slug = make_world(owner_conn, worlds, owner, "public")
    a = await open_socket(bridge, one.token, name="one")
    b = await open_socket(bridge, two.token, name="two")
    await join(a, slug)
    await join(b, slug)
    await a.expect("player_joined", where=lambda f: f["player"]["user_id"] == two.user_id)
    owner_conn.execute("DELETE FROM app.users WHERE id = %s", (owner.user_id,))
    for sock in (a, b):
        assert await sock.expect("removed") == {"type": "removed", "world": slug, "room": "lobby", "reason": "deleted"}
    await a.send({"type": "move", "x": 6, "y": 5, "direction": "right"})
    assert (await a.expect("error"))["reason"] == "not_in_room"


async def test_a_ban_during_a_listener_outage_still_takes_the_socket_out(
    start_bridge: StartBridge,
    open_socket: Connect,
    new_player: NewPlayer,
    owner_conn: psycopg.Connection[Any],
    worlds: list[str],
) -> None:
    """The bridge's LISTEN connection is cut and the ban commits while it reconnects: the resync
    (realtime.rejoin_room) must take the banned socket out all the same. (Passes: the resync's refused
    list does it.)"""
    bridge = start_bridge()
    owner, rogue = new_player("Outage owner"), new_player("Outage rogue")
    world_id, slug = make_world(owner_conn, worlds, owner, "public")
    o = await open_socket(bridge, owner.token, name="owner")
    r = await open_socket(bridge, rogue.token, name="rogue")
    await join(o, slug)
    await join(r, slug)
    owner_conn.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE application_name = 'ark-bridge-listener' AND datname = current_database()"
    )
    owner_conn.execute(
        "INSERT INTO app.world_bans (world_id, user_id, reason, banned_by) VALUES (%s, %s, 'outage', %s)",
        (world_id, rogue.user_id, owner.user_id),
    )
    await r.expect("removed", timeout=15.0)

    # The others learn it as player_left, or (after an outage) from the resync's presence_state.
    def told(f: dict[str, Any]) -> bool:
        if f.get("type") == "player_left":
            return bool(f.get("user_id") == rogue.user_id)
        return f.get("type") == "presence_state" and rogue.user_id not in {p["user_id"] for p in f["players"]}

    while not any(told(f) for f in o.frames):
        await o.recv(timeout=15.0)


async def test_a_bridge_killed_after_a_ban_lets_no_banned_socket_back_in(
    start_bridge: StartBridge,
    open_socket: Connect,
    new_player: NewPlayer,
    owner_conn: psycopg.Connection[Any],
    worlds: list[str],
) -> None:
    """kill -9 of the bridge right after the ban commits (its NOTIFY maybe never delivered): after the
    restart the banned player's reconnect and join are refused, and SQL has them offline."""
    bridge = start_bridge()
    owner, rogue = new_player("Kill owner"), new_player("Kill rogue")
    world_id, slug = make_world(owner_conn, worlds, owner, "public")
    r = await open_socket(bridge, rogue.token, name="rogue")
    await join(r, slug)
    owner_conn.execute(
        "INSERT INTO app.world_bans (world_id, user_id, reason, banned_by) VALUES (%s, %s, 'kill', %s)",
        (world_id, rogue.user_id, owner.user_id),
    )
    bridge.proc.proc.send_signal(signal.SIGKILL)
    bridge.proc.proc.wait()
    bridge.start_again()
    again = await open_socket(bridge, rogue.token, name="rogue again")
    await again.send({"type": "join", "world": slug, "room": "lobby"})
    assert (await again.expect("error"))["code"] == "unknown_room"
    status = owner_conn.execute(
        "SELECT status FROM app.player_presence WHERE user_id = %s", (rogue.user_id,)
    ).fetchone()
    assert status == ("offline",)
