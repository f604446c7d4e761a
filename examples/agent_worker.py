#!/usr/bin/env python3
"""An example AI-agent worker: answers every user message in an agent session, live, through the bridge.

It connects to the bridge as agent_service, so it receives every message that a user sends into an agent
session (no polling), and answers each one with POST /rpc/post_agent_reply. That covers the agents of every
world: the installation's and those a world's owner created or imported (issue 13). Each answer uses the
agent's active prompt, read afresh for every reply (GET /agent_prompts?agent_id=eq.…&is_active=is.true), so
a prompt published or rolled back while the worker runs is used for the next reply, without a restart. The
answer here is a template built from the agent's greeting and prompt; a real worker calls its language model
at that point, with the prompt as its system message (see `compose_reply`).

It reconnects by itself with backoff, and after every (re)connect sends {"type":"resume","cursor":N} with
the cursor of the last frame it received, so nothing sent while it or the bridge was down goes unanswered,
and nothing is answered twice. With --state the cursor survives a restart of the worker too; and at start
it answers what users sent while no worker ran (GET /agent_inbox), so a fresh worker leaves nobody waiting.

    AGENT_TOKEN=… python examples/agent_worker.py      # or a token in .data/agent_service.token (make up)

Settings (environment): AGENT_TOKEN, BRIDGE_URL (ws://127.0.0.1:8080/ws), API_URL (http://127.0.0.1:3000).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import random
import sys
from collections import deque
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

logger = logging.getLogger("agent_worker")

REPO_ROOT = Path(__file__).resolve().parents[1]
TOKEN_FILE = REPO_ROOT / ".data" / "agent_service.token"
BACKOFF_INITIAL = 0.5
BACKOFF_MAX = 10.0


class TokenRejected(Exception):
    """The bridge closed the socket with 4401: retrying with the same token is pointless."""


class Worker:
    def __init__(self, token: str, bridge_url: str, api_url: str, state_file: Path | None = None) -> None:
        self.token = token
        self.bridge_url = bridge_url
        self.state_file = state_file
        self.http = httpx.AsyncClient(
            base_url=api_url, headers={"Authorization": f"Bearer {token}"}, timeout=httpx.Timeout(30.0)
        )
        # The stream cursor of the last frame received: the next resume starts after it.
        self.cursor: int | None = None
        self._answered: deque[int] = deque(maxlen=4096)
        # Display data by agent id (agent slugs are unique only within a world); the prompt is never cached.
        self._agents: dict[str, dict[str, Any]] = {}
        self._session_agent: dict[str, str] = {}
        self._catching_up: asyncio.Task[None] | None = None
        self.replies = 0

    async def close(self) -> None:
        await self.http.aclose()

    # Where to start

    def saved_cursor(self) -> int | None:
        """The state file's cursor, if there is one: a worker restarted with it misses nothing."""
        if self.state_file is not None and self.state_file.exists():
            text = self.state_file.read_text().strip()
            return int(text) if text else None
        return None

    def _advance(self, cursor: int) -> None:
        self.cursor = cursor
        if self.state_file is not None:
            self.state_file.write_text(f"{cursor}\n")

    # The connection

    async def run_forever(self) -> None:
        delay = BACKOFF_INITIAL
        while True:
            try:
                if self.cursor is None:
                    self.cursor = self.saved_cursor()
                await self.run_once()
                delay = BACKOFF_INITIAL
            except TokenRejected:
                raise
            except (OSError, ConnectionClosed, InvalidStatus, TimeoutError, httpx.HTTPError) as exc:
                logger.warning("connection lost (%s); reconnecting in %.1f s", type(exc).__name__, delay)
            await asyncio.sleep(delay * random.uniform(0.8, 1.2))
            delay = min(delay * 2, BACKOFF_MAX)

    async def run_once(self) -> None:
        # The token goes in the first frame rather than the URL, so it never sits in a proxy's access log.
        async with connect(self.bridge_url, open_timeout=10, close_timeout=2, compression=None) as ws:
            await ws.send(json.dumps({"type": "auth", "token": self.token}))
            welcome = await self._recv(ws)
            if welcome.get("type") != "welcome" or welcome.get("role") != "agent_service":
                raise TokenRejected(f"unexpected first frame: {welcome.get('type')}")
            if self.cursor is None:
                # A fresh worker answers from now on: the stream's head when it connected.
                self.cursor = welcome.get("cursor")
            if self.cursor is not None:
                # The first frame, so the replay comes before any live message.
                await ws.send(json.dumps({"type": "resume", "cursor": self.cursor}))
            logger.info("connected to %s; resuming after cursor %s", self.bridge_url, self.cursor)
            if self._catching_up is None:
                # Once per process, beside the socket (which keeps being read): what came before the cursor
                # and was never answered.
                self._catching_up = asyncio.create_task(self.catch_up(), name="catch-up")
            while True:
                frame = await self._recv(ws)
                kind = frame.get("type")
                if kind == "chat_message":
                    await self.handle(frame["message"])
                    self._advance(int(frame["cursor"]))
                elif kind == "resumed":
                    self._advance(int(frame["cursor"]))
                    logger.info("caught up (cursor %s)", self.cursor)
                elif kind == "error":
                    logger.warning("bridge error %s: %s", frame.get("code"), frame.get("message"))

    async def _recv(self, ws: ClientConnection) -> dict[str, Any]:
        try:
            text = await ws.recv()
        except ConnectionClosed as exc:
            if exc.rcvd is not None and exc.rcvd.code == 4401:
                raise TokenRejected(exc.rcvd.reason) from None
            raise
        frame: dict[str, Any] = json.loads(text)
        return frame

    # Answering

    async def handle(self, message: dict[str, Any]) -> None:
        message_id = int(message["id"])
        if message_id in self._answered or message.get("sender_type") != "user" or message.get("type") != "agent":
            return
        # Claimed before the first await: the inbox catch-up and the socket may offer the same message.
        self._answered.append(message_id)
        try:
            agent = await self.agent_of(str(message["session_id"]))
            prompt = await self.active_prompt(str(agent.get("id") or ""))
            reply = compose_reply(agent, prompt, str(message.get("sender_name") or "there"), str(message["content"]))
            await self.post_reply(str(message["session_id"]), reply)
        except BaseException:
            self._answered.remove(message_id)
            raise
        self.replies += 1
        logger.info(
            "answered message %s in session %s as %s (prompt version %s)",
            message_id,
            message["session_id"],
            agent.get("slug"),
            prompt.get("version"),
        )

    async def catch_up(self) -> None:
        """Answer what users sent while no worker ran (GET /agent_inbox), oldest first."""
        try:
            response = await self.http.get("/agent_inbox", params={"order": "id"})
            response.raise_for_status()
            unanswered = response.json()
            for message in unanswered:
                await self.handle({**message, "type": "agent", "sender_type": "user"})
        except httpx.HTTPError as exc:
            # The next process start tries again; the socket goes on meanwhile.
            logger.warning("catching up on unanswered messages failed: %s", type(exc).__name__)
            return
        logger.info("caught up on %d unanswered messages", len(unanswered))

    async def agent_of(self, session_id: str) -> dict[str, Any]:
        agent_id = self._session_agent.get(session_id)
        if agent_id is None:
            response = await self.http.get("/chat_sessions", params={"id": f"eq.{session_id}", "select": "agent_id"})
            response.raise_for_status()
            rows = response.json()
            agent_id = str(rows[0]["agent_id"]) if rows else ""
            self._session_agent[session_id] = agent_id
        if agent_id not in self._agents:
            agents: list[dict[str, Any]] = []
            if agent_id:
                # agent_service reads every active agent, in every world.
                response = await self.http.get("/agents", params={"id": f"eq.{agent_id}"})
                response.raise_for_status()
                agents = response.json()
            self._agents[agent_id] = (
                agents[0] if agents else {"id": agent_id, "slug": "", "name": "Agent", "greeting": ""}
            )
        return self._agents[agent_id]

    async def active_prompt(self, agent_id: str) -> dict[str, Any]:
        """The agent's active prompt version, read for every reply: a new one is used at once."""
        if not agent_id:
            return {}
        response = await self.http.get(
            "/agent_prompts",
            params={"agent_id": f"eq.{agent_id}", "is_active": "is.true", "select": "version,system_prompt"},
        )
        response.raise_for_status()
        rows = response.json()
        return dict(rows[0]) if rows else {}

    async def post_reply(self, session_id: str, content: str) -> None:
        delay = BACKOFF_INITIAL
        for attempt in range(5):
            try:
                response = await self.http.post(
                    "/rpc/post_agent_reply", json={"session_id": session_id, "content": content}
                )
            except httpx.TransportError as exc:
                logger.warning("post_agent_reply: %s; retrying", type(exc).__name__)
            else:
                if response.status_code < 500 and response.status_code != 429:
                    response.raise_for_status()
                    return
                logger.warning("post_agent_reply: HTTP %s; retrying", response.status_code)
            if attempt < 4:
                await asyncio.sleep(delay)
                delay = min(delay * 2, BACKOFF_MAX)
        raise httpx.HTTPError("post_agent_reply kept failing")


def compose_reply(agent: dict[str, Any], prompt: dict[str, Any], user_name: str, content: str) -> str:
    """The answer. An example template; a real worker asks its language model here, with
    prompt["system_prompt"] as the system message."""
    snippet = " ".join(content.split())
    if len(snippet) > 200:
        snippet = snippet[:199] + "…"
    name = agent.get("name") or "Agent"
    greeting = agent.get("greeting") or f"Hi, I'm {name}."
    instructions = " ".join(str(prompt.get("system_prompt") or "").split())
    if len(instructions) > 120:
        instructions = instructions[:119] + "…"
    return (
        f"{greeting}\n\n{user_name}, you said: “{snippet}”. ({name} is an example worker: it echoes.)"
        f"\n[prompt v{prompt.get('version', '?')}: {instructions}]"
    )


def read_token() -> str:
    token = os.environ.get("AGENT_TOKEN", "").strip()
    if not token and TOKEN_FILE.exists():
        token = TOKEN_FILE.read_text().strip()
    if not token:
        sys.exit(f"agent_worker: set AGENT_TOKEN or write a token to {TOKEN_FILE} (make up does)")
    return token


async def main_async(args: argparse.Namespace) -> int:
    worker = Worker(read_token(), args.bridge, args.api, Path(args.state) if args.state else None)
    try:
        await worker.run_forever()
    except TokenRejected as exc:
        logger.error("the bridge refused the token (%s): issue a new one", exc)
        return 1
    finally:
        await worker.close()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--bridge", default=os.environ.get("BRIDGE_URL", "ws://127.0.0.1:8080/ws"))
    parser.add_argument("--api", default=os.environ.get("API_URL", "http://127.0.0.1:3000"))
    parser.add_argument("--state", help="file that keeps the stream cursor across restarts")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # httpx logs every request URL at INFO; quiet, like the token it never logs anyway.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        return asyncio.run(main_async(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
