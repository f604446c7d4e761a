"""Meetings over REST (issue 14): Jitsi tokens (PyJWT decodes them with the documented claims and the
configured secret; 403 outside the zone, 503 without Jitsi, 400 for hostile input), POST
/rpc/jitsi_event with a jitsi_service token (event_sync fixtures replayed count once; no other role may
post), GET /meetings by world (the outsider of a private world sees nothing) and GET /meeting_history
paged with ?joined_at=lt.…&limit=.

Worlds and meeting buildings are arranged by SQL as the owner; players walk in with enter_room and move.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import psycopg
import pytest

from tests.api.conftest import ClientFactory, Player, PlayerFactory
from tests.api.expect import error, ok
from tests.bridge.worlds import insert_world
from tests.meetings import ZONE, Jitsi, add_meeting, event_sync_fixture, jitsi, jitsi_service_token, occupant_jid

pytestmark = pytest.mark.usefixtures(jitsi.__name__)

HOSTILE = ["", "not-a-uuid", "00000000-0000-0000-0000-000000000000'; --", "\u202e", "x" * 5000]


@pytest.fixture
def board(owner_conn: psycopg.Connection[Any], new_player: PlayerFactory) -> Iterator[tuple[Player, str, str]]:
    """(owner, world slug, building id): a private world whose lobby has the board room."""
    owner = new_player()
    world_id, slug = insert_world(owner_conn, owner.user_id, "private", "mtapi")
    yield owner, slug, add_meeting(owner_conn, world_id)
    owner_conn.execute("DELETE FROM app.worlds WHERE id = %s", (world_id,))


def walk_in(player: Player, world: str) -> None:
    ok(player.http.post("/rpc/enter_room", json={"room_slug": "lobby", "world_slug": world}))
    ok(player.http.post("/rpc/move", json={"x": ZONE["x"], "y": ZONE["y"], "direction": "right"}))


def test_a_token_for_the_player_in_the_zone_decodes_with_pyjwt_and_the_documented_claims(
    board: tuple[Player, str, str], new_player: PlayerFactory, owner_conn: psycopg.Connection[Any], jitsi: Jitsi
) -> None:
    owner, world, building = board
    member = new_player()
    owner_conn.execute(
        "INSERT INTO app.world_members (world_id, user_id, role)"
        " SELECT id, %s, 'member' FROM app.worlds WHERE slug = %s",
        (member.user_id, world),
    )
    # Outside the zone: 403, the same for an unknown building.
    ok(member.http.post("/rpc/enter_room", json={"room_slug": "lobby", "world_slug": world}))
    error(member.http.post("/rpc/jitsi_token", json={"building_id": building}), 403, "PT403")
    error(
        member.http.post("/rpc/jitsi_token", json={"building_id": "5c1c5a49-5c43-4d5a-9c2e-9d64b1a0e2a1"}), 403, "PT403"
    )
    for value in HOSTILE:
        response = member.http.post("/rpc/jitsi_token", json={"building_id": value})
        assert response.status_code == 400, (value[:20], response.text)

    walk_in(member, world)
    walk_in(owner, world)
    for player, moderator in ((member, False), (owner, True)):
        answer = ok(player.http.post("/rpc/jitsi_token", json={"building_id": building}))
        assert (answer["room"], answer["domain"]) == (f"{world}_board", jitsi.domain)
        claims = jwt.decode(answer["jwt"], jitsi.secret, algorithms=["HS256"], audience=jitsi.audience,
                            issuer=jitsi.app_id, options={"require": ["exp", "aud", "iss", "sub", "room"]})  # fmt: skip
        assert jwt.get_unverified_header(answer["jwt"]) == {"alg": "HS256", "typ": "JWT"}
        assert (claims["sub"], claims["room"]) == (jitsi.domain, f"{world}_board")
        assert 3590 <= claims["exp"] - time.time() <= 3610
        user = claims["context"]["user"]
        assert (user["id"], user["moderator"]) == (player.user_id, moderator)
        assert set(user) == {"id", "name", "avatar", "moderator"}
        with pytest.raises(jwt.InvalidSignatureError):
            jwt.decode(answer["jwt"], "x" * 64, algorithms=["HS256"], audience=jitsi.audience)


def test_without_jitsi_a_token_answers_503_before_any_other_check(
    board: tuple[Player, str, str], client: ClientFactory, owner_conn: psycopg.Connection[Any], jitsi: Jitsi
) -> None:
    owner, _, _ = board
    owner_conn.execute("SELECT auth.set_jitsi_config('', '', '', '')")
    try:
        body = error(owner.http.post("/rpc/jitsi_token", json={"building_id": None}), 503, "PT503")
        assert body["message"] == "this installation has no Jitsi"
    finally:
        owner_conn.execute(
            "SELECT auth.set_jitsi_config(%s, %s, %s, %s)", (jitsi.domain, jitsi.app_id, jitsi.secret, jitsi.audience)
        )


def test_jitsi_event_over_rest_counts_replays_once_and_only_jitsi_service_posts(
    board: tuple[Player, str, str],
    client: ClientFactory,
    owner_conn: psycopg.Connection[Any],
    new_player: PlayerFactory,
) -> None:
    owner, world, building = board
    service = client(jitsi_service_token(owner_conn))
    jid, at = occupant_jid(), int(time.time()) - 120

    def post(http: httpx.Client, event: str, name: str) -> httpx.Response:
        body = event_sync_fixture(name, f"{world}_board", owner.user_id, "Owner", jid, at)
        return http.post("/rpc/jitsi_event", json={"event": event, "payload": body})

    for _ in range(3):
        assert ok(post(service, "occupant/joined", "occupant_joined"))["ignored"] is None
    live = ok(owner.http.get("/meetings", params={"building_id": f"eq.{building}"}))
    assert [(p["user_id"], p["in_call"]) for p in live[0]["participants"]] == [(owner.user_id, True)]
    for _ in range(3):
        post(service, "occupant/left", "occupant_left")
    rows = owner_conn.execute(
        "SELECT count(*), min(extract(epoch FROM left_at - joined_at))::int FROM app.meeting_attendance"
        " WHERE building_id = %s",
        (building,),
    ).fetchone()
    assert rows == (1, 30), "three replays of each event, counted once"
    history = ok(owner.http.get("/meeting_history", params={"building_id": f"eq.{building}"}))
    assert [(h["source"], h["duration_seconds"]) for h in history] == [("call", 30)]
    # No other role may post events; a player, agent_service and web_anon are refused before any SQL runs.
    for other in (owner.http, client()):
        assert post(other, "occupant/joined", "occupant_joined").status_code in (401, 403)
    error(
        service.post("/rpc/jitsi_event", json={"event": "room/exploded", "payload": {"room_name": "x_y"}}), 400, "22023"
    )
    error(service.post("/rpc/jitsi_event", json={"event": "room/created", "payload": "nope"}), 400, "22023")
    assert service.get("/meetings").status_code in (401, 403), "jitsi_service reads nothing"


def test_meetings_follow_the_world_rule_and_history_pages_by_joined_at(
    board: tuple[Player, str, str],
    client: ClientFactory,
    owner_conn: psycopg.Connection[Any],
    new_player: PlayerFactory,
) -> None:
    owner, world, building = board
    walk_in(owner, world)
    assert len(ok(owner.http.get("/meetings", params={"world_slug": f"eq.{world}"}))) == 1
    outsider = new_player()
    assert ok(outsider.http.get("/meetings", params={"world_slug": f"eq.{world}"})) == []
    assert ok(client().get("/meetings", params={"world_slug": f"eq.{world}"})) == []
    assert ok(outsider.http.get("/meeting_history", params={"building_id": f"eq.{building}"})) == []
    # Walk out and in again three times: four attendances, paged newest first two at a time.
    for n in range(3):
        time.sleep(0.5)
        ok(owner.http.post("/rpc/move", json={"x": ZONE["x"] - 1, "y": ZONE["y"], "direction": "left"}))
        ok(owner.http.post("/rpc/move", json={"x": ZONE["x"], "y": ZONE["y"], "direction": "right"}))
    first = ok(owner.http.get("/meeting_history", params={"building_id": f"eq.{building}", "limit": 2}))
    rest = ok(owner.http.get("/meeting_history", params={"building_id": f"eq.{building}", "limit": 2,
                                                         "joined_at": f"lt.{first[-1]['joined_at']}"}))  # fmt: skip
    joined = [h["joined_at"] for h in first + rest]
    assert len(joined) == 4 and joined == sorted(joined, reverse=True) and len(set(joined)) == 4
    assert first[0]["left_at"] is None and first[0]["duration_seconds"] is None, "the newest is still open"
