"""Issue 9, section 4: a revoked token gets 4401 from the bridge, and its open sockets are closed.

api.logout and api.logout_everywhere NOTIFY token_revoked; the bridge closes the matching sockets as the
notification arrives. A revocation it did not hear of is found by its periodic check
(app.REVOCATION_CHECK_SECONDS).
"""

from __future__ import annotations

from typing import Any

import httpx
import psycopg

from bridge.app import REVOCATION_CHECK_SECONDS
from tests.bridge.conftest import BridgeProcess, Connect, NewPlayer
from tests.bridge.test_auth import closed_before_welcome
from tests.support.protocols import MakeToken

# The notification path answers in milliseconds; well under the periodic check's interval, so a socket
# closed in time was closed by the notification and not by the backstop.
NOTIFIED_WITHIN = 1.5
assert NOTIFIED_WITHIN < REVOCATION_CHECK_SECONDS


async def test_a_revoked_token_is_refused_with_4401(bridge: BridgeProcess, new_player: NewPlayer) -> None:
    ada = new_player("Ada")
    assert (await ada.http.post("/rpc/logout")).status_code == 200
    assert await closed_before_welcome(bridge, f"{bridge.ws_url}?token={ada.token}") == 4401
    assert await closed_before_welcome(bridge, bridge.ws_url, f'{{"type":"auth","token":"{ada.token}"}}') == 4401


async def test_logout_closes_the_sessions_sockets_at_once_and_no_others(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer, make_token: MakeToken
) -> None:
    ada, bob = new_player("Ada"), new_player("Bob")
    tab1 = await open_socket(bridge, ada.token, name="ada tab 1")
    tab2 = await open_socket(bridge, ada.token, name="ada tab 2")
    elsewhere = await open_socket(
        bridge, make_token("player", sub=ada.user_id, sid="00000000-0000-4000-8000-0000000000aa"), name="ada elsewhere"
    )
    b = await open_socket(bridge, bob.token, name="bob")
    assert (await ada.http.post("/rpc/logout")).status_code == 200
    assert await tab1.closed_with(timeout=NOTIFIED_WITHIN) == 4401
    assert await tab2.closed_with(timeout=NOTIFIED_WITHIN) == 4401
    await elsewhere.ping()
    await b.ping()


async def test_logout_everywhere_closes_every_socket_of_the_account(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer, make_token: MakeToken
) -> None:
    ada, bob = new_player("Ada"), new_player("Bob")
    tab = await open_socket(bridge, ada.token, name="ada")
    legacy = await open_socket(bridge, make_token("player", sub=ada.user_id), name="ada, token without sid")
    b = await open_socket(bridge, bob.token, name="bob")
    assert (await ada.http.post("/rpc/logout_everywhere")).status_code == 200
    assert await tab.closed_with(timeout=NOTIFIED_WITHIN) == 4401
    assert await legacy.closed_with(timeout=NOTIFIED_WITHIN) == 4401
    await b.ping()


async def test_a_revoked_agent_service_socket_is_closed(
    bridge: BridgeProcess, open_socket: Connect, owner_conn: psycopg.Connection[Any], postgrest: str, agent_token: str
) -> None:
    row = owner_conn.execute("SELECT auth.issue_service_token('agent_service', interval '1 hour')").fetchone()
    assert row is not None
    worker = await open_socket(bridge, row[0], name="worker")
    other = await open_socket(bridge, agent_token, name="the session's worker")
    async with httpx.AsyncClient(base_url=postgrest, headers={"Authorization": f"Bearer {row[0]}"}) as http:
        assert (await http.post("/rpc/logout")).status_code == 200
    assert await worker.closed_with(timeout=NOTIFIED_WITHIN) == 4401
    await other.ping()


async def test_a_revocation_the_bridge_did_not_hear_of_is_found_by_its_periodic_check(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer, owner_conn: psycopg.Connection[Any]
) -> None:
    ada, bob = new_player("Ada"), new_player("Bob")
    tab = await open_socket(bridge, ada.token, name="ada")
    b = await open_socket(bridge, bob.token, name="bob")
    # Written behind the bridge's back: no NOTIFY.
    owner_conn.execute("INSERT INTO auth.token_revocations (key, generation) VALUES ('user:' || %s, 1)", (ada.user_id,))
    assert await tab.closed_with(timeout=REVOCATION_CHECK_SECONDS + 3.0) == 4401
    await b.ping()
