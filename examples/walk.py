#!/usr/bin/env python3
"""Walk around the town from a terminal, and watch the other players do the same.

Run it in two terminals after `make up` to see two players see each other:

    python examples/walk.py --name Ada                 # arrow keys move, q quits
    python examples/walk.py --name Bob --script RRRRDDLLLLUU

It signs in anonymously through PostgREST (POST /rpc/login_anonymous), connects to the bridge, joins a room
and moves: with the arrow keys when it runs in a terminal, or along a scripted path (--script, or when
there is no TTY). It prints the other players' events as they happen.

Settings (environment): API_URL (http://127.0.0.1:3000), BRIDGE_URL (ws://127.0.0.1:8080/ws).
"""

from __future__ import annotations

import argparse
import asyncio
import curses
import json
import os
import sys
from collections.abc import Callable
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

STEPS = {"U": (0, -1, "up"), "D": (0, 1, "down"), "L": (-1, 0, "left"), "R": (1, 0, "right")}
KEYS = {curses.KEY_UP: "U", curses.KEY_DOWN: "D", curses.KEY_LEFT: "L", curses.KEY_RIGHT: "R"}


class Walker:
    def __init__(self, ws: ClientConnection, user_id: str, room: str, say: Callable[[str], None]) -> None:
        self.ws = ws
        self.user_id = user_id
        self.room = room
        self.say = say
        self.names: dict[str, str] = {}
        self.x = self.y = 0
        self.direction = "down"

    async def join(self) -> None:
        await self.ws.send(json.dumps({"type": "join", "room": self.room}))
        while True:
            frame = json.loads(await self.ws.recv())
            if frame["type"] == "presence_state":
                self.on_frame(frame)
                return
            if frame["type"] == "error":
                raise SystemExit(f"walk: cannot join {self.room}: {frame['message']}")

    async def step(self, key: str) -> None:
        dx, dy, direction = STEPS[key]
        self.x, self.y, self.direction = self.x + dx, self.y + dy, direction
        await self.ws.send(json.dumps({"type": "move", "x": self.x, "y": self.y, "direction": direction}))

    async def listen(self) -> None:
        async for text in self.ws:
            self.on_frame(json.loads(text))

    def name(self, user_id: str) -> str:
        return self.names.get(user_id, user_id[:8])

    def on_frame(self, frame: dict[str, Any]) -> None:
        kind = frame.get("type")
        if kind == "presence_state":
            others = []
            for player in frame["players"]:
                self.names[player["user_id"]] = player["display_name"]
                if player["user_id"] == self.user_id:
                    self.x, self.y, self.direction = player["x"], player["y"], player["direction"]
                else:
                    others.append(f"{player['display_name']} at ({player['x']}, {player['y']})")
            self.say(f"in {frame['room']} at ({self.x}, {self.y}); here: {', '.join(others) or 'nobody else'}")
        elif kind == "player_joined":
            player = frame["player"]
            self.names[player["user_id"]] = player["display_name"]
            if player["user_id"] != self.user_id:
                self.say(f"{player['display_name']} joined at ({player['x']}, {player['y']})")
        elif kind == "moves":
            for move in frame["moves"]:
                self.say(f"{self.name(move['user_id'])} moved to ({move['x']}, {move['y']}) facing {move['direction']}")
        elif kind == "player_left" and frame["user_id"] != self.user_id:
            self.say(f"{self.name(frame['user_id'])} left")
        elif kind == "player_status" and frame["user_id"] != self.user_id:
            self.say(f"{self.name(frame['user_id'])} is {frame['status']}")
        elif kind == "error":
            self.say(f"rejected: {frame.get('reason') or frame.get('code')}: {frame['message']}")
            if frame.get("code") == "invalid_move":
                asyncio.get_running_loop().create_task(self.rejoin_position())
        elif kind == "chat_message":
            message = frame["message"]
            self.say(f"[chat] {message['sender_name']}: {message['content']}")

    async def rejoin_position(self) -> None:
        # A rejected step leaves us where the server has us: ask for the room's state again.
        await self.ws.send(json.dumps({"type": "join", "room": self.room}))


def login(api_url: str, name: str, sprite: str) -> dict[str, Any]:
    response = httpx.post(
        f"{api_url}/rpc/login_anonymous", json={"display_name": name, "avatar_sprite": sprite}, timeout=10.0
    )
    if response.status_code != 200:
        raise SystemExit(f"walk: login failed: HTTP {response.status_code} {response.text}")
    body: dict[str, Any] = response.json()
    return body


async def walk_scripted(args: argparse.Namespace, session: dict[str, Any]) -> None:
    async with connect(f"{args.bridge}?token={session['token']}", compression=None) as ws:
        welcome = json.loads(await ws.recv())
        walker = Walker(ws, welcome["user_id"], args.room, lambda line: print(line, flush=True))
        await walker.join()
        listener = asyncio.create_task(walker.listen())
        loops = 0
        try:
            while args.loops == 0 or loops < args.loops:
                for key in args.script.upper():
                    if key in STEPS:
                        await walker.step(key)
                        await asyncio.sleep(1 / args.speed)
                loops += 1
            await asyncio.sleep(args.linger)
            await ws.send(json.dumps({"type": "leave"}))
            await asyncio.sleep(0.2)
        finally:
            listener.cancel()
    print("bye", flush=True)


async def walk_with_keys(screen: curses.window, args: argparse.Namespace, session: dict[str, Any]) -> None:
    curses.curs_set(0)
    screen.nodelay(True)
    screen.keypad(True)
    lines: list[str] = []

    def say(line: str) -> None:
        lines.append(line)
        del lines[: max(0, len(lines) - (curses.LINES - 2))]

    async with connect(f"{args.bridge}?token={session['token']}", compression=None) as ws:
        welcome = json.loads(await ws.recv())
        walker = Walker(ws, welcome["user_id"], args.room, say)
        await walker.join()
        listener = asyncio.create_task(walker.listen())
        try:
            while not listener.done():
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
            await ws.send(json.dumps({"type": "leave"}))
        finally:
            listener.cancel()


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
