"""The world API's changes reach the sockets live (issue 11), end to end: the owner calls the REST
functions (ban, remove_member, PATCH /worlds to private, archive_world) through a real PostgREST, and
the players' sockets on a real bridge are taken out of the world's rooms by the transaction that made
the change, with a removed frame for them and player_left for the others. tests/bridge/test_worlds_socket.py
arranges the same changes by SQL; this file proves the API path the game client's owner uses.
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
    """registered(name): a fresh player, registered (only registered players create worlds), with a client
    on the token that register returns."""
    clients: list[httpx.AsyncClient] = []

    async def make(name: str) -> Player:
        anonymous = new_player(name)
        email = f"live-{uuid.uuid4().hex[:16]}@example.org"
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
        slug = f"live-{uuid.uuid4().hex[:12]}"
        reply = await owner.rpc("create_world", slug=slug, name="Live world", visibility=visibility)
        assert reply.status_code == 200, reply.text
        assert reply.json()["main_room_slug"] == "lobby"
        made.append(slug)
        return slug

    yield make
    # Archived, so that nobody stays present in these worlds for later tests.
    owner_conn.execute(
        "UPDATE app.worlds SET archived_at = now() WHERE slug = ANY(%s) AND archived_at IS NULL", (made,)
    )


async def ok(response: Coroutine[Any, Any, httpx.Response]) -> Any:
    reply = await response
    assert reply.status_code in (200, 204), reply.text
    return reply.json() if reply.content else None


async def join_lobby(sock: Socket, world: str) -> list[str]:
    """Join the world's lobby; the ids of the players there."""
    state = await join(sock, world)
    return sorted(p["user_id"] for p in state["players"])


async def invite(owner: Player, world: str, guest: Player, role: str = "member") -> None:
    token = (await ok(owner.rpc("invite", world_slug=world, role=role)))["token"]
    assert (await ok(guest.rpc("accept_invitation", token=token)))["role"] == role


async def test_a_ban_through_the_api_takes_the_player_out_live_and_the_others_see_player_left(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer, registered: Register, make_world: MakeWorld
) -> None:
    owner = await registered("Api warden")
    rogue, bystander = new_player("Api rogue"), new_player("Api bystander")
    world = await make_world(owner, "public")
    o, r, b = [await open_socket(bridge, p.token, name=p.name) for p in (owner, rogue, bystander)]
    for sock in (o, r, b):
        await join_lobby(sock, world)
    await r.expect("player_joined", where=lambda f: f["player"]["user_id"] == bystander.user_id)

    await ok(owner.rpc("ban", world_slug=world, user_id=rogue.user_id, reason="griefing"))
    assert await r.expect("removed") == {"type": "removed", "world": world, "room": "lobby", "reason": "banned"}
    for sock in (o, b):
        await sock.expect("player_left", user_id=rogue.user_id, world=world, room="lobby")
    # The ban holds: the socket and REST both refuse the world, as if it did not exist.
    await r.send({"type": "join", "world": world, "room": "lobby"})
    assert (await r.expect("error"))["code"] == "unknown_room"
    refused = await rogue.rpc("enter_room", room_slug="lobby", world_slug=world)
    assert refused.status_code == 404, refused.text
    # Unbanned, the player may come back (a public world), and is seen again.
    await ok(owner.rpc("unban", world_slug=world, user_id=rogue.user_id))
    assert rogue.user_id in await join_lobby(r, world)


async def test_removing_a_member_of_a_private_world_takes_them_out_and_leaving_a_public_one_does_not(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer, registered: Register, make_world: MakeWorld
) -> None:
    owner = await registered("Api host")
    guest = new_player("Api guest")
    private, public = await make_world(owner, "private"), await make_world(owner, "public")
    await invite(owner, private, guest)
    await invite(owner, public, guest)
    o, g = await open_socket(bridge, owner.token, name="host"), await open_socket(bridge, guest.token, name="guest")

    # A public world: removal ends the membership, not the visit.
    await join_lobby(o, public)
    await join_lobby(g, public)
    await ok(owner.rpc("remove_member", world_slug=public, user_id=guest.user_id))
    await o.send({"type": "status", "status": "busy"})
    await g.expect("player_status", user_id=owner.user_id, world=public)
    assert not [f for f in g.frames if f.get("type") == "removed"], "removal from a public world removes nobody"

    # A private world: the removed member leaves its rooms at once.
    await join_lobby(o, private)
    assert sorted([owner.user_id, guest.user_id]) == await join_lobby(g, private)
    await ok(owner.rpc("remove_member", world_slug=private, user_id=guest.user_id))
    assert await g.expect("removed") == {"type": "removed", "world": private, "room": "lobby", "reason": "removed"}
    await o.expect("player_left", user_id=guest.user_id, world=private)


async def test_patching_a_world_to_private_removes_visitors_and_an_archive_removes_everyone(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer, registered: Register, make_world: MakeWorld
) -> None:
    owner = await registered("Api keeper")
    member, visitor = new_player("Api member"), new_player("Api visitor")
    world = await make_world(owner, "unlisted")
    await invite(owner, world, member)
    socks = {p.user_id: await open_socket(bridge, p.token, name=p.name) for p in (owner, member, visitor)}
    for sock in socks.values():
        await join_lobby(sock, world)  # the visitor comes in by the unlisted slug

    patched = await owner.http.patch(
        "/worlds", params={"slug": f"eq.{world}"}, json={"visibility": "private"}, headers={"Prefer": "return=minimal"}
    )
    assert patched.status_code == 204, patched.text
    assert (await socks[visitor.user_id].expect("removed"))["reason"] == "private"
    for who in (owner, member):
        await socks[who.user_id].expect("player_left", user_id=visitor.user_id, world=world)
        assert not [f for f in socks[who.user_id].frames if f.get("type") == "removed"]

    await ok(owner.rpc("archive_world", slug=world))
    for who in (owner, member):
        removed = await socks[who.user_id].expect("removed")
        assert removed == {"type": "removed", "world": world, "room": "lobby", "reason": "archived"}
    # Restored, it is as it was: the member may walk in again.
    await ok(owner.rpc("restore_world", slug=world))
    assert member.user_id in await join_lobby(socks[member.user_id], world)
