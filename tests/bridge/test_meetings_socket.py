"""Meeting rooms over real sockets (issue 14): two players walk into a meeting building's zone, the room
hears meeting_joined for each and GET /meetings lists both; one walks out (meeting_left); the other's
socket closes and, after the grace period, the session is closed with both durations recorded. Then
Jitsi's event_sync posts to the bridge's /jitsi/events/... with a jitsi_service token: replayed
events count once, other tokens are refused.

The world and its meeting building are arranged by SQL as the owner; everything after goes through the
bridge and PostgREST.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import psycopg
import pytest

from tests.bridge.conftest import Connect, NewPlayer, Player, Socket, StartBridge
from tests.bridge.worlds import insert_world, join
from tests.meetings import ZONE, add_meeting, event_sync_fixture, jitsi, jitsi_service_token, occupant_jid

pytestmark = pytest.mark.usefixtures(jitsi.__name__)


def board_world(owner_conn: psycopg.Connection[Any], owner: Player) -> tuple[str, str, str]:
    """A public world with the board room; returns (world id, slug, building id)."""
    world_id, slug = insert_world(owner_conn, owner.user_id, "public", "mt")
    return world_id, slug, add_meeting(owner_conn, world_id)


async def walk(sock: Socket, x: int, y: int, direction: str = "right") -> None:
    """One move; a rejection would come back as an error frame, which the caller's expect then shows."""
    await sock.send({"type": "move", "x": x, "y": y, "direction": direction})


async def test_two_walk_in_one_walks_out_the_other_disconnects_and_the_session_closes_after_the_grace(
    start_bridge: StartBridge, open_socket: Connect, new_player: NewPlayer, owner_conn: psycopg.Connection[Any]
) -> None:
    bridge = start_bridge(BRIDGE_GRACE_SECONDS="1")
    ada, bob = new_player("Ada Meets"), new_player("Bob Meets")
    world_id, world, building = board_world(owner_conn, ada)
    a = await open_socket(bridge, ada.token, name="ada")
    b = await open_socket(bridge, bob.token, name="bob")
    state = await join(a, world)
    assert [p["meeting"] for p in state["players"]] == [None], "presence_state carries meeting, null outside"
    await join(b, world)

    # Both walk from the spawn (5,5) into the board room (x 10..13, y 10..12).
    await walk(a, ZONE["x"], ZONE["y"])
    for sock in (a, b):
        frame = await sock.expect("meeting_joined", user_id=ada.user_id)
        assert frame == {"type": "meeting_joined", "world": world, "room": "lobby", "building_id": building,
                         "user_id": ada.user_id}  # fmt: skip
    await walk(b, ZONE["x"] + 1, ZONE["y"] + 1)
    for sock in (a, b):
        await sock.expect("meeting_joined", user_id=bob.user_id, building_id=building)

    meetings = (await ada.http.get("/meetings", params={"world_slug": f"eq.{world}"})).json()
    assert len(meetings) == 1
    assert meetings[0]["building_id"] == building and meetings[0]["room_slug"] == "lobby"
    assert meetings[0]["jitsi_room"] == f"{world}_board"
    assert sorted(p["display_name"] for p in meetings[0]["participants"]) == ["Ada Meets", "Bob Meets"]
    assert {p["in_call"] for p in meetings[0]["participants"]} == {False}
    # A fresh presence_state names the meeting of each.
    state = await join(a, world)
    assert {p["meeting"] for p in state["players"]} == {building}

    # Bob walks out (the move allowance refills at 10 tiles/s: wait for it rather than be too_fast).
    await asyncio.sleep(0.6)
    await walk(b, ZONE["x"] + ZONE["width"] + 1, ZONE["y"] + 1)
    for sock in (a, b):
        await sock.expect("meeting_left", user_id=bob.user_id, building_id=building)
    meetings = (await bob.http.get("/meetings", params={"world_slug": f"eq.{world}"})).json()
    assert [p["display_name"] for p in meetings[0]["participants"]] == ["Ada Meets"]

    # Ada's socket goes away; her grace period (1 s) ends, and the last one out closes the session.
    await a.close()
    await b.expect("meeting_left", user_id=ada.user_id, building_id=building, timeout=10)
    await b.expect("player_left", user_id=ada.user_id)
    rows = owner_conn.execute(
        "SELECT s.ended_at IS NOT NULL, a.user_id::text, a.left_at - a.joined_at FROM app.meeting_attendance a"
        " JOIN app.meeting_sessions s ON s.id = a.session_id WHERE a.building_id = %s ORDER BY a.joined_at",
        (building,),
    ).fetchall()
    assert [(closed, who) for closed, who, _ in rows] == [(True, ada.user_id), (True, bob.user_id)]
    assert all(duration.total_seconds() > 0 for _, _, duration in rows)
    assert rows[0][2] > rows[1][2], "Ada stayed longer than Bob"
    assert (await ada.http.get("/meetings", params={"world_slug": f"eq.{world}"})).json() == []
    # The world's owner reads both attendances with their durations; Bob only his own.
    history = (await ada.http.get("/meeting_history", params={"building_id": f"eq.{building}"})).json()
    assert [(h["user_id"], h["source"]) for h in history] == [(bob.user_id, "zone"), (ada.user_id, "zone")]
    assert all(h["duration_seconds"] is not None and h["ended_at"] is not None for h in history)
    mine = (await bob.http.get("/meeting_history", params={"building_id": f"eq.{building}"})).json()
    assert [h["user_id"] for h in mine] == [bob.user_id]
    owner_conn.execute("UPDATE app.worlds SET archived_at = now() WHERE id = %s", (world_id,))


async def test_event_sync_posts_to_the_bridge_count_once_and_need_a_jitsi_service_token(
    start_bridge: StartBridge, new_player: NewPlayer, owner_conn: psycopg.Connection[Any], agent_token: str
) -> None:
    bridge = start_bridge()
    ada = new_player("Ada Calls")
    world_id, world, building = board_world(owner_conn, ada)
    room, jid, at = f"{world}_board", occupant_jid(), int(time.time()) - 60
    token = jitsi_service_token(owner_conn)

    async with httpx.AsyncClient(base_url=bridge.base_url, timeout=10.0) as http:

        async def post(event: str, body: Any, bearer: str | None = token) -> httpx.Response:
            headers = {"Authorization": f"Bearer {bearer}"} if bearer is not None else {}
            return await http.post(f"/jitsi/events/{event}", json=body, headers=headers)

        def fixture(name: str) -> dict[str, Any]:
            return event_sync_fixture(name, room, ada.user_id, "Ada Calls", jid, at)

        # Every event twice, as event_sync's retries would send it.
        recorded = []
        for event, name in [("room/created", "room_created"), ("occupant/joined", "occupant_joined"),
                            ("occupant/left", "occupant_left"), ("room/destroyed", "room_destroyed")]:  # fmt: skip
            for _ in range(2):
                response = await post(event, fixture(name))
                assert response.status_code == 200, response.text
                recorded.append(response.json()["recorded"])
        assert recorded == [0, 0, 1, 0, 1, 0, 0, 0]
        rows = owner_conn.execute(
            "SELECT source, user_id::text, extract(epoch FROM left_at - joined_at)::int FROM app.meeting_attendance"
            " WHERE building_id = %s",
            (building,),
        ).fetchall()
        assert rows == [("call", ada.user_id, 30)], "counted once, 30 s in the call"
        closed = owner_conn.execute(
            "SELECT count(*) FILTER (WHERE ended_at IS NULL) FROM app.meeting_sessions WHERE building_id = %s",
            (building,),
        ).fetchone()
        assert closed == (0,), "room/destroyed closed the session"

        # A room no meeting stands for is ignored with 200, so event_sync does not retry it.
        unknown = await post("occupant/joined", event_sync_fixture("occupant_joined", "nowhere_x", ada.user_id,
                                                                   "Ada", jid, at))  # fmt: skip
        assert (unknown.status_code, unknown.json()["ignored"]) == (200, "unknown_room")
        # Tokens: none, a forged one, another role's; an unknown path; a body that is no object.
        for bearer in (None, token[:-2] + "xx", agent_token, ada.token):
            refused = await post("occupant/joined", fixture("occupant_joined"), bearer)
            assert refused.status_code == 401, (bearer is None, refused.text)
            assert token not in refused.text
        assert (await post("occupant/exploded", fixture("occupant_joined"))).status_code == 404
        assert (await post("occupant/joined", [1, 2])).status_code == 400
        bad = await http.post(
            "/jitsi/events/occupant/joined", content=b"{nope", headers={"Authorization": f"Bearer {token}"}
        )
        assert bad.status_code == 400
        hostile = fixture("occupant_joined")
        hostile["occupant"]["joined_at"] = "yesterday"
        assert (await post("occupant/joined", hostile)).status_code == 400
        # After a revocation (logout_everywhere of the role) the same token is refused.
        owner_conn.execute("SELECT auth.revoke_subject('role:jitsi_service')")
        assert (await post("occupant/joined", fixture("occupant_joined"))).status_code == 401
    assert token not in bridge.log()
    owner_conn.execute("UPDATE app.worlds SET archived_at = now() WHERE id = %s", (world_id,))
