"""Issue 9, section 4: tokens that can be revoked.

api.logout revokes the caller's session (the token and every token refresh_token made from it),
api.logout_everywhere every token of the caller (a player's, or all of a service role's). A revoked token
gets 401 from PostgREST's db-pre-request check (auth.check_request) before anything else runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import psycopg
import pytest

from tests.api.expect import ok
from tests.support.protocols import ClientFactory, MakeToken, Player, PlayerFactory


def assert_revoked(response: httpx.Response) -> None:
    """The fixed 401 of a revoked token: standard status line, a Bearer challenge, a JSON body."""
    assert response.status_code == 401, response.text
    assert response.reason_phrase == "Unauthorized"
    assert response.headers["WWW-Authenticate"].startswith('Bearer error="invalid_token"')
    body = response.json()
    assert body["code"] == "PT401"
    assert body["message"] == "the token has been revoked"
    assert body["hint"]


def claims_of(token: str) -> dict[str, Any]:
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims


def service_token(owner_conn: psycopg.Connection[Any], role: str) -> str:
    row = owner_conn.execute("SELECT auth.issue_service_token(%s)", (role,)).fetchone()
    assert row is not None
    token: str = row[0]
    return token


@pytest.fixture
def restore_role_generations(owner_conn: psycopg.Connection[Any]) -> Iterator[None]:
    """logout_everywhere as a service role revokes every token of that role, the session's make_token
    ones too: put the generations back afterwards so the other tests keep their service tokens."""
    yield
    owner_conn.execute("DELETE FROM auth.token_revocations WHERE key LIKE 'role:%'")


def test_tokens_carry_a_session_and_a_generation(player: Player) -> None:
    claims = claims_of(player.token)
    assert isinstance(claims["sid"], str) and len(claims["sid"]) == 36
    assert claims["gen"] == 0


def test_logout_revokes_the_token_and_only_that_session(
    new_player: PlayerFactory, client: ClientFactory, make_token: MakeToken
) -> None:
    ada, bob = new_player("Ada"), new_player("Bob")
    # Another sign-in of Ada's account (a token of its own session).
    other = client(make_token("player", sub=ada.user_id, sid="00000000-0000-4000-8000-000000000001", gen=0))
    ok(ada.http.get("/agents"))
    assert ok(ada.http.post("/rpc/logout")) == {"revoked": "session"}

    for method, path in (("GET", "/agents"), ("GET", "/profiles"), ("POST", "/rpc/refresh_token")):
        assert_revoked(ada.http.request(method, path))
    assert_revoked(ada.http.post("/rpc/logout"))
    ok(other.get("/agents"))
    ok(bob.http.get("/agents"))


def test_refresh_keeps_the_session_so_a_logout_revokes_the_refreshed_token_too(
    player: Player, client: ClientFactory
) -> None:
    refreshed = ok(player.http.post("/rpc/refresh_token"))
    assert claims_of(refreshed["token"])["sid"] == claims_of(player.token)["sid"]
    newer = client(refreshed["token"])
    ok(newer.get("/agents"))
    ok(player.http.post("/rpc/logout"))  # with the older token
    assert_revoked(newer.get("/agents"))
    assert_revoked(newer.post("/rpc/refresh_token"))


def test_refresh_cannot_extend_a_revoked_token(player: Player) -> None:
    ok(player.http.post("/rpc/logout"))
    assert_revoked(player.http.post("/rpc/refresh_token"))


def test_logout_everywhere_revokes_every_token_of_the_account_and_later_ones_work(
    new_player: PlayerFactory, client: ClientFactory, make_token: MakeToken, owner_conn: psycopg.Connection[Any]
) -> None:
    ada, bob = new_player("Ada"), new_player("Bob")
    refreshed = client(ok(ada.http.post("/rpc/refresh_token"))["token"])
    legacy = client(make_token("player", sub=ada.user_id))  # a token from before sid and gen
    assert ok(ada.http.post("/rpc/logout_everywhere")) == {"revoked": "all"}
    for http in (ada.http, refreshed, legacy):
        assert_revoked(http.get("/agents"))
    ok(bob.http.get("/agents"))

    row = owner_conn.execute("SELECT auth.issue_token(%s::uuid) ->> 'token'", (ada.user_id,)).fetchone()
    assert row is not None
    assert claims_of(row[0])["gen"] == 1
    later = client(row[0])
    ok(later.get("/agents"))
    ok(later.post("/rpc/refresh_token"))


def test_logging_out_a_token_from_before_sessions_revokes_its_whole_account(
    player: Player, client: ClientFactory, make_token: MakeToken
) -> None:
    legacy = client(make_token("player", sub=player.user_id))
    ok(legacy.get("/agents"))
    assert ok(legacy.post("/rpc/logout")) == {"revoked": "all"}
    assert_revoked(legacy.get("/agents"))
    assert_revoked(player.http.get("/agents"))


def test_service_tokens_are_revocable(
    client: ClientFactory, owner_conn: psycopg.Connection[Any], restore_role_generations: None
) -> None:
    admin = client(service_token(owner_conn, "content_admin"))
    other_admin = client(service_token(owner_conn, "content_admin"))
    worker = client(service_token(owner_conn, "agent_service"))
    ok(admin.get("/agents"))
    ok(admin.post("/rpc/logout"))
    assert_revoked(admin.get("/agents"))
    ok(other_admin.get("/agents"))

    other_worker = client(service_token(owner_conn, "agent_service"))
    ok(worker.post("/rpc/logout_everywhere"))
    assert_revoked(worker.get("/agents"))
    assert_revoked(other_worker.get("/agents"))
    ok(other_admin.get("/agents"))
    fresh = client(service_token(owner_conn, "agent_service"))
    ok(fresh.get("/agents"))


def test_anonymous_callers_cannot_log_out_and_are_not_checked(client: ClientFactory) -> None:
    anon = client()
    ok(anon.get("/agents"))
    response = anon.post("/rpc/logout")
    assert response.status_code == 401, response.text


def test_a_revoked_session_row_is_pruned_after_its_tokens_expired(
    new_player: PlayerFactory, owner_conn: psycopg.Connection[Any]
) -> None:
    ada, bob = new_player("Ada"), new_player("Bob")
    ok(ada.http.post("/rpc/logout"))
    key = "sid:" + claims_of(ada.token)["sid"]
    row = owner_conn.execute(
        "SELECT expires_at > now() + interval '23 hours' FROM auth.token_revocations WHERE key = %s", (key,)
    ).fetchone()
    assert row == (True,), "kept until every token the session could have has expired"
    owner_conn.execute(
        "UPDATE auth.token_revocations SET expires_at = now() - interval '1 second' WHERE key = %s", (key,)
    )
    ok(bob.http.post("/rpc/logout"))
    assert owner_conn.execute("SELECT FROM auth.token_revocations WHERE key = %s", (key,)).fetchone() is None
