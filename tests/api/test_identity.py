"""Identity and settings through the real PostgREST (issue 2, section 5): login_anonymous, /me, /users,
/user_settings, register, login with its throttle, refresh_token, and what PostgREST does with bad tokens.

Each test signs in users of its own; anything it counts as the owner is scoped to those users, except
where a rejected request has no user to scope to (then the whole table is counted before and after).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
import jwt
import psycopg
import pytest

from tests.api.conftest import Caller, StartPostgrest
from tests.api.expect import error, ok, retry_after
from tests.support.protocols import AnonLogin, ClientFactory, MakeToken, Player, PlayerFactory

SEEDED_AGENTS = {"scout", "sage", "chronicler", "trends", "maven"}
AGENT_COLUMNS = {
    "id",
    "slug",
    "name",
    "role",
    "emoji",
    "sprite_key",
    "greeting",
    "routing_keywords",
    "is_active",
    "world_id",
    "moderation_status",
    "moderation_reason",
    "moderated_at",
}
PUBLIC_PROFILE = {"id", "display_name", "avatar_sprite", "last_seen_at"}
RETURN_ROWS = {"Prefer": "return=representation"}
PASSWORD = "correct horse battery"


def unique_email(prefix: str = "ada") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.org"


def claims(token: str, secret: str) -> dict[str, Any]:
    decoded: dict[str, Any] = jwt.decode(token, secret, algorithms=["HS256"])
    return decoded


def settings_row(owner: psycopg.Connection[Any], user_id: str) -> tuple[Any, ...]:
    row = owner.execute(
        "SELECT volume, theme, audio_enabled, video_enabled, show_player_names"
        " FROM app.user_settings WHERE user_id = %s",
        (user_id,),
    ).fetchone()
    assert row is not None
    return tuple(row)


def user_row(owner: psycopg.Connection[Any], user_id: str) -> tuple[Any, ...]:
    row = owner.execute(
        "SELECT display_name, avatar_sprite, email, is_anonymous FROM app.users WHERE id = %s", (user_id,)
    ).fetchone()
    assert row is not None
    return tuple(row)


def user_count(owner: psycopg.Connection[Any]) -> int:
    row = owner.execute("SELECT count(*) FROM app.users").fetchone()
    assert row is not None
    return int(row[0])


# ---- anonymous sign-in, content, settings -----------------------------------------------------------------


def test_anonymous_login_reads_agents_and_patches_own_settings(
    anon_login: AnonLogin, client: ClientFactory, jwt_secret: str
) -> None:
    login = anon_login("Ada Anon", "may")
    assert set(login) == {"user_id", "token", "expires_at"}
    token_claims = claims(login["token"], jwt_secret)
    assert token_claims["role"] == "player"
    assert token_claims["sub"] == login["user_id"]
    assert token_claims["exp"] - token_claims["iat"] == 24 * 3600

    http = client(login["token"])
    agents = ok(http.get("/agents"))
    assert {agent["slug"] for agent in agents} == SEEDED_AGENTS
    assert len(agents) == 5
    for agent in agents:
        assert set(agent) == AGENT_COLUMNS  # no prompt of any kind
        assert agent["is_active"] is True

    patched = ok(http.patch("/user_settings", json={"volume": 35, "theme": "light"}, headers=RETURN_ROWS))
    assert [(row["user_id"], row["volume"], row["theme"]) for row in patched] == [(login["user_id"], 35, "light")]
    settings = ok(http.get("/user_settings"))
    assert len(settings) == 1
    assert settings[0]["user_id"] == login["user_id"]
    assert (settings[0]["volume"], settings[0]["theme"]) == (35, "light")


def test_me_shows_your_email_and_users_shows_nobodys(new_player: PlayerFactory) -> None:
    ada = new_player("Ada Registered")
    bob = new_player("Bob Public")
    email = unique_email()
    ok(ada.http.post("/rpc/register", json={"email": email, "password": PASSWORD}))

    me = ok(ada.http.get("/me"))
    assert len(me) == 1
    assert (me[0]["id"], me[0]["email"], me[0]["is_anonymous"]) == (ada.user_id, email, False)

    profiles = ok(bob.http.get("/users", params={"id": f"in.({ada.user_id},{bob.user_id})", "order": "display_name"}))
    assert [(p["id"], p["display_name"]) for p in profiles] == [
        (ada.user_id, "Ada Registered"),
        (bob.user_id, "Bob Public"),
    ]
    for profile in ok(bob.http.get("/users")):
        assert set(profile) == PUBLIC_PROFILE  # no email key at all, not even null
    error(bob.http.get("/users", params={"select": "id,email"}), 400, "42703", "column users.email does not exist")


def test_another_players_settings_are_invisible_and_unwritable(
    new_player: PlayerFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    ada = new_player()
    bob = new_player()
    bob_before = settings_row(owner_conn, bob.user_id)
    bob_profile = user_row(owner_conn, bob.user_id)

    assert [row["user_id"] for row in ok(ada.http.get("/user_settings"))] == [ada.user_id]
    assert ok(ada.http.get("/user_settings", params={"user_id": f"eq.{bob.user_id}"})) == []

    # A PATCH filtered on Bob's row matches nothing under RLS: 200 with no rows, and Bob's row is unchanged.
    written = ada.http.patch(
        "/user_settings",
        params={"user_id": f"eq.{bob.user_id}"},
        json={"volume": 1, "theme": "light"},
        headers=RETURN_ROWS,
    )
    assert ok(written) == []
    assert settings_row(owner_conn, bob.user_id) == bob_before
    # Ada cannot move her own row onto Bob's id either: user_id is not an updatable column.
    error(
        ada.http.patch("/user_settings", json={"user_id": bob.user_id}),
        403,
        "42501",
        "permission denied for view user_settings",
    )
    # Nor rename Bob through /me, which only ever holds the caller's row.
    assert (
        ok(
            ada.http.patch(
                "/me", params={"id": f"eq.{bob.user_id}"}, json={"display_name": "Hacked"}, headers=RETURN_ROWS
            )
        )
        == []
    )
    assert user_row(owner_conn, bob.user_id) == bob_profile
    assert settings_row(owner_conn, bob.user_id) == bob_before


def test_unknown_and_protected_columns_are_refused(player: Player, owner_conn: psycopg.Connection[Any]) -> None:
    settings_before = settings_row(owner_conn, player.user_id)
    user_before = user_row(owner_conn, player.user_id)

    error(
        player.http.patch("/user_settings", json={"volume": 10, "nope": 1}),
        400,
        "PGRST204",
        "Column 'nope' of relation 'user_settings' does not exist",
    )
    error(player.http.patch("/me", json={"nope": 1}), 400, "PGRST204", "Column 'nope' of relation 'me' does not exist")
    # Columns that exist but that a player may not write.
    error(player.http.patch("/me", json={"email": "x@example.org"}), 403, "42501", "permission denied for view me")
    error(player.http.patch("/me", json={"is_anonymous": False}), 403, "42501", "permission denied for view me")

    assert settings_row(owner_conn, player.user_id) == settings_before
    assert user_row(owner_conn, player.user_id) == user_before


def test_display_name_is_trimmed(player: Player, owner_conn: psycopg.Connection[Any]) -> None:
    written = ok(player.http.patch("/me", json={"display_name": "  Ada Lovelace  "}, headers=RETURN_ROWS))
    assert [row["display_name"] for row in written] == ["Ada Lovelace"]
    assert user_row(owner_conn, player.user_id)[0] == "Ada Lovelace"


@pytest.mark.parametrize(
    ("patch", "message", "hint"),
    [
        ({"display_name": ""}, "display_name must not be empty", "Send a name of 1 to 32 characters."),
        ({"display_name": "   "}, "display_name must not be empty", "Send a name of 1 to 32 characters."),
        ({"display_name": None}, "display_name must not be empty", "Send a name of 1 to 32 characters."),
        (
            {"display_name": "x" * 33},
            "display_name is 33 characters long; the limit is 32",
            "Send a name of 1 to 32 characters.",
        ),
        (
            {"display_name": "Ada\u0007"},
            "display_name must not contain control characters",
            "Use printable characters only.",
        ),
        ({"avatar_sprite": "pikachu"}, "unknown avatar_sprite", None),  # hint: see below
    ],
    ids=["empty", "blank", "null", "33-chars", "control-char", "unknown-sprite"],
)
def test_bad_profile_patch_is_a_readable_400(
    player: Player, owner_conn: psycopg.Connection[Any], patch: dict[str, Any], message: str, hint: str | None
) -> None:
    before = user_row(owner_conn, player.user_id)
    body = error(player.http.patch("/me", json=patch), 400, "22023", message)
    if hint is None:
        # The valid sprites live in the database; the hint lists them in picker order.
        sprites = ok(player.http.get("/avatar_sprites", params={"order": "sort_order,key"}))
        assert {"brendan", "may"} <= {s["key"] for s in sprites}
        hint = "Choose one of: " + ", ".join(s["key"] for s in sprites) + " (GET /avatar_sprites)."
    assert body["hint"] == hint
    assert user_row(owner_conn, player.user_id) == before


@pytest.mark.parametrize(
    ("patch", "code", "message"),
    [
        (
            {"volume": 101},
            "23514",
            'new row for relation "user_settings" violates check constraint "user_settings_volume_range"',
        ),
        (
            {"volume": -1},
            "23514",
            'new row for relation "user_settings" violates check constraint "user_settings_volume_range"',
        ),
        (
            {"theme": "blue"},
            "23514",
            'new row for relation "user_settings" violates check constraint "user_settings_theme_known"',
        ),
        ({"volume": "loud"}, "22P02", 'invalid input syntax for type integer: "loud"'),
    ],
    ids=["volume-101", "volume-negative", "theme-blue", "volume-not-a-number"],
)
def test_out_of_range_settings_are_400_and_change_nothing(
    player: Player, owner_conn: psycopg.Connection[Any], patch: dict[str, Any], code: str, message: str
) -> None:
    before = settings_row(owner_conn, player.user_id)
    # The valid half of the PATCH must not be written either: no partial writes.
    error(player.http.patch("/user_settings", json={"show_player_names": False, **patch}), 400, code, message)
    assert settings_row(owner_conn, player.user_id) == before


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"display_name": "", "avatar_sprite": "brendan"}, 400, "22023"),
        ({"display_name": "   ", "avatar_sprite": "brendan"}, 400, "22023"),
        ({"display_name": None, "avatar_sprite": "brendan"}, 400, "22023"),
        ({"display_name": "x" * 33, "avatar_sprite": "brendan"}, 400, "22023"),
        ({"display_name": "Ada\u0001", "avatar_sprite": "brendan"}, 400, "22023"),
        ({"display_name": "Ada\u0000", "avatar_sprite": "brendan"}, 400, "22P05"),  # NUL: text cannot hold it
        ({"display_name": "Ada", "avatar_sprite": "pikachu"}, 400, "22023"),
        ({"display_name": "Ada", "avatar_sprite": None}, 400, "22023"),
        # A missing or extra argument matches no function signature: PostgREST answers 404 PGRST202.
        ({"display_name": "Ada"}, 404, "PGRST202"),
        ({}, 404, "PGRST202"),
        ({"display_name": "Ada", "avatar_sprite": "may", "role": "content_admin"}, 404, "PGRST202"),
    ],
    ids=[
        "empty-name", "blank-name", "null-name", "33-char-name", "control-char", "nul-char",
        "unknown-sprite", "null-sprite", "missing-sprite", "no-arguments", "extra-argument",
    ],
)  # fmt: skip
def test_login_anonymous_rejects_bad_input_without_creating_a_user(
    client: ClientFactory, owner_conn: psycopg.Connection[Any], body: dict[str, Any], status: int, code: str
) -> None:
    before = user_count(owner_conn)
    answer = error(client().post("/rpc/login_anonymous", json=body), status, code)
    assert answer["message"]
    assert user_count(owner_conn) == before


def test_login_anonymous_refuses_a_body_that_is_not_json(
    client: ClientFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    before = user_count(owner_conn)
    response = client().post(
        "/rpc/login_anonymous", content=b'{"display_name": "Ada",', headers={"Content-Type": "application/json"}
    )
    error(response, 400, "PGRST102", "Empty or invalid json")
    assert user_count(owner_conn) == before


# ---- register and login ---------------------------------------------------------------------------------


def test_register_then_login_cycle(
    player: Player, client: ClientFactory, owner_conn: psycopg.Connection[Any], jwt_secret: str
) -> None:
    local = f"Ada.{uuid.uuid4().hex[:12]}"
    typed = f"  {local}@Example.ORG "
    email = f"{local}@example.org".lower()

    registered = ok(player.http.post("/rpc/register", json={"email": typed, "password": PASSWORD}))
    assert registered["user_id"] == player.user_id
    assert claims(registered["token"], jwt_secret)["sub"] == player.user_id

    me = ok(player.http.get("/me"))[0]
    assert (me["id"], me["email"], me["is_anonymous"]) == (player.user_id, email, False)
    stored = owner_conn.execute(
        "SELECT password_hash, crypt(%s, password_hash) = password_hash FROM auth.credentials WHERE user_id = %s",
        (PASSWORD, player.user_id),
    ).fetchone()
    assert stored is not None
    password_hash, matches = stored
    assert password_hash.startswith("$2")  # bcrypt
    assert PASSWORD not in password_hash
    assert matches is True

    # Sign in from a fresh, anonymous client; the email is matched case-insensitively.
    login = ok(client().post("/rpc/login", json={"email": email.upper(), "password": PASSWORD}))
    assert set(login) == {"user_id", "token", "expires_at"}
    assert login["user_id"] == player.user_id
    token_claims = claims(login["token"], jwt_secret)
    assert (token_claims["role"], token_claims["sub"]) == ("player", player.user_id)
    assert [row["id"] for row in ok(client(login["token"]).get("/me"))] == [player.user_id]


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("not-an-email", PASSWORD, "malformed email address"),
        ("ada@example", PASSWORD, "malformed email address"),
        ("ada @example.org", PASSWORD, "malformed email address"),
        (None, PASSWORD, "malformed email address"),
        ("ada-{}@example.org", "short", "password is too short"),
        ("ada-{}@example.org", "1234567", "password is too short"),
        ("ada-{}@example.org", "x" * 73, "password is too long"),
    ],
    ids=["no-at", "no-dot", "space", "null-email", "5-chars", "7-chars", "73-bytes"],
)
def test_register_rejects_bad_input_and_stays_anonymous(
    player: Player, owner_conn: psycopg.Connection[Any], email: str | None, password: str, message: str
) -> None:
    if email is not None:
        email = email.format(uuid.uuid4().hex[:12])
    error(player.http.post("/rpc/register", json={"email": email, "password": password}), 400, "22023", message)
    assert user_row(owner_conn, player.user_id)[2:] == (None, True)
    credentials = owner_conn.execute(
        "SELECT count(*) FROM auth.credentials WHERE user_id = %s", (player.user_id,)
    ).fetchone()
    assert credentials is not None and credentials[0] == 0


def test_register_conflicts_are_409(new_player: PlayerFactory, owner_conn: psycopg.Connection[Any]) -> None:
    ada = new_player()
    bob = new_player()
    email = unique_email()
    ok(ada.http.post("/rpc/register", json={"email": email, "password": PASSWORD}))

    error(
        ada.http.post("/rpc/register", json={"email": unique_email(), "password": PASSWORD}),
        409,
        "PT409",
        "this account is already registered",
    )
    error(
        bob.http.post("/rpc/register", json={"email": email.upper(), "password": PASSWORD}),
        409,
        "23505",
        "this email is already registered",
    )
    assert user_row(owner_conn, ada.user_id)[2:] == (email, False)
    assert user_row(owner_conn, bob.user_id)[2:] == (None, True)
    rows = owner_conn.execute(
        "SELECT user_id::text FROM auth.credentials WHERE user_id = ANY(%s::uuid[])", ([ada.user_id, bob.user_id],)
    ).fetchall()
    assert [row[0] for row in rows] == [ada.user_id]


def test_wrong_email_and_wrong_password_answer_the_same_401(player: Player, client: ClientFactory) -> None:
    email = unique_email()
    ok(player.http.post("/rpc/register", json={"email": email, "password": PASSWORD}))
    anonymous = client()

    wrong_password = anonymous.post("/rpc/login", json={"email": email, "password": "not the password"})
    wrong_email = anonymous.post("/rpc/login", json={"email": unique_email("nobody"), "password": PASSWORD})

    body = error(wrong_password, 401, "28P01", "invalid email or password")
    assert wrong_email.status_code == 401
    assert wrong_email.json() == body
    assert wrong_email.content == wrong_password.content
    assert wrong_email.headers["content-type"] == wrong_password.headers["content-type"]


def test_an_over_long_email_fails_like_a_wrong_password_and_is_not_recorded(
    client: ClientFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    anonymous = client()
    too_long = "a" * 300 + "@example.org"
    body = error(anonymous.post("/rpc/login", json={"email": too_long, "password": PASSWORD}), 401, "28P01")
    wrong_email = anonymous.post("/rpc/login", json={"email": unique_email("nobody"), "password": PASSWORD})
    assert wrong_email.status_code == 401 and wrong_email.json() == body
    recorded = owner_conn.execute("SELECT count(*) FROM auth.login_throttle WHERE email = %s", (too_long,)).fetchone()
    assert recorded is not None and recorded[0] == 0


def test_five_failed_logins_lock_the_email_in_the_database(
    player: Player, client: ClientFactory, owner_conn: psycopg.Connection[Any], start_postgrest: StartPostgrest
) -> None:
    email = unique_email()
    ok(player.http.post("/rpc/register", json={"email": email, "password": PASSWORD}))
    anonymous = client()

    for _ in range(5):
        error(anonymous.post("/rpc/login", json={"email": email, "password": "guess"}), 401, "28P01")
    locked = error(
        anonymous.post("/rpc/login", json={"email": email, "password": "guess"}),
        429,
        "PT429",
        "too many failed logins for this email",
    )
    seconds = retry_after(locked)
    assert seconds <= 15 * 60
    assert locked["hint"] == f"Try again in {seconds} seconds (retry_after={seconds})."
    # Even the right password is refused while the email is locked.
    error(anonymous.post("/rpc/login", json={"email": email, "password": PASSWORD}), 429, "PT429")

    throttle = owner_conn.execute("SELECT failures FROM auth.login_throttle WHERE email = %s", (email,)).fetchone()
    assert throttle is not None and throttle[0] == 5

    # The lock lives in auth.login_throttle, not in a PostgREST process: a PostgREST started now, which has
    # seen none of the failures, refuses too.
    with httpx.Client(base_url=start_postgrest(), timeout=10.0) as fresh:
        error(fresh.post("/rpc/login", json={"email": email, "password": PASSWORD}), 429, "PT429")


def test_refresh_token_gives_a_later_expiry(
    player: Player, client: ClientFactory, make_token: MakeToken, jwt_secret: str
) -> None:
    # Start from a token that expires in an hour; the database issues 24-hour tokens.
    short = make_token("player", sub=player.user_id, exp_delta=timedelta(hours=1))
    refreshed = ok(client(short).post("/rpc/refresh_token"))
    assert set(refreshed) == {"user_id", "token", "expires_at"}
    assert refreshed["user_id"] == player.user_id
    old, new = claims(short, jwt_secret), claims(refreshed["token"], jwt_secret)
    assert (new["role"], new["sub"]) == ("player", player.user_id)
    assert new["exp"] > old["exp"]
    assert new["exp"] - new["iat"] == 24 * 3600
    assert [row["id"] for row in ok(client(refreshed["token"]).get("/me"))] == [player.user_id]


# ---- tokens PostgREST refuses ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "status", "code", "message"),
    [
        # Signed with another key: PostgREST rejects the signature itself.
        ("forged", 401, "PGRST301", "JWSError JWSInvalidSignature"),
        # exp two minutes ago, beyond PostgREST's 30 s of clock skew.
        ("expired", 401, "PGRST301", "JWT expired"),
        ("garbage", 401, "PGRST301", 'JWSError (JSONDecodeError "Not valid base64url")'),
        # A valid signature over a role that does not exist: SET ROLE fails with 22023, which PostgREST 12
        # maps to 400 (not 401); the body says which role.
        ("unknown-role", 400, "22023", 'role "no_such_role" does not exist'),
        # bridge exists but authenticator is not a member of it: SET ROLE is refused with 42501, and a
        # request that carries a JWT gets 403.
        ("bridge", 403, "42501", 'permission denied to set role "bridge"'),
        # authenticator may "switch" to itself, but it has no rights at all: not even USAGE on auth, where
        # the pre-request check (auth.check_request) that runs first lives, nor on api.
        ("authenticator", 403, "42501", "permission denied for schema auth"),
        ("postgres", 403, "42501", 'permission denied to set role "postgres"'),
    ],
)
def test_bad_tokens_are_refused(
    client: ClientFactory, make_token: MakeToken, kind: str, status: int, code: str, message: str
) -> None:
    # Whose id the token names does not matter: PostgREST refuses it before any query runs.
    user_id = uuid.uuid4()
    tokens: dict[str, Callable[[], str]] = {
        "forged": lambda: make_token("player", sub=user_id, key="not-the-secret-" + "x" * 32),
        "expired": lambda: make_token("player", sub=user_id, exp_delta=timedelta(minutes=-2)),
        "garbage": lambda: "abc.def.ghi",
        "unknown-role": lambda: make_token("no_such_role", sub=user_id),
        "bridge": lambda: make_token("bridge", sub=user_id),
        "authenticator": lambda: make_token("authenticator", sub=user_id),
        "postgres": lambda: make_token("postgres", sub=user_id),
    }
    token = tokens[kind]()
    http = client(token)
    for path in ("/me", "/agents"):
        response = http.get(path)
        error(response, status, code, message)
        if status == 401:
            assert response.headers["www-authenticate"].startswith('Bearer error="invalid_token"')


def test_a_token_without_a_role_claim_is_anonymous(client: ClientFactory, jwt_secret: str, player: Player) -> None:
    # jwt-role-claim-key is .role; a valid token without one runs as web_anon, which reads agents but not /me.
    token = jwt.encode({"sub": player.user_id}, jwt_secret, algorithm="HS256")
    http = client(token)
    assert {agent["slug"] for agent in ok(http.get("/agents"))} >= SEEDED_AGENTS
    error(http.get("/me"), 401, "42501", "permission denied for view me")


@pytest.mark.parametrize(
    ("who", "function", "body", "status"),
    [
        # Granted to player only: anonymous callers get 401 (no token, so PostgREST asks for one).
        ("anonymous", "register", {"email": "x@example.org", "password": PASSWORD}, 401),
        ("anonymous", "refresh_token", None, 401),
        # Granted to web_anon and player (a player may switch accounts): a service gets 403.
        ("agent_service", "login_anonymous", {"display_name": "Ada", "avatar_sprite": "may"}, 403),
        ("content_admin", "register", {"email": "x@example.org", "password": PASSWORD}, 403),
    ],
)
def test_identity_functions_follow_their_grants(
    caller: Caller,
    owner_conn: psycopg.Connection[Any],
    who: str,
    function: str,
    body: dict[str, Any] | None,
    status: int,
) -> None:
    http = caller(who)
    before = user_count(owner_conn)
    response = http.post(f"/rpc/{function}", json=body) if body is not None else http.post(f"/rpc/{function}")
    error(response, status, "42501", f"permission denied for function {function}")
    assert user_count(owner_conn) == before
