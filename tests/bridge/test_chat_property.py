"""Property (issue 4): for every user, the chat received over the socket is what GET /chat_messages reads.

Each example is a random plan run against the real servers: 3 to 5 fresh players, each with an open bridge
socket, and an agent_service socket; agent and private sessions among them (POST /rpc/start_chat), sends
into them (POST /rpc/send_message by a participant, POST /rpc/post_agent_reply by the agent), and
proximity chat (POST /rpc/say_nearby) by players standing in a room of the example's own, placed there with
POST /rpc/enter_room and moved about with POST /rpc/move. Some messages are longer than a NOTIFY payload.

Then every player's socket must have received each message that the player can read through
GET /chat_messages (all pages), once, and nothing else; and the agent_service socket each message a player
sent into one of the example's agent sessions, once, and nothing else.

The bounds, and why:
- every example signs in fresh players, so examples are independent, and keeps each player under the rate
  limits (20 send_message and 5 say_nearby per 10 s): at most MAX_SENDS and MAX_SAYS each;
- max_examples=10 plus one explicit example that has every kind of step, under 1 s each on real servers;
- no shrinking: a shrink step costs a real run too. A failure prints its plan, which is small already;
- hypothesis keeps no example database (database=None), so a run does not depend on the previous one.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from dataclasses import dataclass
from typing import Any

import httpx
import psycopg
from hypothesis import Phase, example, given, settings
from hypothesis import strategies as st
from websockets.asyncio.client import connect

from tests.bridge.conftest import TIMEOUT, BridgeProcess, Socket
from tests.support.protocols import AnonLogin

# The plan's agent sessions are with these; FENCE_AGENT's greeting, last of all, tells when everything arrived.
AGENTS = ("scout", "sage", "chronicler")
FENCE_AGENT = "maven"
# Per player and example, safely under the rate limits.
MAX_SENDS = 12
MAX_SAYS = 3
MAX_MOVES = 4
# Players stand on this part of the room (40 x 30, proximity_radius 5): some within earshot, some not.
WIDTH, HEIGHT = 13, 7
# About 10 000 bytes of UTF-8, more than a NOTIFY payload carries; with its "#n " prefix still under 4000 characters.
LONG = "ü€" * 1990
PAGE = 10


@dataclass(frozen=True)
class AgentSession:
    user: int
    agent: str


@dataclass(frozen=True)
class PrivateSession:
    starter: int
    other: int


@dataclass(frozen=True)
class Send:
    session: int  # an index into Plan.sessions
    first: bool  # agent session: the player (else the agent's reply); private: the starter (else the other)
    long: bool


@dataclass(frozen=True)
class Say:
    user: int
    long: bool


@dataclass(frozen=True)
class Move:
    user: int
    x: int
    y: int


Session = AgentSession | PrivateSession
Step = Send | Say | Move


@dataclass(frozen=True)
class Plan:
    positions: tuple[tuple[int, int] | None, ...]  # one per player: where they stand in the room, or None
    sessions: tuple[Session, ...]
    steps: tuple[Step, ...]


def _session_key(session: Session) -> tuple[Any, ...]:
    if isinstance(session, AgentSession):
        return ("agent", session.user, session.agent)
    return ("private", *sorted((session.starter, session.other)))


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    players = draw(st.integers(3, 5))
    spot = st.tuples(st.integers(0, WIDTH - 1), st.integers(0, HEIGHT - 1))
    positions = tuple(draw(st.none() | spot) for _ in range(players))
    user = st.integers(0, players - 1)
    agent_session = st.builds(AgentSession, user, st.sampled_from(AGENTS))
    private_session = st.builds(PrivateSession, user, user).filter(lambda s: s.starter != s.other)
    sessions = tuple(draw(st.lists(agent_session | private_session, min_size=1, max_size=6, unique_by=_session_key)))

    kinds: list[st.SearchStrategy[Step]] = [
        st.builds(Send, st.integers(0, len(sessions) - 1), st.booleans(), st.booleans())
    ]
    present = [u for u, where in enumerate(positions) if where is not None]
    if present:
        somebody = st.sampled_from(present)
        kinds.append(st.builds(Say, somebody, st.booleans()))
        kinds.append(st.builds(Move, somebody, st.integers(0, WIDTH - 1), st.integers(0, HEIGHT - 1)))
    drawn = draw(st.lists(st.one_of(kinds), max_size=24))

    # Keep every player under the rate limits: drop the steps over them.
    sends: Counter[int] = Counter()
    says: Counter[int] = Counter()
    moves: Counter[int] = Counter()
    steps: list[Step] = []
    for step in drawn:
        if isinstance(step, Send):
            sender = _sender(sessions[step.session], step.first)
            if sender is not None:
                if sends[sender] >= MAX_SENDS:
                    continue
                sends[sender] += 1
        elif isinstance(step, Say):
            if says[step.user] >= MAX_SAYS:
                continue
            says[step.user] += 1
        else:
            if moves[step.user] >= MAX_MOVES:
                continue
            moves[step.user] += 1
        steps.append(step)
    return Plan(positions, sessions, tuple(steps))


def _sender(session: Session, first: bool) -> int | None:
    """The player who sends, or None for the agent."""
    if isinstance(session, AgentSession):
        return session.user if first else None
    return session.starter if first else session.other


# A plan with every kind of step: agent and private sessions, both senders of each, a long message, and
# proximity chat heard by one player, not by another out of earshot, then by both once it walked closer.
EVERYTHING = Plan(
    positions=((0, 0), (3, 4), (12, 0), None),
    sessions=(AgentSession(0, "scout"), PrivateSession(1, 3), AgentSession(3, "sage")),
    steps=(
        Send(0, True, False),
        Send(0, False, False),
        Send(1, True, False),
        Send(1, False, True),
        Say(0, False),
        Move(2, 4, 0),
        Say(0, True),
        Say(2, False),
        Send(2, True, True),
        Send(2, False, True),
    ),
)


def _ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, f"{response.request.method} {response.request.url}: {response.text}"
    return response.json()


async def _readable(http: httpx.AsyncClient, **filters: str) -> list[int]:
    """Every message id GET /chat_messages gives this caller, paged the documented way (newest first, id=lt.)."""
    ids: list[int] = []
    while True:
        params = {"select": "id", "order": "id.desc", "limit": str(PAGE), **filters}
        if ids:
            params["id"] = f"lt.{ids[-1]}"
        page = [m["id"] for m in _ok(await http.get("/chat_messages", params=params))]
        ids += page
        if len(page) < PAGE:
            return ids


def _received(sock: Socket) -> list[int]:
    return [f["message"]["id"] for f in sock.frames if f["type"] == "chat_message"]


async def _open(bridge: BridgeProcess, token: str, name: str) -> Socket:
    ws = await connect(f"{bridge.ws_url}?token={token}", open_timeout=TIMEOUT, close_timeout=1, compression=None)
    sock = Socket(ws, name)
    await sock.expect("welcome")
    return sock


async def _run(
    plan: Plan,
    bridge: BridgeProcess,
    postgrest: str,
    anon_login: AnonLogin,
    agent_token: str,
    owner_conn: psycopg.Connection[Any],
) -> None:
    logins = [anon_login(f"Prop {i}") for i in range(len(plan.positions))]
    ids = [str(login["user_id"]) for login in logins]
    https = [
        httpx.AsyncClient(base_url=postgrest, headers={"Authorization": f"Bearer {login['token']}"}, timeout=10.0)
        for login in logins
    ]
    agent = httpx.AsyncClient(base_url=postgrest, headers={"Authorization": f"Bearer {agent_token}"}, timeout=10.0)
    sockets: list[Socket] = []
    try:
        for i, login in enumerate(logins):
            sockets.append(await _open(bridge, login["token"], f"player {i}"))
        worker = await _open(bridge, agent_token, "agent_service")
        sockets.append(worker)

        if any(where is not None for where in plan.positions):
            room = f"bp-{uuid.uuid4().hex[:12]}"
            # Fast enough that no move of the plan is too fast (max_speed is tiles per second).
            owner_conn.execute(
                "INSERT INTO app.rooms (slug, name, tilemap_key, width_tiles, height_tiles,"
                " default_spawn_x, default_spawn_y, max_speed) VALUES (%s, 'Property room', 'town', 40, 30, 5, 5, 100)",
                (room,),
            )
            for http, where in zip(https, plan.positions, strict=True):
                if where is not None:
                    _ok(await http.post("/rpc/enter_room", json={"room_slug": room}))
                    _ok(await http.post("/rpc/move", json={"x": where[0], "y": where[1], "direction": "down"}))

        session_ids: list[str] = []
        for session in plan.sessions:
            if isinstance(session, AgentSession):
                body = {"agent_slug": session.agent}
                started = _ok(await https[session.user].post("/rpc/start_chat", json=body))
            else:
                body = {"other_user_id": ids[session.other]}
                started = _ok(await https[session.starter].post("/rpc/start_chat", json=body))
            session_ids.append(started["id"])

        for n, step in enumerate(plan.steps):
            long = isinstance(step, Send | Say) and step.long
            content = f"#{n} " + (LONG if long else "step")
            if isinstance(step, Send):
                sender = _sender(plan.sessions[step.session], step.first)
                body = {"session_id": session_ids[step.session], "content": content}
                if sender is None:
                    _ok(await agent.post("/rpc/post_agent_reply", json=body))
                else:
                    _ok(await https[sender].post("/rpc/send_message", json=body))
            elif isinstance(step, Say):
                _ok(await https[step.user].post("/rpc/say_nearby", json={"content": content}))
            else:
                move = {"x": step.x, "y": step.y, "direction": "left"}
                _ok(await https[step.user].post("/rpc/move", json=move))

        # The fence: the bridge relays notifications in commit order, so once this greeting, stored last,
        # reached player 0, every earlier message is in its recipients' send queues; a pong queued behind
        # them then tells that a socket has read all of its own.
        fence = _ok(await https[0].post("/rpc/start_chat", json={"agent_slug": FENCE_AGENT}))
        await sockets[0].expect("chat_message", where=lambda f: f["message"]["session_id"] == fence["id"])
        for sock in sockets:
            await sock.ping()

        for i, (sock, http) in enumerate(zip(sockets[:-1], https, strict=True)):
            readable = await _readable(http)
            assert sorted(_received(sock)) == sorted(readable), f"player {i}: received vs readable, in {plan}"
        agent_sessions = [sid for sid, s in zip(session_ids, plan.sessions, strict=True) if isinstance(s, AgentSession)]
        expected = (
            await _readable(agent, session_id=f"in.({','.join(agent_sessions)})", sender_type="eq.user")
            if agent_sessions
            else []
        )
        assert sorted(_received(worker)) == sorted(expected), f"agent_service: received vs sent by players, in {plan}"
    finally:
        await asyncio.gather(*(sock.ws.close() for sock in sockets), return_exceptions=True)
        await asyncio.gather(*(http.aclose() for http in [*https, agent]))


@settings(
    max_examples=10,
    deadline=None,
    database=None,
    phases=(Phase.explicit, Phase.generate),
)
@example(plan=EVERYTHING)
@given(plan=plans())
async def test_every_player_receives_exactly_what_they_can_read(
    plan: Plan,
    bridge: BridgeProcess,
    postgrest: str,
    anon_login: AnonLogin,
    agent_token: str,
    owner_conn: psycopg.Connection[Any],
) -> None:
    await _run(plan, bridge, postgrest, anon_login, agent_token, owner_conn)
