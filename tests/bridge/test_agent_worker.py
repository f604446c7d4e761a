"""examples/agent_worker.py against a real bridge and PostgREST: live answers, reconnect, resume."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import Any, Protocol

import pytest

from tests.bridge.conftest import BridgeProcess, Connect, NewPlayer, Player, StartBridge, wait_until
from tests.bridge.test_chat import readable_ids, send, start_agent_chat
from tests.support.processes import REPO_ROOT, ManagedProcess

WORKER = REPO_ROOT / "examples" / "agent_worker.py"


class RunWorker(Protocol):
    def __call__(self, bridge: BridgeProcess) -> ManagedProcess: ...


@pytest.fixture
def run_worker(request: pytest.FixtureRequest, postgrest: str, agent_token: str) -> Iterator[RunWorker]:
    """run_worker(bridge) starts examples/agent_worker.py as agent_service against that bridge."""
    started: list[ManagedProcess] = []

    def start(bridge: BridgeProcess) -> ManagedProcess:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "AGENT_TOKEN": agent_token,
            "BRIDGE_URL": bridge.ws_url,
            "API_URL": postgrest,
            "PYTHONUNBUFFERED": "1",
        }
        proc = ManagedProcess("agent-worker", [sys.executable, WORKER], env=env).start()
        started.append(proc)
        return proc

    yield start
    for proc in started:
        proc.stop()
        if request.session.testsfailed:
            print(f"\nagent worker log kept at {proc.log_path}")
        else:
            proc.remove_log()


async def session_messages(player: Player, session_id: str) -> list[dict[str, Any]]:
    response = await player.http.get("/chat_messages", params={"session_id": f"eq.{session_id}", "order": "id.asc"})
    assert response.status_code == 200, response.text
    return list(response.json())


async def test_agent_worker_answers_live_and_resumes_after_a_bridge_restart(
    start_bridge: StartBridge, open_socket: Connect, new_player: NewPlayer, run_worker: RunWorker, agent_token: str
) -> None:
    bridge = start_bridge()
    ada = new_player("Ada")
    a = await open_socket(bridge, ada.token, name="ada")
    session = await start_agent_chat(ada, "scout")
    greeting = await a.expect("chat_message")
    worker = run_worker(bridge)
    # The worker is connected once the bridge counts two clients.
    await wait_until(lambda: bridge.health().json()["clients"] == 2, timeout=10.0, what="the worker connecting")
    asked = await send(ada, session["id"], "find sources on coral reefs")
    answer = await a.expect(
        "chat_message", where=lambda f: f["message"]["sender_type"] == "agent" and f["message"]["id"] > asked["id"]
    )
    assert answer["message"]["session_id"] == session["id"]
    assert answer["message"]["sender_name"] == "Scout"
    assert "find sources on coral reefs" in answer["message"]["content"]
    assert greeting["message"]["content"] in answer["message"]["content"], "built from the agent's greeting"

    # The bridge goes away; a question asked meanwhile is answered once the worker is back.
    bridge.stop()
    while_down = await send(ada, session["id"], "are you still there?")
    bridge.start_again()
    again = await open_socket(bridge, ada.token, name="ada again")
    await again.send({"type": "resume", "after_message_id": answer["message"]["id"]})
    late = await again.expect(
        "chat_message",
        timeout=15.0,
        where=lambda f: f["message"]["sender_type"] == "agent" and f["message"]["id"] > while_down["id"],
    )
    assert "are you still there?" in late["message"]["content"]

    # Exactly one answer per question, nothing else.
    messages = await session_messages(ada, session["id"])
    assert [(m["sender_type"], m["id"]) for m in messages] == [
        ("agent", greeting["message"]["id"]),
        ("user", asked["id"]),
        ("agent", answer["message"]["id"]),
        ("user", while_down["id"]),
        ("agent", late["message"]["id"]),
    ]
    assert [m["id"] for m in messages] == await readable_ids(ada, session["id"])
    log = worker.log_path.read_text()
    assert "reconnecting" in log
    assert agent_token.split(".")[2] not in log


async def test_a_fresh_agent_worker_answers_what_was_sent_before_it_started(
    start_bridge: StartBridge, open_socket: Connect, new_player: NewPlayer, run_worker: RunWorker
) -> None:
    # Nobody answered while no worker ran; a worker that starts with no cursor of its own must not leave
    # these users waiting (GET /agent_inbox), and must answer each once.
    bridge = start_bridge()
    bea = new_player("Bea")
    b = await open_socket(bridge, bea.token, name="bea")
    session = await start_agent_chat(bea, "sage")
    first = await send(bea, session["id"], "what is the meaning of tides?")
    second = await send(bea, session["id"], "and of waves?")
    worker = run_worker(bridge)
    answers = []
    for _ in range(2):
        frame = await b.expect(
            "chat_message",
            timeout=15.0,
            where=lambda f: (
                f["message"]["sender_type"] == "agent"
                and f["message"]["id"] > second["id"]
                and f["message"]["id"] not in answers
            ),
        )
        answers.append(frame["message"]["id"])
    await b.drain(1.0)
    messages = await session_messages(bea, session["id"])
    assert [m["sender_type"] for m in messages] == ["agent", "user", "user", "agent", "agent"]
    assert "meaning of tides" in messages[3]["content"] and "waves" in messages[4]["content"]
    assert first["id"] < second["id"] < messages[3]["id"]
    assert "caught up on" in worker.log_path.read_text()
