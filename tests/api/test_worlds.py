"""World management through the real PostgREST (issue 11): create_world, get_world, GET and PATCH /worlds,
invitations, and what an outsider, a visitor, an editor and a member see and do over REST.

Every world a test creates is deleted again when it ends. No answer here is ever a 5xx: each goes through
expect.ok or expect.error, which assert the exact status.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx

from tests.api.expect import error, ok
from tests.api.test_hostile_values import problems_of as hostile_problems
from tests.api.test_hostile_values import raw_request
from tests.api.worlds import Register, invite_and_accept, new_world
from tests.support.protocols import ClientFactory, Player, PlayerFactory


def world_ids_in(http: httpx.Client, path: str, **params: str) -> set[str]:
    return {row["world_id"] for row in ok(http.get(path, params=params))}


def test_an_anonymous_player_is_told_to_register(player: Player, world_slugs: list[str]) -> None:
    world_slugs.append("w-anonymous-try")
    body = error(player.http.post("/rpc/create_world", json={"slug": "w-anonymous-try", "name": "Mine"}), 403, "PT403",
                 "only registered players may create worlds")  # fmt: skip
    assert "/rpc/register" in body["hint"]


def test_create_world_makes_a_walkable_main_room(registered: Register, world_slugs: list[str]) -> None:
    owner = registered()
    created = new_world(owner, world_slugs, "private")
    world = ok(owner.http.post("/rpc/get_world", json={"slug": created["slug"]}))
    assert (world["id"], world["my_role"], world["main_room_slug"], world["rooms"]) == (
        created["world_id"], "owner", "lobby", ["lobby"]
    )  # fmt: skip
    rooms = ok(owner.http.get("/rooms", params={"world_id": f"eq.{created['world_id']}"}))
    assert [(r["slug"], r["width_tiles"], r["height_tiles"], r["is_main"]) for r in rooms] == [("lobby", 40, 30, True)]
    spawns = ok(owner.http.get("/spawn_points", params={"world_id": f"eq.{created['world_id']}"}))
    assert [s["type"] for s in spawns] == ["player"]
    assert ok(owner.http.get("/buildings", params={"world_id": f"eq.{created['world_id']}"})) == []
    error(owner.http.post("/rpc/create_world", json={"slug": created["slug"], "name": "Again"}), 409, "PT409",
          "this world slug is taken")  # fmt: skip


def test_the_unlisted_link_works_and_the_world_is_never_listed(
    registered: Register, new_player: PlayerFactory, client: ClientFactory, world_slugs: list[str]
) -> None:
    owner = registered()
    created = new_world(owner, world_slugs, "unlisted")
    world_id, slug = created["world_id"], created["slug"]
    visitor, bystander = new_player(), new_player()

    for who in (visitor.http, bystander.http, client()):
        assert world_id not in {w["id"] for w in ok(who.get("/worlds"))}
        assert world_id not in world_ids_in(who, "/rooms")

    # The link: anyone with the slug gets the world, web_anon too.
    assert ok(client().post("/rpc/get_world", json={"slug": slug}))["main_room_slug"] == "lobby"
    shown = ok(visitor.http.post("/rpc/get_world", json={"slug": slug}))
    assert (shown["id"], shown["visibility"], shown["my_role"]) == (world_id, "unlisted", None)
    # The visitor now reads its rooms, but it is still not listed, for them or anyone else.
    assert world_id in world_ids_in(visitor.http, "/rooms")
    for who in (visitor.http, bystander.http, client()):
        assert world_id not in {w["id"] for w in ok(who.get("/worlds"))}
    # The player who never asked for it by slug sees none of its rooms.
    assert world_id not in world_ids_in(bystander.http, "/rooms")
    assert world_id not in world_ids_in(bystander.http, "/spawn_points")
    assert world_ids_in(bystander.http, "/rooms", world_id=f"eq.{world_id}") == set()
    # The owner lists it.
    assert world_id in {w["id"] for w in ok(owner.http.get("/worlds"))}


def test_an_outsider_sees_nothing_of_a_private_world(
    registered: Register, new_player: PlayerFactory, client: ClientFactory, world_slugs: list[str]
) -> None:
    owner = registered()
    created = new_world(owner, world_slugs, "private")
    world_id, slug = created["world_id"], created["slug"]
    outsider = new_player()

    anonymous = client()
    error(anonymous.get("/presence", params={"world_id": f"eq.{world_id}"}), 401, "42501")  # presence needs a sign-in
    for who, paths in ((outsider.http, ("/rooms", "/buildings", "/spawn_points", "/presence")),
                       (anonymous, ("/rooms", "/buildings", "/spawn_points"))):  # fmt: skip
        assert world_id not in {w["id"] for w in ok(who.get("/worlds"))}
        assert ok(who.get("/worlds", params={"id": f"eq.{world_id}"})) == []
        for path in paths:
            assert world_id not in world_ids_in(who, path), path
            assert ok(who.get(path, params={"world_id": f"eq.{world_id}"})) == [], path
    for path in ("/world_members", "/world_invitations", "/world_bans"):
        assert ok(outsider.http.get(path, params={"world_id": f"eq.{world_id}"})) == [], path

    # get_world answers the same 404 as for a world that does not exist: only details repeat the slug.
    hidden = error(outsider.http.post("/rpc/get_world", json={"slug": slug}), 404, "PT404", "unknown world")
    missing = error(
        outsider.http.post("/rpc/get_world", json={"slug": "w-no-such-world"}), 404, "PT404", "unknown world"
    )
    assert {k: v for k, v in hidden.items() if k != "details"} == {k: v for k, v in missing.items() if k != "details"}
    assert set(json.loads(hidden["details"])) == set(json.loads(missing["details"])) == {"world"}
    error(client().post("/rpc/get_world", json={"slug": slug}), 404, "PT404", "unknown world")
    # Nor can the outsider act on it.
    error(outsider.http.post("/rpc/invite", json={"world_slug": slug, "role": "member"}), 404, "PT404", "unknown world")
    error(outsider.http.post("/rpc/leave_world", json={"world_slug": slug}), 404, "PT404", "unknown world")
    assert ok(outsider.http.patch("/worlds", params={"id": f"eq.{world_id}"}, json={"name": "Mine"},
                                  headers={"Prefer": "return=representation"})) == []  # fmt: skip


def test_an_editor_builds_a_room_and_a_spawn_point_and_a_member_cannot(
    registered: Register, new_player: PlayerFactory, client: ClientFactory, world_slugs: list[str]
) -> None:
    owner = registered()
    created = new_world(owner, world_slugs, "private")
    world_id, slug = created["world_id"], created["slug"]
    editor, member = new_player(), new_player()
    invite_and_accept(owner, editor, slug, "editor")
    invite_and_accept(owner, member, slug, "member")
    representation = {"Prefer": "return=representation"}

    roles = {
        (m["user_id"], m["role"]) for m in ok(member.http.get("/world_members", params={"world_id": f"eq.{world_id}"}))
    }
    assert roles == {(owner.user_id, "owner"), (editor.user_id, "editor"), (member.user_id, "member")}

    room_body = {"world_id": world_id, "slug": "garden", "name": "Garden", "width_tiles": 20, "height_tiles": 12,
                 "default_spawn_x": 3, "default_spawn_y": 4}  # fmt: skip
    error(member.http.post("/rooms", json=room_body, headers=representation), 403, "42501")
    room = ok(editor.http.post("/rooms", json=room_body, headers=representation), 201)[0]
    assert (room["world_id"], room["slug"], room["is_main"], room["tilemap_key"]) == (world_id, "garden", False, None)

    spawn = {"room_id": room["id"], "slug": "gate", "x": 3, "y": 4, "type": "player"}
    error(member.http.post("/spawn_points", json=spawn, headers=representation), 403, "42501")
    made = ok(editor.http.post("/spawn_points", json=spawn, headers=representation), 201)
    assert [(s["world_id"], s["slug"]) for s in made] == [(world_id, "gate")]

    # The member reads what the editor built; a member's PATCH of the room changes nothing.
    assert {r["slug"] for r in ok(member.http.get("/rooms", params={"world_id": f"eq.{world_id}"}))} == {
        "garden",
        "lobby",
    }
    assert (
        ok(
            member.http.patch(
                "/rooms", params={"id": f"eq.{room['id']}"}, json={"name": "Mine"}, headers=representation
            )
        )
        == []
    )
    # The editor renames the world but may not change its slug.
    renamed = ok(
        editor.http.patch("/worlds", params={"slug": f"eq.{slug}"}, json={"name": "Renamed"}, headers=representation)
    )
    assert [(w["name"], w["my_role"]) for w in renamed] == [("Renamed", "editor")]
    error(editor.http.patch("/worlds", params={"slug": f"eq.{slug}"}, json={"slug": "w-moved"}), 403, "PT403",
          "only the owner may change a world's slug or visibility")  # fmt: skip
    # An editor invites members only.
    error(editor.http.post("/rpc/invite", json={"world_slug": slug, "role": "editor"}), 403, "PT403",
          "only the owner may invite editors")  # fmt: skip


def test_a_single_use_token_admits_one_player_and_every_bad_token_reads_the_same(
    registered: Register, new_player: PlayerFactory, world_slugs: list[str]
) -> None:
    owner = registered()
    slug = new_world(owner, world_slugs, "private")["slug"]
    invitation = ok(owner.http.post("/rpc/invite", json={"world_slug": slug, "role": "member"}))
    listed = ok(owner.http.get("/world_invitations", params={"id": f"eq.{invitation['invitation_id']}"}))
    assert [(i["uses"], i["max_uses"]) for i in listed] == [(0, 1)]
    assert invitation["token"] not in json.dumps(listed)
    first, second = new_player(), new_player()
    assert ok(first.http.post("/rpc/accept_invitation", json={"token": invitation["token"]}))["role"] == "member"
    assert ok(first.http.post("/rpc/accept_invitation", json={"token": invitation["token"]}))["role"] == "member"
    used_up = error(second.http.post("/rpc/accept_invitation", json={"token": invitation["token"]}), 404, "PT404")
    unknown = error(second.http.post("/rpc/accept_invitation", json={"token": "A" * 43}), 404, "PT404")
    malformed = error(second.http.post("/rpc/accept_invitation", json={"token": "x\r\ny"}), 404, "PT404")
    assert used_up == unknown == malformed
    assert used_up["message"] == "unknown invitation"


# Every text parameter of the world functions, with the world and the role to get past the first checks.
HOSTILE = {
    "crlf-header": "x\r\nSet-Cookie: pwned=1\r\n\r\n<html>injected</html>",
    "bare-lf": "x\ny",
    "lone-lf": "\n",
    "non-ascii": "Zo\u00eb \u6f22\u5b57 \U0001f642 \u202egpj.exe \u0085\u2028\u00ff",
    "10kb-crlf": "x\r\n" * 3414,
}


def test_header_injection_in_every_text_field_gets_a_fixed_status_line(
    registered: Register, new_player: PlayerFactory, postgrest: str, world_slugs: list[str]
) -> None:
    owner = registered()
    slug = new_world(owner, world_slugs, "public")["slug"]
    other = new_player()
    invite_and_accept(owner, other, slug, "member")
    # A hostile value in one field may still make a valid call (a non-ASCII description): that world goes too.
    fresh = f"w-{uuid.uuid4().hex[:12]}"
    world_slugs.append(fresh)
    calls: list[tuple[str, str, dict[str, Any]]] = [
        ("POST", "/rpc/create_world", {"slug": fresh, "name": "n", "visibility": "public", "description": ""}),
        ("POST", "/rpc/get_world", {"slug": slug}),
        ("POST", "/rpc/archive_world", {"slug": slug}),
        ("POST", "/rpc/restore_world", {"slug": slug}),
        ("POST", "/rpc/invite", {"world_slug": slug, "role": "member", "email": "a@example.org"}),
        ("POST", "/rpc/accept_invitation", {"token": "A" * 43}),
        ("POST", "/rpc/set_member_role", {"world_slug": slug, "user_id": other.user_id, "role": "member"}),
        ("POST", "/rpc/transfer_ownership", {"world_slug": slug, "user_id": other.user_id}),
        ("POST", "/rpc/remove_member", {"world_slug": slug, "user_id": other.user_id}),
        ("POST", "/rpc/leave_world", {"world_slug": slug}),
        ("POST", "/rpc/ban", {"world_slug": slug, "user_id": other.user_id, "reason": "r"}),
        ("POST", "/rpc/unban", {"world_slug": slug, "user_id": other.user_id}),
        ("PATCH", f"/worlds?slug=eq.{slug}", {"name": "n", "description": "d"}),
    ]
    failures: list[str] = []
    count = 0
    for method, path, args in calls:
        for field, plain in args.items():
            if not isinstance(plain, str) or field == "user_id":
                continue
            for label, value in HOSTILE.items():
                body = json.dumps({**args, field: value}).encode()
                headers = {"Authorization": f"Bearer {owner.token}", "Content-Type": "application/json"}
                response = raw_request(postgrest, method, path, headers, body)
                count += 1
                failures += [f"{method} {path} {field}={label}: {p}" for p in hostile_problems(response, value)]
    assert count >= 100, count
    assert not failures, "\n".join(failures[:40]) + f"\n({len(failures)} problems in {count} requests)"
