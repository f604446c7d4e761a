"""Attacks on custom worlds (issue 11) through the real PostgREST and the real database: races a hostile
player can provoke, what a careless owner can break, and hostile input to every new function.

The races are made deterministic with a row lock: a third connection holds a row the racing call must
wait for, after it has made its checks and before it writes; the competing call commits meanwhile; the
lock is released and the first call finishes. Nothing here sleeps for a time: each wait polls
pg_stat_activity until the blocked call is seen waiting for its lock.

Each test that names a defect fails on the code it was written against (see the branch's report).
"""

from __future__ import annotations

import json
import threading
import uuid
from typing import Any

import httpx
import psycopg

from tests.api.expect import ok
from tests.api.worlds import PASSWORD, WORLD_NAME, Register, invite_and_accept, new_world
from tests.seed import rng_for
from tests.support.protocols import ClientFactory, PlayerFactory


def wait_for_lock_waiter(owner_conn: psycopg.Connection[Any], holder_pid: int, racer: threading.Thread) -> None:
    """Poll until some backend is blocked by the backend holder_pid (or the racing call has ended without
    blocking, which the test's assertions then judge)."""
    while racer.is_alive():
        row = owner_conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE %s = ANY (pg_blocking_pids(pid))", (holder_pid,)
        ).fetchone()
        assert row is not None
        if row[0] > 0:
            return


def ban_while_in_flight(
    owner: Any, holder: psycopg.Connection[Any], ban: dict[str, Any], racer: threading.Thread
) -> None:
    """The owner bans while the racing call is held up (by holder's row lock) after its world checks.

    The ban runs in a thread of its own: a correct database makes it wait for the racing call (both
    take the world row's lock), and a broken one lets it commit at once. Either way the racing call is
    then let go, and both must end; the test's assertions judge what they left."""
    answer: dict[str, httpx.Response] = {}
    banner = threading.Thread(target=lambda: answer.setdefault("ban", owner.http.post("/rpc/ban", json=ban)))
    banner.start()
    banner.join(1.0)  # a ban that does not wait commits within this; one that waits is let go below
    holder.rollback()
    racer.join()
    banner.join()
    assert answer["ban"].status_code == 200, answer["ban"].text


def presence_payloads(
    db_url: str, owner_conn: psycopg.Connection[Any], statement: str, params: tuple[Any, ...]
) -> list[str]:
    """Run statement as the owner and return every payload NOTIFYed on channel presence meanwhile (up to
    a marker this function sends after it)."""
    listener = psycopg.connect(db_url, autocommit=True)
    try:
        listener.execute("LISTEN presence")
        owner_conn.execute(statement, params)
        owner_conn.execute("SELECT pg_notify('presence', 'attack-end')")
        payloads: list[str] = []
        for note in listener.notifies():
            if note.payload == "attack-end":
                return payloads
            payloads.append(note.payload)
    finally:
        listener.close()
    return payloads


def main_rooms(owner_conn: psycopg.Connection[Any], world_id: str) -> int:
    row = owner_conn.execute("SELECT count(*) FROM app.rooms WHERE world_id = %s AND is_main", (world_id,)).fetchone()
    assert row is not None
    return int(row[0])


# ---- live eviction races -------------------------------------------------------------------------------


def test_ban_committing_while_join_is_in_flight_leaves_the_player_out(
    db_url: str,
    owner_conn: psycopg.Connection[Any],
    registered: Register,
    new_player: PlayerFactory,
    world_slugs: list[str],
) -> None:
    """A join that has passed its world checks but not yet written, and a ban that commits meanwhile: the
    banned player must not end up present in the world (the eviction at the ban's commit saw no presence
    there yet, so nothing else takes them out)."""
    owner = registered()
    world = new_world(owner, world_slugs, "public")
    victim = new_player()
    # The victim is present in the default world first, so that their presence row exists to be locked.
    owner_conn.execute("SELECT realtime.join(%s, 'town', 'attack-0', NULL)", (victim.user_id,))

    holder = psycopg.connect(db_url)
    joiner = psycopg.connect(db_url, autocommit=True)
    try:
        holder.execute("SELECT 1 FROM app.player_presence WHERE user_id = %s FOR UPDATE", (victim.user_id,))
        holder_pid = holder.info.backend_pid
        outcome: dict[str, Any] = {}

        def join() -> None:
            try:
                joiner.execute(
                    "SELECT realtime.join(%s, 'lobby', 'attack-join-race', %s)", (victim.user_id, world["slug"])
                )
                outcome["joined"] = True
            except psycopg.Error as exc:  # a refusal is a correct outcome
                outcome["error"] = exc.sqlstate

        thread = threading.Thread(target=join)
        thread.start()
        wait_for_lock_waiter(owner_conn, holder_pid, thread)
        ban_while_in_flight(
            owner, holder, {"world_slug": world["slug"], "user_id": victim.user_id, "reason": "race"}, thread
        )
    finally:
        holder.close()
        joiner.close()

    place = owner_conn.execute(
        """SELECT w.slug::text, p.status FROM app.player_presence p JOIN app.rooms r ON r.id = p.room_id
             JOIN app.worlds w ON w.id = r.world_id WHERE p.user_id = %s""",
        (victim.user_id,),
    ).fetchone()
    assert place is not None
    # No presence of this test's player is left in the town for later tests.
    owner_conn.execute("DELETE FROM app.player_presence WHERE user_id = %s", (victim.user_id,))
    assert not (place[0] == world["slug"] and place[1] != "offline"), (
        f"banned player is present in the world they were banned from: {place}, join outcome {outcome}"
    )


def test_ban_committing_while_accept_is_in_flight_leaves_no_membership(
    db_url: str,
    owner_conn: psycopg.Connection[Any],
    registered: Register,
    new_player: PlayerFactory,
    world_slugs: list[str],
) -> None:
    """accept_invitation checks the ban, then spends a use and inserts the membership. A ban committed in
    between must win: a banned player is never a member (a member row gives them the member list of a
    private world, GET /worlds, and a role that transfer_ownership accepts)."""
    owner = registered()
    world = new_world(owner, world_slugs, "private")
    victim = new_player()
    invitation = ok(owner.http.post("/rpc/invite", json={"world_slug": world["slug"], "role": "member"}))

    holder = psycopg.connect(db_url)
    try:
        holder.execute("SELECT 1 FROM app.world_invitations WHERE id = %s FOR UPDATE", (invitation["invitation_id"],))
        holder_pid = holder.info.backend_pid
        answer: dict[str, httpx.Response] = {}

        def accept() -> None:
            answer["accept"] = victim.http.post("/rpc/accept_invitation", json={"token": invitation["token"]})

        thread = threading.Thread(target=accept)
        thread.start()
        wait_for_lock_waiter(owner_conn, holder_pid, thread)
        ban_while_in_flight(owner, holder, {"world_slug": world["slug"], "user_id": victim.user_id}, thread)
    finally:
        holder.close()

    member = owner_conn.execute(
        "SELECT role FROM app.world_members WHERE world_id = %s AND user_id = %s", (world["world_id"], victim.user_id)
    ).fetchone()
    banned = owner_conn.execute(
        "SELECT count(*) FROM app.world_bans WHERE world_id = %s AND user_id = %s", (world["world_id"], victim.user_id)
    ).fetchone()
    assert banned == (1,)
    assert member is None, (
        f"banned player became a member ({member[0]}); accept answered {answer['accept'].status_code} "
        f"{answer['accept'].text[:200]}"
    )
    # And what that membership gives away: the member list of a private world they are banned from.
    listed = victim.http.get("/world_members", params={"world_id": f"eq.{world['world_id']}"})
    assert ok(listed) == []


def test_join_and_ban_in_random_order_never_leave_a_banned_player_inside(
    db_url: str,
    owner_conn: psycopg.Connection[Any],
    registered: Register,
    new_player: PlayerFactory,
    world_slugs: list[str],
) -> None:
    """Join and ban fired together, many times, in a seeded random order of start: afterwards no banned
    player is online in the world."""
    rng = rng_for("test_join_and_ban_in_random_order_never_leave_a_banned_player_inside")
    owner = registered()
    world = new_world(owner, world_slugs, "public")
    victims = [new_player() for _ in range(12)]
    for victim in victims:
        conn = psycopg.connect(db_url, autocommit=True)

        def join(c: psycopg.Connection[Any] = conn, who: str = victim.user_id) -> None:
            try:
                c.execute("SELECT realtime.join(%s, 'lobby', 'attack-random', %s)", (who, world["slug"]))
            except psycopg.Error:
                pass

        def ban(who: str = victim.user_id) -> None:
            owner.http.post("/rpc/ban", json={"world_slug": world["slug"], "user_id": who})

        order = [join, ban]
        rng.shuffle(order)
        threads = [threading.Thread(target=f) for f in order]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        conn.close()
    inside = owner_conn.execute(
        """SELECT p.user_id::text FROM app.player_presence p JOIN app.rooms r ON r.id = p.room_id
            JOIN app.world_bans b ON b.world_id = r.world_id AND b.user_id = p.user_id
           WHERE r.world_id = %s AND p.status <> 'offline'""",
        (world["world_id"],),
    ).fetchall()
    assert inside == []


# ---- ownership -----------------------------------------------------------------------------------------


def test_transfer_to_an_anonymous_member_does_not_let_the_purge_delete_the_world(
    owner_conn: psycopg.Connection[Any],
    registered: Register,
    new_player: PlayerFactory,
    world_slugs: list[str],
) -> None:
    """Only registered players create worlds, but transfer_ownership hands one to an anonymous member.
    Anonymous accounts are purged when abandoned (app.purge_abandoned_anonymous_users), and
    worlds.owner_id cascades: the world, its rooms and every other member's place in it vanish."""
    owner = registered()
    world = new_world(owner, world_slugs, "private")
    anonymous = new_player()
    invite_and_accept(owner, anonymous, world["slug"], "member")
    transfer = owner.http.post(
        "/rpc/transfer_ownership", json={"world_slug": world["slug"], "user_id": anonymous.user_id}
    )
    # The anonymous account is abandoned: not seen for a year (no other test's account is that old).
    owner_conn.execute(
        "UPDATE app.users SET last_seen_at = now() - interval '400 days', created_at = now() - interval '400 days'"
        " WHERE id = %s",
        (anonymous.user_id,),
    )
    owner_conn.execute("DELETE FROM app.player_presence WHERE user_id = %s", (anonymous.user_id,))
    try:
        owner_conn.execute("SELECT app.purge_abandoned_anonymous_users(1000, interval '300 days')")
        survived = owner_conn.execute("SELECT count(*) FROM app.worlds WHERE id = %s", (world["world_id"],)).fetchone()
    finally:
        # No account this old is left for later tests' purges to count.
        owner_conn.execute("DELETE FROM app.users WHERE id = %s", (anonymous.user_id,))
    assert survived == (1,), (
        f"transfer_ownership to an anonymous member answered {transfer.status_code}; the purge of that "
        "account then deleted the world with its rooms and members"
    )


def test_transfer_cannot_exceed_the_owned_world_limit(
    owner_conn: psycopg.Connection[Any], registered: Register, world_slugs: list[str]
) -> None:
    """create_world stops at app.world_settings.max_worlds_per_owner; a transfer to a player who already
    owns that many must be refused too, or the limit is only a suggestion."""
    row = owner_conn.execute("SELECT max_worlds_per_owner FROM app.world_settings").fetchone()
    assert row is not None
    limit = int(row[0])
    owner = registered()
    hoarder = registered()
    for _ in range(limit):
        new_world(hoarder, world_slugs, "private")
    world = new_world(owner, world_slugs, "public")
    invite_and_accept(owner, hoarder, world["slug"], "member")
    answer = owner.http.post("/rpc/transfer_ownership", json={"world_slug": world["slug"], "user_id": hoarder.user_id})
    owned = owner_conn.execute("SELECT count(*) FROM app.worlds WHERE owner_id = %s", (hoarder.user_id,)).fetchone()
    assert owned is not None
    assert owned[0] <= limit, f"transfer answered {answer.status_code}: the hoarder owns {owned[0]} > {limit} worlds"
    assert answer.status_code == 409, answer.text


def test_deleting_the_owner_account_announces_the_players_it_takes_out(
    db_url: str,
    owner_conn: psycopg.Connection[Any],
    registered: Register,
    new_player: PlayerFactory,
    world_slugs: list[str],
) -> None:
    """An owner's account deleted (by an operator, or by the purge after a transfer to an anonymous
    member) cascades to the world, its rooms and the presence rows in them. The players in it must hear
    it (a removed frame, as for an archive); a silent cascade leaves their sockets in a room that no
    longer exists and the others never see player_left."""
    owner = registered()
    world = new_world(owner, world_slugs, "public")
    guest = new_player()
    owner_conn.execute("SELECT realtime.join(%s, 'lobby', 'attack-delete', %s)", (guest.user_id, world["slug"]))
    payloads = presence_payloads(db_url, owner_conn, "DELETE FROM app.users WHERE id = %s", (owner.user_id,))
    frames = [json.loads(p) for p in payloads if p.startswith("{")]
    about_guest = [f for f in frames if f.get("user_id") == guest.user_id]
    assert about_guest, (
        f"no frame told anyone that {guest.user_id} was taken out of {world['slug']}: payloads {payloads!r}"
    )
    assert all(p.startswith("{") for p in payloads), f"a presence notification that is no frame: {payloads!r}"


# ---- content: a world keeps its main room ---------------------------------------------------------------


def test_an_editor_cannot_delete_the_main_room(
    owner_conn: psycopg.Connection[Any], registered: Register, world_slugs: list[str]
) -> None:
    """Each world has one main room (where players start, where get_world's main_room_slug points). An
    editor's DELETE /rooms of the lobby must be refused, not leave a world nobody can start in."""
    owner = registered()
    editor = registered()
    world = new_world(owner, world_slugs, "public")
    invite_and_accept(owner, editor, world["slug"], "editor")
    answer = editor.http.delete("/rooms", params={"world_id": f"eq.{world['world_id']}", "is_main": "is.true"})
    assert 400 <= answer.status_code < 500, (
        f"DELETE of the main room answered {answer.status_code}: {answer.text[:300]}"
    )
    assert main_rooms(owner_conn, world["world_id"]) == 1


def test_the_main_room_flag_cannot_be_cleared(
    owner_conn: psycopg.Connection[Any], registered: Register, world_slugs: list[str]
) -> None:
    """PATCH /rooms {is_main: false} on the lobby leaves the world without a main room."""
    owner = registered()
    world = new_world(owner, world_slugs, "private")
    answer = owner.http.patch(
        "/rooms", params={"world_id": f"eq.{world['world_id']}", "slug": "eq.lobby"}, json={"is_main": False}
    )
    assert 400 <= answer.status_code < 500, f"PATCH is_main=false answered {answer.status_code}: {answer.text[:300]}"
    assert main_rooms(owner_conn, world["world_id"]) == 1


def test_a_portal_cannot_lead_into_another_world(
    owner_conn: psycopg.Connection[Any], registered: Register, world_slugs: list[str]
) -> None:
    """An editor of two worlds builds a portal in one whose target is a room of the other (a private
    world): refused with a 4xx, no row written."""
    owner = registered()
    public = new_world(owner, world_slugs, "public")
    private = new_world(owner, world_slugs, "private")
    target = owner_conn.execute(
        "SELECT id::text FROM app.rooms WHERE world_id = %s AND is_main", (private["world_id"],)
    ).fetchone()
    room = owner_conn.execute(
        "SELECT id::text FROM app.rooms WHERE world_id = %s AND is_main", (public["world_id"],)
    ).fetchone()
    assert target is not None and room is not None
    sample = owner_conn.execute(
        "SELECT to_jsonb(b) - 'id' - 'world_id' - 'room_id' - 'target_room_id' - 'slug' FROM app.buildings b"
        " WHERE target_room_id IS NOT NULL LIMIT 1"
    ).fetchone()
    assert sample is not None
    body = {
        k: v
        for k, v in dict(sample[0]).items()
        if k not in ("created_at", "updated_at", "archived_at", "main_of_world")
    }
    body.update({"room_id": room[0], "target_room_id": target[0], "slug": "attack-portal", "x": 1, "y": 1})
    answer = owner.http.post("/buildings", json=body)
    assert 400 <= answer.status_code < 500, answer.text[:300]
    written = owner_conn.execute("SELECT count(*) FROM app.buildings WHERE room_id = %s", (room[0],)).fetchone()
    assert written == (0,)


# ---- existence leaks -----------------------------------------------------------------------------------


def test_an_outsider_cannot_tell_a_private_room_id_from_a_random_one(
    registered: Register, owner_conn: psycopg.Connection[Any], new_player: PlayerFactory, world_slugs: list[str]
) -> None:
    """POST /buildings and /spawn_points with the room_id of a private world's room, and with a random
    id: the same status and the same body. (A former member keeps the ids they saw.)"""
    owner = registered()
    world = new_world(owner, world_slugs, "private")
    outsider = new_player()
    row = owner_conn.execute(
        "SELECT id::text FROM app.rooms WHERE world_id = %s AND is_main", (world["world_id"],)
    ).fetchone()
    assert row is not None
    for path, body in (
        ("/spawn_points", {"slug": "attack", "x": 1, "y": 1, "type": "player"}),
        ("/buildings", {"slug": "attack", "x": 1, "y": 1}),
    ):
        real = outsider.http.post(path, json={**body, "room_id": row[0]})
        fake = outsider.http.post(path, json={**body, "room_id": str(uuid.uuid4())})
        assert real.status_code < 500 and fake.status_code < 500, (real.text, fake.text)
        assert (real.status_code, real.json()) == (fake.status_code, fake.json()), (path, real.text, fake.text)
    for path in ("/rooms", "/buildings", "/spawn_points"):
        answer = outsider.http.get(
            path,
            params={"or": f"(world_id.eq.{world['world_id']},world_id.is.null)"},
            headers={"Prefer": "count=exact"},
        )
        assert ok(answer) == [], path
        assert answer.headers["content-range"].endswith("/0"), (path, answer.headers["content-range"])
    embedded = ok(outsider.http.get("/buildings", params={"select": "id,rooms!buildings_room_id_fkey(id,world_id)"}))
    assert all(b["rooms"] is None or b["rooms"]["world_id"] != world["world_id"] for b in embedded)


def test_a_member_who_left_sees_nothing_of_the_private_world(
    registered: Register, new_player: PlayerFactory, world_slugs: list[str]
) -> None:
    owner = registered()
    world = new_world(owner, world_slugs, "private")
    guest = new_player()
    invite_and_accept(owner, guest, world["slug"], "member")
    ok(guest.http.post("/rpc/leave_world", json={"world_slug": world["slug"]}))
    assert ok(guest.http.get("/world_members", params={"world_id": f"eq.{world['world_id']}"})) == []
    assert ok(guest.http.get("/rooms", params={"world_id": f"eq.{world['world_id']}"})) == []
    gone = guest.http.post("/rpc/get_world", json={"slug": world["slug"]})
    never = guest.http.post("/rpc/get_world", json={"slug": f"wa-{uuid.uuid4().hex[:12]}"})
    assert gone.status_code == never.status_code == 404
    assert {k: v for k, v in gone.json().items() if k != "details"} == {
        k: v for k, v in never.json().items() if k != "details"
    }
    patched = guest.http.patch(
        "/worlds", params={"slug": f"eq.{world['slug']}"}, json={"name": "x"}, headers={"Prefer": "count=exact"}
    )
    assert patched.status_code < 500


# ---- hostile input -------------------------------------------------------------------------------------

NUL = "\u0000"
# Text a text field must refuse (a number or a list sent for a text field is coerced to its text by
# PostgREST, which may be valid: those go to the typed fields only).
HOSTILE_TEXT: list[Any] = [NUL, "a\u0000b", "\u0007bell", "x" * 10_000, "\u001b[2J"]
HOSTILE_TYPED: list[Any] = [NUL, "x" * 10_000, "not-a-value", ["a"], {"a": 1}, True, 1.5, ""]
TYPED_FIELDS = {"user_id", "invitation_id", "max_uses", "expires_in_hours", "until"}


def test_hostile_values_in_every_world_function_answer_4xx_and_write_nothing(
    registered: Register, new_player: PlayerFactory, owner_conn: psycopg.Connection[Any], world_slugs: list[str]
) -> None:
    owner = registered()
    world = new_world(owner, world_slugs, "private")
    victim = new_player()
    invitation = ok(owner.http.post("/rpc/invite", json={"world_slug": world["slug"], "role": "member"}))
    before = owner_conn.execute(
        "SELECT (SELECT count(*) FROM app.worlds), (SELECT count(*) FROM app.world_invitations),"
        " (SELECT count(*) FROM app.world_bans), (SELECT count(*) FROM app.world_members)"
    ).fetchone()
    calls: list[tuple[str, dict[str, Any], str]] = [
        ("create_world", {"slug": "wa-x", "name": "n", "visibility": "public"}, "slug"),
        ("create_world", {"slug": "wa-hostile-name", "name": "n", "visibility": "public"}, "name"),
        ("create_world", {"slug": "wa-hostile-vis", "name": "n", "visibility": "public"}, "visibility"),
        ("create_world", {"slug": "wa-hostile-desc", "name": "n", "visibility": "public"}, "description"),
        ("get_world", {"slug": "x"}, "slug"),
        ("archive_world", {"slug": "x"}, "slug"),
        ("restore_world", {"slug": "x"}, "slug"),
        ("invite", {"world_slug": world["slug"], "role": "member"}, "role"),
        ("invite", {"world_slug": world["slug"], "role": "member"}, "email"),
        ("invite", {"world_slug": world["slug"], "role": "member"}, "world_slug"),
        ("invite", {"world_slug": world["slug"], "role": "member"}, "max_uses"),
        ("invite", {"world_slug": world["slug"], "role": "member"}, "expires_in_hours"),
        ("revoke_invitation", {"invitation_id": invitation["invitation_id"]}, "invitation_id"),
        ("accept_invitation", {"token": "x"}, "token"),
        ("set_member_role", {"world_slug": world["slug"], "user_id": victim.user_id, "role": "editor"}, "role"),
        ("set_member_role", {"world_slug": world["slug"], "user_id": victim.user_id, "role": "editor"}, "user_id"),
        ("transfer_ownership", {"world_slug": world["slug"], "user_id": victim.user_id}, "user_id"),
        ("remove_member", {"world_slug": world["slug"], "user_id": victim.user_id}, "world_slug"),
        ("leave_world", {"world_slug": world["slug"]}, "world_slug"),
        ("ban", {"world_slug": world["slug"], "user_id": victim.user_id, "reason": "r"}, "reason"),
        ("ban", {"world_slug": world["slug"], "user_id": victim.user_id, "reason": "r"}, "until"),
        ("ban", {"world_slug": world["slug"], "user_id": victim.user_id, "reason": "r"}, "user_id"),
        ("unban", {"world_slug": world["slug"], "user_id": victim.user_id}, "user_id"),
        ("enter_room", {"room_slug": "lobby", "world_slug": world["slug"]}, "world_slug"),
        ("enter_room", {"room_slug": "lobby", "world_slug": world["slug"]}, "room_slug"),
    ]
    problems: list[str] = []
    for name, base, field in calls:
        for value in HOSTILE_TYPED if field in TYPED_FIELDS else HOSTILE_TEXT:
            answer = owner.http.post(f"/rpc/{name}", json={**base, field: value})
            line = answer.reason_phrase or ""
            if not 400 <= answer.status_code < 500:
                problems.append(f"{name}.{field}={str(value)[:20]!r}: {answer.status_code} {answer.text[:120]}")
            elif len(line) > 100 or NUL in line or "x" * 50 in line or "\u202e" in line:
                problems.append(f"{name}.{field}={str(value)[:20]!r}: status line {line[:60]!r}")
    for value in HOSTILE_TEXT:
        for field in ("name", "description", "slug", "visibility"):
            answer = owner.http.patch("/worlds", params={"slug": f"eq.{world['slug']}"}, json={field: value})
            if not 400 <= answer.status_code < 500:
                problems.append(f"PATCH /worlds {field}={str(value)[:20]!r}: {answer.status_code} {answer.text[:120]}")
    after = owner_conn.execute(
        "SELECT (SELECT count(*) FROM app.worlds), (SELECT count(*) FROM app.world_invitations),"
        " (SELECT count(*) FROM app.world_bans), (SELECT count(*) FROM app.world_members)"
    ).fetchone()
    assert problems == []
    assert before == after
    assert ok(owner.http.post("/rpc/get_world", json={"slug": world["slug"]}))["name"] == WORLD_NAME


def test_world_names_reject_bidi_overrides(registered: Register, world_slugs: list[str]) -> None:
    """Display names and chat refuse bidirectional overrides (11-deceptive-text); a world's name is shown
    to every visitor in GET /worlds and must be held to the same rule."""
    owner = registered()
    slug = f"wa-{uuid.uuid4().hex[:12]}"
    world_slugs.append(slug)
    answer = owner.http.post("/rpc/create_world", json={"slug": slug, "name": "\u202egnp.exe", "visibility": "public"})
    assert answer.status_code == 400, answer.text


# ---- more content and invitation attacks ----------------------------------------------------------------


def test_deleting_a_room_with_players_in_it_announces_them(
    db_url: str,
    owner_conn: psycopg.Connection[Any],
    registered: Register,
    new_player: PlayerFactory,
    world_slugs: list[str],
) -> None:
    """Any editor may now DELETE /rooms of their world. Presence rows cascade with the room: the players
    in it must be told (removed, or player_left to the others), not silently stranded in a room that is
    gone."""
    owner = registered()
    world = new_world(owner, world_slugs, "public")
    made = owner.http.post(
        "/rooms",
        json={
            "world_id": world["world_id"],
            "slug": "annex",
            "name": "Annex",
            "width_tiles": 20,
            "height_tiles": 20,
            "default_spawn_x": 2,
            "default_spawn_y": 2,
        },
    )
    assert made.status_code == 201, made.text
    guest = new_player()
    owner_conn.execute("SELECT realtime.join(%s, 'annex', 'attack-room-delete', %s)", (guest.user_id, world["slug"]))
    listener = psycopg.connect(db_url, autocommit=True)
    try:
        listener.execute("LISTEN presence")
        answer = owner.http.delete("/rooms", params={"world_id": f"eq.{world['world_id']}", "slug": "eq.annex"})
        owner_conn.execute("SELECT pg_notify('presence', '{\"type\":\"attack-end\"}')")
        frames: list[dict[str, Any]] = []
        for note in listener.notifies():
            if not note.payload.startswith("{"):
                continue
            frame = json.loads(note.payload)
            if frame.get("type") == "attack-end":
                break
            frames.append(frame)
    finally:
        listener.close()
    assert answer.status_code < 500, answer.text
    still = owner_conn.execute(
        "SELECT count(*) FROM app.rooms WHERE world_id = %s AND slug = 'annex'", (world["world_id"],)
    ).fetchone()
    if still == (0,):
        assert [f for f in frames if f.get("user_id") == guest.user_id], (
            f"the room was deleted under {guest.user_id} and no frame said so: {frames}"
        )


def test_a_room_cannot_move_to_another_world(
    owner_conn: psycopg.Connection[Any], registered: Register, world_slugs: list[str]
) -> None:
    owner = registered()
    one = new_world(owner, world_slugs, "public")
    two = new_world(owner, world_slugs, "private")
    answer = owner.http.patch(
        "/rooms", params={"world_id": f"eq.{one['world_id']}", "slug": "eq.lobby"}, json={"world_id": two["world_id"]}
    )
    assert 400 <= answer.status_code < 500, answer.text
    assert main_rooms(owner_conn, one["world_id"]) == 1
    assert main_rooms(owner_conn, two["world_id"]) == 1


def test_n_concurrent_accepts_of_a_k_use_invitation_make_exactly_k_members(
    owner_conn: psycopg.Connection[Any], registered: Register, new_player: PlayerFactory, world_slugs: list[str]
) -> None:
    rng = rng_for("test_n_concurrent_accepts_of_a_k_use_invitation_make_exactly_k_members")
    owner = registered()
    world = new_world(owner, world_slugs, "private")
    uses = rng.randint(2, 4)
    guests = [new_player() for _ in range(uses + rng.randint(3, 6))]
    token = ok(owner.http.post("/rpc/invite", json={"world_slug": world["slug"], "role": "member", "max_uses": uses}))[
        "token"
    ]
    rng.shuffle(guests)
    answers: list[int] = []
    threads = [
        threading.Thread(
            target=lambda g=g: answers.append(g.http.post("/rpc/accept_invitation", json={"token": token}).status_code)
        )
        for g in guests
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == sorted([200] * uses + [404] * (len(guests) - uses))
    members = owner_conn.execute(
        "SELECT count(*) FROM app.world_members WHERE world_id = %s AND role = 'member'", (world["world_id"],)
    ).fetchone()
    assert members == (uses,)


def test_every_dead_token_is_refused_alike(
    owner_conn: psycopg.Connection[Any],
    registered: Register,
    new_player: PlayerFactory,
    client: ClientFactory,
    world_slugs: list[str],
) -> None:
    """Unknown, revoked, expired, used up, bound to another email (case variants included), banned,
    archived world, a huge token and a malformed one: one 404, one body."""
    owner = registered()
    world = new_world(owner, world_slugs, "private")
    guest = new_player()

    def invite(**extra: Any) -> dict[str, Any]:
        return dict(ok(owner.http.post("/rpc/invite", json={"world_slug": world["slug"], "role": "member", **extra})))

    revoked = invite()
    ok(owner.http.post("/rpc/revoke_invitation", json={"invitation_id": revoked["invitation_id"]}))
    expired = invite()
    owner_conn.execute(
        "UPDATE app.world_invitations SET created_at = now() - interval '2 days', expires_at = now() - interval '1 day'"
        " WHERE id = %s",
        (expired["invitation_id"],),
    )
    used = invite()
    ok(new_player().http.post("/rpc/accept_invitation", json={"token": used["token"]}))
    bound = invite(email="Someone.Else@Example.ORG")
    assert bound["email"] == "someone.else@example.org"
    tokens = {
        "unknown": "A" * 43,
        "revoked": revoked["token"],
        "expired": expired["token"],
        "used up": used["token"],
        "other email": bound["token"],
        "huge": "A" * 100_000,
        "odd": "../../etc/passwd\u0007",
    }
    answers = {why: guest.http.post("/rpc/accept_invitation", json={"token": t}) for why, t in tokens.items()}
    # Banned, with a live token; then the world archived, with another.
    live = invite()
    ok(owner.http.post("/rpc/ban", json={"world_slug": world["slug"], "user_id": guest.user_id}))
    answers["banned"] = guest.http.post("/rpc/accept_invitation", json={"token": live["token"]})
    other = new_player()
    after_archive = invite()
    ok(owner.http.post("/rpc/archive_world", json={"slug": world["slug"]}))
    answers["archived"] = other.http.post("/rpc/accept_invitation", json={"token": after_archive["token"]})
    shapes = {
        why: (a.status_code, a.reason_phrase, a.text if a.status_code != 400 else "") for why, a in answers.items()
    }
    assert set(shapes.values()) == {shapes["unknown"]}, shapes
    assert shapes["unknown"][0] == 404
    members = owner_conn.execute("SELECT count(*) FROM app.world_members WHERE world_id = %s", (world["world_id"],))
    assert members.fetchone() == (2,)  # the owner and the one who used up the single-use token


def test_the_email_binding_accepts_its_owner_in_any_case(
    registered: Register, client: ClientFactory, new_player: PlayerFactory, world_slugs: list[str]
) -> None:
    owner = registered()
    world = new_world(owner, world_slugs, "private")
    anonymous = new_player()
    email = f"Ada-{uuid.uuid4().hex[:8]}@Example.org"
    ok(anonymous.http.post("/rpc/register", json={"email": email.upper(), "password": PASSWORD}))
    login = ok(client().post("/rpc/login", json={"email": email, "password": PASSWORD}))
    ada = client(login["token"])
    token = ok(owner.http.post("/rpc/invite", json={"world_slug": world["slug"], "role": "member", "email": email}))[
        "token"
    ]
    assert ok(ada.post("/rpc/accept_invitation", json={"token": token}))["role"] == "member"


def test_a_demoted_editor_cannot_edit_and_a_removed_one_cannot_either(
    registered: Register, world_slugs: list[str]
) -> None:
    owner = registered()
    editor = registered()
    world = new_world(owner, world_slugs, "public")
    invite_and_accept(owner, editor, world["slug"], "editor")
    room = {
        "world_id": world["world_id"],
        "name": "Editor room",
        "width_tiles": 10,
        "height_tiles": 10,
        "default_spawn_x": 1,
        "default_spawn_y": 1,
    }
    assert editor.http.post("/rooms", json={**room, "slug": "first"}).status_code == 201
    ok(
        owner.http.post(
            "/rpc/set_member_role", json={"world_slug": world["slug"], "user_id": editor.user_id, "role": "member"}
        )
    )
    assert editor.http.post("/rooms", json={**room, "slug": "second"}).status_code == 403
    assert ok(editor.http.patch("/rooms", params={"world_id": f"eq.{world['world_id']}"}, json={"name": "Mine"})) == []
    assert ok(editor.http.delete("/rooms", params={"world_id": f"eq.{world['world_id']}"})) == []
    set_owner = owner.http.post(
        "/rpc/set_member_role", json={"world_slug": world["slug"], "user_id": owner.user_id, "role": "member"}
    )
    assert set_owner.status_code == 409, set_owner.text
    ok(owner.http.post("/rpc/ban", json={"world_slug": world["slug"], "user_id": editor.user_id}))
    transfer = owner.http.post("/rpc/transfer_ownership", json={"world_slug": world["slug"], "user_id": editor.user_id})
    assert transfer.status_code == 404, transfer.text
    entered = editor.http.post("/rpc/enter_room", json={"room_slug": "lobby", "world_slug": world["slug"]})
    unknown = editor.http.post("/rpc/enter_room", json={"room_slug": "no-such-room", "world_slug": world["slug"]})
    assert entered.status_code == unknown.status_code == 404


def test_an_abandoned_anonymous_owner_does_not_break_the_purge(
    owner_conn: psycopg.Connection[Any], registered: Register, new_player: PlayerFactory, world_slugs: list[str]
) -> None:
    """The world's lobby has proximity chat history (another player's). When the purge reaches the
    anonymous owner (after a transfer), the cascade to the world's rooms meets rooms_keep_history's 409:
    the whole purge batch fails, and fails again on every run, since that account stays first in line."""
    owner = registered()
    world = new_world(owner, world_slugs, "public")
    anonymous = new_player()
    talker = new_player()
    invite_and_accept(owner, anonymous, world["slug"], "member")
    owner.http.post("/rpc/transfer_ownership", json={"world_slug": world["slug"], "user_id": anonymous.user_id})
    session = owner_conn.execute(
        "INSERT INTO app.chat_sessions (type, user_id, room_id)"
        " SELECT 'proximity', %s, id FROM app.rooms WHERE world_id = %s AND is_main RETURNING id",
        (talker.user_id, world["world_id"]),
    ).fetchone()
    assert session is not None
    owner_conn.execute(
        "UPDATE app.users SET last_seen_at = now() - interval '400 days', created_at = now() - interval '400 days'"
        " WHERE id = %s",
        (anonymous.user_id,),
    )
    owner_conn.execute("DELETE FROM app.player_presence WHERE user_id = %s", (anonymous.user_id,))
    try:
        failure: str | None = None
        try:
            owner_conn.execute("SELECT app.purge_abandoned_anonymous_users(1000, interval '300 days')")
        except psycopg.Error as exc:
            failure = f"{exc.sqlstate}: {exc}"
        assert failure is None, f"the purge failed: {failure}"
    finally:
        owner_conn.execute("DELETE FROM app.chat_sessions WHERE id = %s", (session[0],))
        # No account this old is left for later tests' purges to count.
        owner_conn.execute("DELETE FROM app.users WHERE id = %s", (anonymous.user_id,))
