"""A block through the bridge (issue 9, section 3): after Ada blocks Bob, nothing Bob tries reaches Ada's
sockets, Bob's sockets are told nothing, and both keep serving.

The socket carries no chat sends (chat goes through POST /rpc/send_message, the one function that stores
a player's private message), so the refusal is the REST answer; what the bridge must show is that no
refused attempt becomes a frame for anyone. The stream is in commit order, so a marker that Ada sends
after Bob's attempts, arriving with nothing of Bob's before it, proves none of them was delivered.
"""

from __future__ import annotations

from tests.bridge.conftest import BridgeProcess, Connect, NewPlayer

ATTEMPTS = 5


async def test_a_blocked_players_sends_reach_no_socket_and_every_socket_keeps_serving(
    bridge: BridgeProcess, open_socket: Connect, new_player: NewPlayer
) -> None:
    ada, bob = new_player("Ada"), new_player("Bob")
    ada_tab = await open_socket(bridge, ada.token, name="ada")
    bob_tab = await open_socket(bridge, bob.token, name="bob")
    started = await bob.rpc("start_chat", other_user_id=ada.user_id)
    assert started.status_code == 200, started.text
    session = started.json()["id"]

    before = await bob.rpc("send_message", session_id=session, content="hello Ada")
    assert before.status_code == 200, before.text
    for tab in (ada_tab, bob_tab):
        await tab.expect("chat_message", where=lambda f: f["message"]["content"] == "hello Ada")

    blocked = await ada.rpc("block_user", user_id=bob.user_id)
    assert blocked.status_code == 200, blocked.text
    for n in range(ATTEMPTS):
        refused = await bob.rpc("send_message", session_id=session, content=f"attempt {n}")
        assert (refused.status_code, refused.json()["code"]) == (404, "PT404"), refused.text

    marker = await ada.rpc("send_message", session_id=session, content="marker")
    assert marker.status_code == 200, marker.text
    for tab in (ada_tab, bob_tab):
        seen = len(tab.frames)
        await tab.expect("chat_message", where=lambda f: f["message"]["content"] == "marker")
        # Everything this socket read since the block: only the marker, no attempt and no notice.
        assert [f["type"] for f in tab.frames[seen:]] == ["chat_message"], tab.frames[seen:]
        await tab.ping()
    assert not any(f["type"] == "error" for f in bob_tab.frames), bob_tab.frames

    unblocked = await ada.rpc("unblock_user", user_id=bob.user_id)
    assert unblocked.status_code == 200, unblocked.text
    after = await bob.rpc("send_message", session_id=session, content="back again")
    assert after.status_code == 200, after.text
    await ada_tab.expect("chat_message", where=lambda f: f["message"]["content"] == "back again")
