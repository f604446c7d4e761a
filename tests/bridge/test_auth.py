"""Who may open a socket: player and agent_service tokens, by query string or auth frame; 4401 otherwise."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

import jwt
import pytest
from websockets.asyncio.client import connect

from tests.bridge.conftest import TIMEOUT, BridgeProcess, Connect, NewPlayer, Socket, with_cursor
from tests.bridge.test_chat import chat_ids, send, start_agent_chat
from tests.support.protocols import MakeToken


async def closed_before_welcome(bridge: BridgeProcess, url: str, first: str | None = None) -> int | None:
    ws = await connect(url, open_timeout=TIMEOUT, close_timeout=1, compression=None)
    sock = Socket(ws, "intruder")
    if first is not None:
        await sock.send(first)
    code = await sock.closed_with()
    assert not sock.frames, "no welcome, nothing at all"
    return code


async def test_forged_token_is_closed_with_4401(bridge: BridgeProcess, make_token: MakeToken) -> None:
    forged = make_token("player", sub=uuid.uuid4(), key="not-the-secret-" * 4)
    assert await closed_before_welcome(bridge, f"{bridge.ws_url}?token={forged}") == 4401


async def test_expired_token_is_closed_with_4401(bridge: BridgeProcess, make_token: MakeToken) -> None:
    expired = make_token("player", sub=uuid.uuid4(), exp_delta=timedelta(minutes=-5))
    assert await closed_before_welcome(bridge, f"{bridge.ws_url}?token={expired}") == 4401


@pytest.mark.parametrize(
    "claims",
    [
        {"role": "web_anon"},
        {"role": "content_admin"},
        {"role": "player"},  # no sub
        {"role": "player", "sub": "not-a-uuid"},
    ],
)
async def test_token_for_another_role_or_without_a_user_is_closed_with_4401(
    bridge: BridgeProcess, make_token: MakeToken, claims: dict[str, str]
) -> None:
    token = make_token(claims["role"], sub=claims.get("sub"))
    assert await closed_before_welcome(bridge, f"{bridge.ws_url}?token={token}") == 4401


async def test_token_without_exp_is_closed_with_4401(bridge: BridgeProcess, jwt_secret: str) -> None:
    import jwt

    token = jwt.encode({"role": "player", "sub": str(uuid.uuid4())}, jwt_secret, algorithm="HS256")
    assert await closed_before_welcome(bridge, f"{bridge.ws_url}?token={token}") == 4401


async def test_missing_token_is_closed_with_4401_after_the_auth_timeout(bridge: BridgeProcess) -> None:
    # The shared bridge waits 1 s for the auth frame (BRIDGE_AUTH_TIMEOUT).
    assert await closed_before_welcome(bridge, bridge.ws_url) == 4401


async def test_first_frame_other_than_auth_is_closed_with_4401(bridge: BridgeProcess) -> None:
    assert await closed_before_welcome(bridge, bridge.ws_url, '{"type":"join","room":"town"}') == 4401


async def test_auth_frame_with_a_forged_token_is_closed_with_4401(bridge: BridgeProcess, make_token: MakeToken) -> None:
    forged = make_token("player", sub=uuid.uuid4(), key="x" * 64)
    assert await closed_before_welcome(bridge, bridge.ws_url, f'{{"type":"auth","token":"{forged}"}}') == 4401


async def test_auth_frame_within_the_timeout_is_welcomed(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer
) -> None:
    ada = new_player("Ada")
    sock = await open_socket(bridge, None, welcome=False)
    await sock.send({"type": "auth", "token": ada.token})
    welcome = await sock.expect("welcome")
    assert with_cursor(welcome) == {"type": "welcome", "user_id": ada.user_id, "role": "player"}
    await sock.ping()
    await sock.send({"type": "auth", "token": ada.token})
    assert (await sock.expect("error"))["code"] == "bad_frame"


async def test_agent_service_is_welcomed_without_a_user_and_may_not_join(
    bridge: BridgeProcess, open_socket: Connect, agent_token: str
) -> None:
    sock = await open_socket(bridge, agent_token, welcome=False)
    assert with_cursor(await sock.expect("welcome")) == {"type": "welcome", "user_id": None, "role": "agent_service"}
    for frame in (
        {"type": "join", "room": "town"},
        {"type": "move", "x": 1, "y": 1, "direction": "up"},
        {"type": "status", "status": "busy"},
        {"type": "leave"},
    ):
        await sock.send(frame)
        assert (await sock.expect("error"))["code"] == "forbidden"
    await sock.ping()


async def test_player_whose_account_is_gone_gets_unauthorized_on_join(
    bridge: BridgeProcess, open_socket: Connect, make_token: MakeToken
) -> None:
    token = make_token("player", sub=uuid.uuid4())  # validly signed, but no such user
    sock = await open_socket(bridge, token)
    await sock.send({"type": "join", "room": "town"})
    assert (await sock.expect("error"))["code"] == "unauthorized"


async def test_socket_is_closed_with_4401_when_its_token_expires_and_the_others_stay(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer, make_token: MakeToken
) -> None:
    ada, bob = new_player("Ada"), new_player("Bob")
    # exp is whole seconds: this token expires 2 to 3 s from now.
    short = make_token("player", sub=ada.user_id, exp_delta=timedelta(seconds=3))
    expires_at = jwt.decode(short, options={"verify_signature": False})["exp"]
    brief = await open_socket(bridge, short, name="ada, token about to expire")
    tab = await open_socket(bridge, ada.token, name="ada's other tab")
    b = await open_socket(bridge, bob.token, name="bob")
    session = await start_agent_chat(ada)
    greeting = await brief.expect("chat_message")
    await brief.ping()

    assert await brief.closed_with(timeout=5.0) == 4401
    closed_at = time.time()
    assert expires_at - 0.1 <= closed_at <= expires_at + 1.0, "closed at exp, not before and not much later"

    # The other sockets, Ada's included, carry on.
    for sock in (tab, b):
        await sock.ping()
    missed = await send(ada, session["id"], "sent while the expired socket was gone")
    await tab.expect("chat_message", where=lambda f: f["message"]["id"] == missed["id"])

    # The client reconnects with a refreshed token and resumes from what it had.
    again = await open_socket(bridge, make_token("player", sub=ada.user_id), name="ada, reconnected")
    await again.send({"type": "resume", "after_message_id": greeting["message"]["id"]})
    assert with_cursor(await again.expect("resumed")) == {"type": "resumed", "last_message_id": missed["id"]}
    assert chat_ids(again) == [missed["id"]]
