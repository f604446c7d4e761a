"""Presence in a world of worlds (issue 11), through real bridge processes and real sockets.

Worlds, memberships, bans, visibility and archives are arranged as the database owner, by plain SQL
(committed), as the world API would leave them: these tests are about what the socket then sees. A
refused world answers unknown_room exactly like a room that does not exist; two worlds may each have a
room `lobby` and never hear each other; a ban, a switch to private and an archive take the players
concerned out of the room live, with a removed frame, while the others see player_left.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest

from tests.bridge.conftest import BridgeProcess, Connect, NewPlayer, Player
from tests.bridge.test_hub import mentions
from tests.bridge.worlds import insert_world, join

MakeWorld = Callable[..., str]


@pytest.fixture
def make_world(owner_conn: psycopg.Connection[Any]) -> Iterator[MakeWorld]:
    """make_world(owner, visibility) creates a world owned by that player with its main room `lobby`
    (40 x 30, spawn 5,5), in one transaction as the one-owner rule wants; returns its slug."""
    made: list[str] = []

    def make(owner: Player, visibility: str = "public") -> str:
        _, slug = insert_world(owner_conn, owner.user_id, visibility, "wt")
        made.append(slug)
        return slug

    yield make
    for slug in made:
        # Archived (evicting anyone left), so that no later test's presence is in these worlds.
        owner_conn.execute("UPDATE app.worlds SET archived_at = now() WHERE slug = %s AND archived_at IS NULL", (slug,))


def add_member(owner_conn: psycopg.Connection[Any], world: str, player: Player, role: str = "member") -> None:
    owner_conn.execute(
        "INSERT INTO app.world_members (world_id, user_id, role) SELECT id, %s, %s FROM app.worlds WHERE slug = %s",
        (player.user_id, role, world),
    )


def names(state: dict[str, Any]) -> list[str]:
    return [p["display_name"] for p in state["players"]]


async def test_an_outsider_joining_a_private_world_gets_unknown_room_as_for_no_room_and_hears_nothing_of_it(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer, make_world: MakeWorld
) -> None:
    owner, outsider = new_player("Keeper"), new_player("Stranger")
    world = make_world(owner, "private")
    o = await open_socket(bridge, owner.token, name="owner")
    x = await open_socket(bridge, outsider.token, name="outsider")
    assert names(await join(o, world)) == ["Keeper"]

    refusals = []
    for frame in (
        {"type": "join", "world": world, "room": "lobby"},  # a private world, a room that exists
        {"type": "join", "world": world, "room": "no-such-room"},  # that world, no such room
        {"type": "join", "world": f"no-{world}", "room": "lobby"},  # no such world
        {"type": "join", "room": f"no-{world}"},  # the default world, no such room
    ):
        await x.send(frame)
        refusals.append(await x.expect("error"))
    assert refusals[0]["code"] == "unknown_room"
    assert refusals == [refusals[0]] * 4, "every refusal must read the same, so existence does not leak"

    await o.send({"type": "move", "x": 6, "y": 5, "direction": "right"})
    await o.send({"type": "status", "status": "busy"})
    await o.expect("player_status", user_id=owner.user_id)
    await x.ping()
    assert not [f for f in x.frames if f.get("world") == world], "the outsider heard the private world"
    # Nor may it move there: it is in no room.
    await x.send({"type": "move", "x": 6, "y": 5, "direction": "right"})
    assert (await x.expect("error"))["reason"] == "not_in_room"


async def test_two_worlds_with_a_lobby_each_do_not_see_each_others_players(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer, make_world: MakeWorld
) -> None:
    ann, ben = new_player("Ann of one"), new_player("Ben of two")
    one, two = make_world(ann), make_world(ben)
    a = await open_socket(bridge, ann.token, name="ann")
    b = await open_socket(bridge, ben.token, name="ben")
    assert names(await join(a, one)) == ["Ann of one"]
    assert names(await join(b, two)) == ["Ben of two"], "the other world's lobby has its own players"

    await a.send({"type": "move", "x": 6, "y": 5, "direction": "right"})
    await b.send({"type": "move", "x": 6, "y": 5, "direction": "right"})
    # Each sees the other world only after joining it, and then in that world's lobby.
    c = await open_socket(bridge, new_player("Cat").token, name="cat")
    state = await join(c, one)
    assert names(state) == ["Ann of one", "Cat"], "world one's lobby holds its own players only"
    await a.expect("player_joined", world=one, room="lobby")
    await a.ping()
    await b.ping()
    assert not [f for f in a.frames if mentions(f, ben.user_id)], "Ann heard Ben from the other lobby"
    assert not [f for f in b.frames if mentions(f, ann.user_id)], "Ben heard Ann from the other lobby"
    assert all(f.get("world") == one for f in a.frames if f.get("type") in {"player_joined", "moves"})


async def test_a_ban_takes_the_players_sockets_out_live_and_the_others_see_player_left(
    bridge: BridgeProcess,
    open_socket: Connect,
    new_player: NewPlayer,
    make_world: MakeWorld,
    owner_conn: psycopg.Connection[Any],
) -> None:
    owner, rogue, walker = new_player("Warden"), new_player("Rogue"), new_player("Walker by REST")
    world = make_world(owner)
    o = await open_socket(bridge, owner.token, name="owner")
    tab1 = await open_socket(bridge, rogue.token, name="rogue tab 1")
    tab2 = await open_socket(bridge, rogue.token, name="rogue tab 2")
    await join(o, world)
    await join(tab1, world)
    await join(tab2, world)
    # A player present through REST only, with no socket at all.
    entered = await walker.rpc("enter_room", room_slug="lobby", world_slug=world)
    assert entered.status_code == 200, entered.text
    assert entered.json()["world"] == world
    await o.expect("player_joined", where=lambda f: f["player"]["user_id"] == walker.user_id)

    owner_conn.execute(
        "INSERT INTO app.world_bans (world_id, user_id, reason, banned_by) SELECT id, %s, 'test', %s"
        " FROM app.worlds WHERE slug = %s",
        (rogue.user_id, owner.user_id, world),
    )
    for tab in (tab1, tab2):
        removed = await tab.expect("removed")
        assert removed == {"type": "removed", "world": world, "room": "lobby", "reason": "banned"}
    left = await o.expect("player_left", user_id=rogue.user_id)
    assert left == {"type": "player_left", "world": world, "room": "lobby", "user_id": rogue.user_id}
    assert not [f for f in o.frames if f.get("type") == "removed"], "only the banned player is removed"

    # Out of the room in the bridge, and offline in SQL: a move is refused, and nothing of the world follows.
    await tab1.send({"type": "move", "x": 6, "y": 5, "direction": "right"})
    assert (await tab1.expect("error"))["reason"] == "not_in_room"
    await tab2.send({"type": "join", "world": world, "room": "lobby"})
    assert (await tab2.expect("error"))["code"] == "unknown_room"
    heard = len(tab1.frames)
    await o.send({"type": "move", "x": 6, "y": 5, "direction": "right"})
    await o.send({"type": "status", "status": "busy"})
    await o.expect("player_status", user_id=owner.user_id)
    await tab1.ping()
    assert not [f for f in tab1.frames[heard:] if f.get("world") == world], "a removed socket still hears the room"

    # The REST-only player: the others see them leave, and their next REST move is refused.
    owner_conn.execute(
        "INSERT INTO app.world_bans (world_id, user_id, banned_by) SELECT id, %s, %s FROM app.worlds WHERE slug = %s",
        (walker.user_id, owner.user_id, world),
    )
    await o.expect("player_left", user_id=walker.user_id, world=world)
    moved = await walker.rpc("move", x=6, y=6, direction="down")
    assert moved.status_code == 400 and moved.json()["details"] == "not_in_room", moved.text
    where = owner_conn.execute(
        "SELECT w.slug, r.slug, p.status FROM app.player_presence p JOIN app.rooms r ON r.id = p.room_id"
        " JOIN app.worlds w ON w.id = r.world_id WHERE p.user_id = %s",
        (rogue.user_id,),
    ).fetchone()
    assert where == ("ark", "town", "offline"), "an evicted presence waits, offline, in the default world's main room"


async def test_switching_a_world_to_private_removes_non_members_only(
    bridge: BridgeProcess,
    open_socket: Connect,
    new_player: NewPlayer,
    make_world: MakeWorld,
    owner_conn: psycopg.Connection[Any],
) -> None:
    owner, member, visitor = new_player("Host"), new_player("Member"), new_player("Visitor")
    world = make_world(owner, "unlisted")
    add_member(owner_conn, world, member)
    o = await open_socket(bridge, owner.token, name="owner")
    m = await open_socket(bridge, member.token, name="member")
    v = await open_socket(bridge, visitor.token, name="visitor")
    for sock in (o, m, v):
        await join(sock, world)
    assert owner_conn.execute(
        "SELECT count(*) FROM app.world_visitors v JOIN app.worlds w ON w.id = v.world_id WHERE w.slug = %s",
        (world,),
    ).fetchone() == (1,), "joining an unlisted world by slug records a visitor"
    # A demotion and a removal from a world that stays unlisted for a member who is not there: nobody moves.
    owner_conn.execute(
        "UPDATE app.world_members SET role = 'member' WHERE user_id = %s AND world_id = (SELECT id FROM app.worlds"
        " WHERE slug = %s)",
        (member.user_id, world),
    )

    owner_conn.execute("UPDATE app.worlds SET visibility = 'private' WHERE slug = %s", (world,))
    assert await v.expect("removed") == {"type": "removed", "world": world, "room": "lobby", "reason": "private"}
    for sock in (o, m):
        await sock.expect("player_left", user_id=visitor.user_id, world=world, room="lobby")
    await m.send({"type": "move", "x": 6, "y": 5, "direction": "right"})
    await o.expect("moves", where=lambda f: mentions(f, member.user_id))
    assert not [f for f in o.frames + m.frames if f.get("type") == "removed"], "a member was removed"


async def test_an_archive_removes_everyone_the_owner_included(
    bridge: BridgeProcess,
    open_socket: Connect,
    new_player: NewPlayer,
    make_world: MakeWorld,
    owner_conn: psycopg.Connection[Any],
) -> None:
    owner, guest = new_player("Archivist"), new_player("Guest")
    world = make_world(owner)
    o = await open_socket(bridge, owner.token, name="owner")
    g = await open_socket(bridge, guest.token, name="guest")
    await join(o, world)
    await join(g, world)
    owner_conn.execute("UPDATE app.worlds SET archived_at = now() WHERE slug = %s", (world,))
    for sock in (o, g):
        assert await sock.expect("removed") == {
            "type": "removed",
            "world": world,
            "room": "lobby",
            "reason": "archived",
        }
    await o.send({"type": "join", "world": world, "room": "lobby"})
    assert (await o.expect("error"))["code"] == "unknown_room", "nobody enters an archived world, its owner neither"


async def test_a_member_walks_in_a_room_an_editor_built(
    bridge: BridgeProcess,
    open_socket: Connect,
    new_player: NewPlayer,
    make_world: MakeWorld,
    owner_conn: psycopg.Connection[Any],
) -> None:
    owner, editor, member = new_player("Founder"), new_player("Builder"), new_player("Stroller")
    world = make_world(owner, "private")
    add_member(owner_conn, world, editor, "editor")
    add_member(owner_conn, world, member)
    # What the editor's POST /rooms and POST /spawn_points would insert.
    owner_conn.execute(
        "INSERT INTO app.rooms (world_id, slug, name, width_tiles, height_tiles, default_spawn_x, default_spawn_y)"
        " SELECT id, 'garden', 'Garden', 12, 8, 1, 1 FROM app.worlds WHERE slug = %s",
        (world,),
    )
    owner_conn.execute(
        "INSERT INTO app.spawn_points (room_id, slug, type, x, y, direction)"
        " SELECT r.id, 'gate', 'player', 3, 4, 'up' FROM app.rooms r JOIN app.worlds w ON w.id = r.world_id"
        " WHERE w.slug = %s AND r.slug = 'garden'",
        (world,),
    )
    e = await open_socket(bridge, editor.token, name="editor")
    m = await open_socket(bridge, member.token, name="member")
    await join(e, world, "garden")
    state = await join(m, world, "garden")
    me = next(p for p in state["players"] if p["user_id"] == member.user_id)
    assert (me["x"], me["y"], me["direction"]) == (3, 4, "up"), "a first visit starts at the editor's spawn point"
    await m.send({"type": "move", "x": 4, "y": 4, "direction": "right"})
    moves = await e.expect("moves", where=lambda f: mentions(f, member.user_id))
    assert moves["world"] == world and moves["room"] == "garden"
    assert moves["moves"] == [{"user_id": member.user_id, "x": 4, "y": 4, "direction": "right"}]
