#!/usr/bin/env python3
"""Walk around the town from a terminal, and watch the other players do the same.

Run it in two terminals after `make up` to see two players see each other:

    python examples/walk.py --name Ada                 # arrow keys move, q quits
    python examples/walk.py --name Bob --script RRRRDDLLLLUU

It signs in anonymously through PostgREST (POST /rpc/login_anonymous), connects to the bridge, joins a room
and moves: with the arrow keys when it runs in a terminal, or along a scripted path (--script, or when
there is no TTY). Whenever the connection drops (a bridge restart, a crash, the network) it reconnects with
backoff, resumes chat and joins the room again. It prints the other players' events as they happen.

Settings (environment): API_URL (http://127.0.0.1:3000), BRIDGE_URL (ws://127.0.0.1:8080/ws).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import curses
import json
import os
import random
import sys
from collections.abc import Callable
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

STEPS = {"U": (0, -1, "up"), "D": (0, 1, "down"), "L": (-1, 0, "left"), "R": (1, 0, "right")}
KEYS = {curses.KEY_UP: "U", curses.KEY_DOWN: "D", curses.KEY_LEFT: "L", curses.KEY_RIGHT: "R"}
# Reconnect delays: the first, doubling up to the second.
BACKOFF = (0.5, 10.0)


class Walker:
    """The player's view: where it stands, who is around, and the steps it takes over its Link."""

    def __init__(self, link: Link, say: Callable[[str], None]) -> None:
        self.link = link
        self.say = say
        self.names: dict[str, str] = {}
        self.x = self.y = 0
        self.direction = "down"

    async def step(self, key: str) -> None:
        dx, dy, direction = STEPS[key]
        self.x, self.y, self.direction = self.x + dx, self.y + dy, direction
        await self.link.send({"type": "move", "x": self.x, "y": self.y, "direction": direction})

    def name(self, user_id: str) -> str:
        return self.names.get(user_id, user_id[:8])

    def on_frame(self, frame: dict[str, Any]) -> None:
        kind = frame.get("type")
        if kind == "presence_state":
            others = []
            for player in frame["players"]:
                self.names[player["user_id"]] = player["display_name"]
                if player["user_id"] == self.link.user_id:
                    self.x, self.y, self.direction = player["x"], player["y"], player["direction"]
                else:
                    others.append(f"{player['display_name']} at ({player['x']}, {player['y']})")
            self.say(f"in {frame['room']} at ({self.x}, {self.y}); here: {', '.join(others) or 'nobody else'}")
        elif kind == "player_joined":
            player = frame["player"]
            self.names[player["user_id"]] = player["display_name"]
            if player["user_id"] != self.link.user_id:
                self.say(f"{player['display_name']} joined at ({player['x']}, {player['y']})")
        elif kind == "moves":
            for move in frame["moves"]:
                self.say(f"{self.name(move['user_id'])} moved to ({move['x']}, {move['y']}) facing {move['direction']}")
        elif kind == "player_left" and frame["user_id"] != self.link.user_id:
            self.say(f"{self.name(frame['user_id'])} left")
        elif kind == "player_status" and frame["user_id"] != self.link.user_id:
            self.say(f"{self.name(frame['user_id'])} is {frame['status']}")
        elif kind == "error":
            self.say(f"rejected: {frame.get('reason') or frame.get('code')}: {frame['message']}")
            if frame.get("code") == "invalid_move":
                # A rejected step leaves us where the server has us: ask for the room's state again.
                asyncio.get_running_loop().create_task(self.link.send({"type": "join", "room": self.link.room}))
        elif kind == "chat_message":
            message = frame["message"]
            self.say(f"[chat] {message['sender_name']}: {message['content']}")


class Link:
    """The socket to the bridge, kept open: it reconnects with backoff whenever the connection drops (a
    bridge restart closes with 1012, a crash with no close at all), and after every connect resumes chat
    with the cursor of the last frame received (its first frame, as the README says) and joins the room
    again, which puts the player back where the server has them."""

    def __init__(self, url: str, token: str, room: str, say: Callable[[str], None]) -> None:
        self.url = url
        self.token = token
        self.room = room
        self.say = say
        self.user_id = ""
        self.cursor: int | None = None
        self.on_frame: Callable[[dict[str, Any]], None] = lambda frame: None
        self.joined = asyncio.Event()
        self._ws: ClientConnection | None = None

    async def send(self, frame: dict[str, Any]) -> None:
        """Send now, or drop the frame while reconnecting: a step taken offline is not replayed."""
        if self._ws is not None and self.joined.is_set():
            with contextlib.suppress(ConnectionClosed):
                await self._ws.send(json.dumps(frame))

    async def run(self) -> None:
        delay = BACKOFF[0]
        while True:
            try:
                await self._session()
                return  # closed by us
            except ConnectionClosed as exc:
                if exc.rcvd is not None and exc.rcvd.code == 4401:
                    raise SystemExit(f"walk: the bridge refused the token: {exc.rcvd.reason}") from None
                reason = f"closed with {exc.rcvd.code}" if exc.rcvd is not None else "dropped"
            except (OSError, InvalidHandshake, TimeoutError) as exc:
                reason = type(exc).__name__
            self.joined.clear()
            self._ws = None
            self.say(f"connection {reason}; reconnecting in {delay:.1f} s")
            await asyncio.sleep(delay * random.uniform(0.8, 1.2))
            delay = min(delay * 2, BACKOFF[1])

    async def _session(self) -> None:
        async with connect(f"{self.url}?token={self.token}", compression=None, open_timeout=10) as ws:
            welcome = json.loads(await ws.recv())
            self.user_id = welcome["user_id"]
            if self.cursor is None:
                self.cursor = welcome.get("cursor")
            if self.cursor is not None:
                await ws.send(json.dumps({"type": "resume", "cursor": self.cursor}))
            await ws.send(json.dumps({"type": "join", "room": self.room}))
            self._ws = ws
            async for text in ws:
                frame = json.loads(text)
                if isinstance(frame.get("cursor"), int) and frame.get("type") in ("chat_message", "resumed"):
                    self.cursor = frame["cursor"]
                if frame.get("type") == "presence_state" and frame.get("room") == self.room:
                    self.joined.set()
                elif frame.get("type") == "error" and frame.get("code") == "unknown_room":
                    raise SystemExit(f"walk: cannot join {self.room}: {frame['message']}")
                self.on_frame(frame)

    async def leave(self) -> None:
        if self._ws is not None:
            with contextlib.suppress(ConnectionClosed):
                await self._ws.send(json.dumps({"type": "leave"}))
                await asyncio.sleep(0.2)
                await self._ws.close()


def login(api_url: str, name: str, sprite: str) -> dict[str, Any]:
    response = httpx.post(
        f"{api_url}/rpc/login_anonymous", json={"display_name": name, "avatar_sprite": sprite}, timeout=10.0
    )
    if response.status_code != 200:
        raise SystemExit(f"walk: login failed: HTTP {response.status_code} {response.text}")
    body: dict[str, Any] = response.json()
    return body


async def walk_scripted(args: argparse.Namespace, session: dict[str, Any]) -> None:
    link = Link(args.bridge, session["token"], args.room, lambda line: print(line, flush=True))
    walker = Walker(link, link.say)
    link.on_frame = walker.on_frame
    connection = asyncio.create_task(link.run())
    loops = 0
    try:
        while args.loops == 0 or loops < args.loops:
            for key in args.script.upper():
                if key in STEPS:
                    await wait_joined(link, connection)
                    await walker.step(key)
                    await asyncio.sleep(1 / args.speed)
            loops += 1
        await asyncio.sleep(args.linger)
        await link.leave()
    finally:
        connection.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await connection
    print("bye", flush=True)


async def wait_joined(link: Link, connection: asyncio.Task[None]) -> None:
    """Until the player is in the room again; the connection task's own failure ends the walk."""
    joined = asyncio.ensure_future(link.joined.wait())
    await asyncio.wait({joined, connection}, return_when=asyncio.FIRST_COMPLETED)
    if connection.done():
        joined.cancel()
        connection.result()  # raises SystemExit with its reason
        raise SystemExit("walk: the connection ended")


async def walk_with_keys(screen: curses.window, args: argparse.Namespace, session: dict[str, Any]) -> None:
    curses.curs_set(0)
    screen.nodelay(True)
    screen.keypad(True)
    lines: list[str] = []

    def say(line: str) -> None:
        lines.append(line)
        del lines[: max(0, len(lines) - (curses.LINES - 2))]

    link = Link(args.bridge, session["token"], args.room, say)
    walker = Walker(link, say)
    link.on_frame = walker.on_frame
    connection = asyncio.create_task(link.run())
    try:
        while not connection.done():
            key = screen.getch()
            if key in (ord("q"), ord("Q"), 27):
                break
            if key in KEYS:
                await walker.step(KEYS[key])
            screen.erase()
            status = f" {args.name} in {args.room} at ({walker.x}, {walker.y}) facing {walker.direction}"
            screen.addnstr(0, 0, status + " | arrows move, q quits", curses.COLS - 1, curses.A_REVERSE)
            for row, line in enumerate(lines, start=2):
                screen.addnstr(row, 0, line, curses.COLS - 1)
            screen.refresh()
            await asyncio.sleep(0.03)
        await link.leave()
    finally:
        connection.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await connection


def main() -> int:
    parser = argparse.ArgumentParser(description="Walk around the town in a terminal.")
    parser.add_argument("--name", default=f"Walker {os.getpid() % 1000}")
    parser.add_argument("--sprite", default="brendan")
    parser.add_argument("--room", default="town")
    parser.add_argument("--script", help="a path of U/D/L/R steps, e.g. RRRRDDLLLLUU (default with no TTY)")
    parser.add_argument("--loops", type=int, default=0, help="walk the script this many times (0: forever)")
    parser.add_argument("--speed", type=float, default=4.0, help="scripted steps per second (the room allows 10)")
    parser.add_argument("--linger", type=float, default=0.0, help="seconds to stay after the last loop")
    parser.add_argument("--api", default=os.environ.get("API_URL", "http://127.0.0.1:3000"))
    parser.add_argument("--bridge", default=os.environ.get("BRIDGE_URL", "ws://127.0.0.1:8080/ws"))
    args = parser.parse_args()

    session = login(args.api, args.name, args.sprite)
    interactive = args.script is None and sys.stdin.isatty() and sys.stdout.isatty()
    try:
        if interactive:
            curses.wrapper(lambda screen: asyncio.run(walk_with_keys(screen, args, session)))
        else:
            args.script = args.script or "RRRRDDDDLLLLUUUU"
            asyncio.run(walk_scripted(args, session))
    except KeyboardInterrupt:
        return 130
    except (OSError, ConnectionClosed) as exc:
        print(f"walk: connection failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
