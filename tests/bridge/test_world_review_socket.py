"""Worlds under review (issue 11): a hostile client against the live privacy rule of the bridge's sockets.

A socket stays subscribed to its room for as long as the bridge keeps it there, whatever the player's
presence row says. A client that joins over the socket and then leaves over REST (POST /rpc/leave_room)
is offline in SQL but still hears the room. The ban, removal, switch to private, archive or rename that
follows must still take that socket out: app.world_evict announces every player whose presence is in the
world's rooms, offline ones too, and the bridge takes their sockets out with a removed frame. After a
rename, a socket left under the old slug would hear the next world to take that slug, a private one too.
A deleted room announces its players as removed (reason deleted) for the same reason: a room made again
under its slug would otherwise be heard by their sockets, even after a removal from the world.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

import httpx
import psycopg
import pytest

from tests.bridge.conftest import BridgeProcess, Connect, NewPlayer, Player, Socket
from tests.bridge.worlds import join

PASSWORD = "a long test passphrase"
MakeWorld = Callable[[Player, str], Coroutine[Any, Any, str]]
Register = Callable[[str], Coroutine[Any, Any, Player]]


@pytest.fixture
async def registered(new_player: NewPlayer, postgrest: str) -> AsyncIterator[Register]:
    clients: list[httpx.AsyncClient] = []

    async def make(name: str) -> Player:
        anonymous = new_player(name)
        email = f"review-{uuid.uuid4().hex[:16]}@example.org"
        reply = await anonymous.rpc("register", email=email, password=PASSWORD)
        assert reply.status_code == 200, reply.text
        token = reply.json()["token"]
        http = httpx.AsyncClient(base_url=postgrest, headers={"Authorization": f"Bearer {token}"}, timeout=10.0)
        clients.append(http)
        return Player(user_id=anonymous.user_id, token=token, name=name, http=http)

    yield make
    for http in clients:
        await http.aclose()


@pytest.fixture
async def make_world(owner_conn: psycopg.Connection[Any]) -> AsyncIterator[MakeWorld]:
    made: list[str] = []

    async def make(owner: Player, visibility: str) -> str:
        slug = f"review-{uuid.uuid4().hex[:12]}"
        reply = await owner.rpc("create_world", slug=slug, name="Review world", visibility=visibility)
        assert reply.status_code == 200, reply.text
        made.append(slug)
        return slug

    yield make
    owner_conn.execute(
        "UPDATE app.worlds SET archived_at = now() WHERE slug = ANY(%s) AND archived_at IS NULL", (made,)
    )


async def ok(response: Coroutine[Any, Any, httpx.Response]) -> Any:
    reply = await response
    assert reply.status_code in (200, 204), reply.text
    return reply.json() if reply.content else None


async def invite(owner: Player, world: str, guest: Player, role: str = "member") -> None:
    token = (await ok(owner.rpc("invite", world_slug=world, role=role)))["token"]
    assert (await ok(guest.rpc("accept_invitation", token=token)))["role"] == role


async def silent_listener(sock: Socket, player: Player, world: str) -> None:
    """Join the world's lobby over the socket, then leave over REST: offline in SQL, still in the room."""
    await join(sock, world)
    await ok(player.rpc("leave_room"))
    await sock.expect("player_left", user_id=player.user_id, world=world, room="lobby")


async def assert_deaf(sock: Socket, newcomer: Socket, world: str) -> None:
    """A newcomer joins and walks: the socket taken out hears none of it."""
    await join(newcomer, world)
    await newcomer.send({"type": "move", "x": 21, "y": 15, "direction": "right"})
    await newcomer.ping()
    heard = [f for f in await sock.drain(0.5) if f.get("world") == world]
    assert not heard, f"{sock.name} still hears {world}: {heard}"


@pytest.mark.parametrize("change", ["ban", "remove", "private", "archive", "rename"])
async def test_a_socket_whose_player_left_over_rest_is_still_taken_out_by_a_change_of_rules(
    bridge: BridgeProcess,
    open_socket: Connect,
    new_player: NewPlayer,
    registered: Register,
    make_world: MakeWorld,
    owner_conn: psycopg.Connection[Any],
    change: str,
) -> None:
    owner = await registered("Review owner")
    spy, friend = new_player("Review spy"), new_player("Review friend")
    visibility = {"ban": "public", "private": "unlisted", "rename": "public"}.get(change, "private")
    world = await make_world(owner, visibility)
    if change in ("remove", "archive"):
        await invite(owner, world, spy)
    if change in ("remove", "archive", "ban"):
        await invite(owner, world, friend)
    s = await open_socket(bridge, spy.token, name="spy")
    f = await open_socket(bridge, friend.token, name="friend")
    o = await open_socket(bridge, owner.token, name="owner")
    await join(o, world)
    await silent_listener(s, spy, world)

    if change == "ban":
        await ok(owner.rpc("ban", world_slug=world, user_id=spy.user_id, reason="listening in"))
    elif change == "remove":
        await ok(owner.rpc("remove_member", world_slug=world, user_id=spy.user_id))
    elif change == "private":
        patched = await owner.http.patch(
            "/worlds",
            params={"slug": f"eq.{world}"},
            json={"visibility": "private"},
            headers={"Prefer": "return=minimal"},
        )
        assert patched.status_code == 204, patched.text
        await invite(owner, world, friend)
    elif change == "rename":
        renamed = f"{world}-moved"
        patched = await owner.http.patch(
            "/worlds", params={"slug": f"eq.{world}"}, json={"slug": renamed}, headers={"Prefer": "return=minimal"}
        )
        assert patched.status_code == 204, patched.text
        await o.expect("removed", world=world, reason="renamed")
        # The freed slug goes to a new private world, which the spy may not see.
        owner_conn.execute("UPDATE app.worlds SET archived_at = now() WHERE slug = %s", (renamed,))
        await ok(owner.rpc("create_world", slug=world, name="Taken slug", visibility="private"))
        await invite(owner, world, friend)
    else:
        await ok(owner.rpc("archive_world", slug=world))
        # The owner restores it at once: the spy, a member, may come back by a join, not by staying.
        await ok(owner.rpc("restore_world", slug=world))
        await o.expect("removed", world=world)
        await join(o, world)
    removed = await s.expect("removed", world=world, room="lobby")
    assert removed["reason"] in ("banned", "removed", "private", "archived", "renamed")
    if change == "archive":
        # Still a member: the spy may join again, but only by joining.
        return
    await assert_deaf(s, f, world)


async def test_a_socket_in_a_deleted_room_hears_nothing_of_a_room_made_again_under_its_slug_after_removal(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer, registered: Register, make_world: MakeWorld
) -> None:
    owner = await registered("Review builder")
    spy, friend = new_player("Review lodger"), new_player("Review tenant")
    world = await make_world(owner, "private")
    await invite(owner, world, spy)
    await invite(owner, world, friend)
    world_id = (await ok(owner.rpc("get_world", slug=world)))["id"]
    annex = {
        "world_id": world_id,
        "slug": "annex",
        "name": "Annex",
        "width_tiles": 30,
        "height_tiles": 30,
        "default_spawn_x": 21,
        "default_spawn_y": 15,
    }
    made = await owner.http.post("/rooms", json=annex)
    assert made.status_code == 201, made.text
    s = await open_socket(bridge, spy.token, name="lodger")
    f = await open_socket(bridge, friend.token, name="tenant")
    await join(s, world, "annex")
    deleted = await owner.http.delete("/rooms", params={"world_id": f"eq.{world_id}", "slug": "eq.annex"})
    assert deleted.status_code == 204, deleted.text
    assert await s.expect("removed", world=world, room="annex") == {
        "type": "removed",
        "world": world,
        "room": "annex",
        "reason": "deleted",
    }
    made = await owner.http.post("/rooms", json=annex)
    assert made.status_code == 201, made.text
    await ok(owner.rpc("remove_member", world_slug=world, user_id=spy.user_id))
    await join(f, world, "annex")
    await f.send({"type": "move", "x": 22, "y": 15, "direction": "right"})
    await f.ping()
    heard = [frame for frame in await s.drain(0.5) if frame.get("world") == world]
    assert not heard, f"the removed lodger still hears {world}/annex: {heard}"
