"""The bridge process as a whole: health, scale-out over one database, and logs without tokens."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest

from tests.bridge.conftest import BridgeProcess, Connect, NewPlayer, StartBridge
from tests.bridge.test_chat import send, start_agent_chat
from tests.bridge.test_hub import join, mentions
from tests.support.processes import REPO_ROOT
from tests.support.protocols import MakeToken


async def test_health_reports_the_listener_and_the_number_of_clients(
    start_bridge: StartBridge, open_socket: Connect, new_player: NewPlayer
) -> None:
    bridge = start_bridge()
    assert bridge.health().json() == {"status": "ok", "listener": "connected", "clients": 0}
    await open_socket(bridge, new_player().token)
    await open_socket(bridge, new_player().token)
    response = bridge.health()
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"status": "ok", "listener": "connected", "clients": 2}


async def test_two_bridges_deliver_to_clients_connected_to_either(
    start_bridge: StartBridge, open_socket: Connect, new_player: NewPlayer, new_room: Callable[[], str]
) -> None:
    one, two = start_bridge(), start_bridge()
    room = new_room()
    ada, bob, cy = new_player("Ada"), new_player("Bob"), new_player("Cy")
    a = await open_socket(one, ada.token, name="ada on bridge 1")
    b = await open_socket(two, bob.token, name="bob on bridge 2")
    c = await open_socket(two, cy.token, name="cy on bridge 2")
    await join(a, room)
    await join(b, room)
    await a.expect("player_joined", where=lambda f: f["player"]["user_id"] == bob.user_id)
    await join(c, room)
    await a.expect("player_joined", where=lambda f: f["player"]["user_id"] == cy.user_id)
    await b.expect("player_joined", where=lambda f: f["player"]["user_id"] == cy.user_id)

    await a.send({"type": "move", "x": 6, "y": 5, "direction": "right"})
    for other in (b, c):
        moves = await other.expect("moves", where=lambda f: mentions(f, ada.user_id))
        assert moves["moves"] == [{"user_id": ada.user_id, "x": 6, "y": 5, "direction": "right"}]
    await b.send({"type": "move", "x": 5, "y": 4, "direction": "up"})
    await a.expect("moves", where=lambda f: mentions(f, bob.user_id))
    await c.expect("moves", where=lambda f: mentions(f, bob.user_id))

    # Chat crosses bridges too: Ada's tab on bridge 2 hears what she says through REST.
    tab = await open_socket(two, ada.token, name="ada's second tab on bridge 2")
    session = await start_agent_chat(ada)
    sent = await send(ada, session["id"], "hello from either side")
    for sock in (a, tab):
        await sock.expect("chat_message", where=lambda f: f["message"]["id"] == sent["id"])

    await b.close()
    await a.expect("player_left", user_id=bob.user_id, timeout=4.0)
    await c.expect("player_left", user_id=bob.user_id, timeout=4.0)


async def test_token_never_appears_in_the_bridge_log(
    start_bridge: StartBridge,
    open_socket: Connect,
    new_player: NewPlayer,
    make_token: MakeToken,
    agent_token: str,
    new_room: Callable[[], str],
) -> None:
    bridge: BridgeProcess = start_bridge(BRIDGE_LOG_LEVEL="debug")
    ada = new_player("Ada")
    forged = make_token("player", sub=uuid.uuid4(), key="f" * 64)
    expired = make_token("player", sub=ada.user_id, exp_delta=timedelta(minutes=-1))
    room = new_room()

    a = await open_socket(bridge, ada.token, name="ada")
    await join(a, room)
    await a.send({"type": "move", "x": 30, "y": 5, "direction": "right"})  # rejected: logged at most as an error
    await a.expect("error")
    await a.send("{broken json " + ada.token)
    await a.expect("error")
    await a.send({"type": "auth", "token": ada.token})
    await a.expect("error")
    by_frame = await open_socket(bridge, None, name="auth frame", welcome=False)
    await by_frame.send({"type": "auth", "token": ada.token})
    await by_frame.expect("welcome")
    await open_socket(bridge, agent_token, name="worker")
    for bad in (forged, expired):
        sock = await open_socket(bridge, bad, name="refused", welcome=False)
        assert await sock.closed_with() == 4401
    await a.close()
    bridge.stop()

    log = bridge.log()
    assert '"WebSocket /ws?token=[redacted]"' in log, "the handshake lines are there, redacted"
    assert "refused a socket: the token has expired" in log
    for token in (ada.token, forged, expired, agent_token):
        header, payload, signature = token.split(".")
        assert payload not in log
        assert signature not in log


@pytest.mark.parametrize(
    ("missing", "message"),
    [("BRIDGE_DATABASE_URL", "BRIDGE_DATABASE_URL is required"), ("JWT_SECRET", "JWT_SECRET is required")],
)
def test_bridge_refuses_to_start_without_its_required_settings(
    bridge_db_url: str, jwt_secret: str, missing: str, message: str
) -> None:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "BRIDGE_DATABASE_URL": bridge_db_url}
    env["JWT_SECRET"] = jwt_secret
    del env[missing]
    result = subprocess.run(
        [sys.executable, "-m", "bridge"], env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 2
    assert message in result.stderr
    assert jwt_secret not in result.stderr + result.stdout
