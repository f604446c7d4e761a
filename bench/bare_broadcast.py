"""The presence benchmark's ceiling: a bare Starlette/uvicorn WebSocket broadcast server, no database.

It speaks just enough of the bridge's protocol for bench/ws_load.py: ``?token=`` (verified with
PyJWT, as the bridge does), ``welcome``, ``join`` (answered with a ``presence_state`` holding only the
joiner, at the agent rooms' spawn point) and ``move``. Moves are buffered and fanned out per room by
the same ticker as bridge/hub.py (a lone move at once; under load at most one batch per tick), and
each room's ``moves`` frame is encoded once and the same text queued to every member, through a
bounded queue and a writer task per socket as in bridge/clients.py. uvicorn runs with the bridge's
settings (bridge/__main__.py): websockets-sansio, no permessage-deflate, 16 KiB frames, no access log.

What it leaves out is what the bridge adds: SQL validation and storage (realtime.apply_moves),
NOTIFY and the listener, and trimming each mover's own move out of the frame it gets.

    BARE_PORT=8090 JWT_SECRET=... python bench/bare_broadcast.py
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import jwt
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket

TICK = 0.050
QUEUE = 256
MAX_FRAME_BYTES = 16 * 1024
SPAWN = (10, 12)


def encode(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class Client:
    def __init__(self, websocket: WebSocket, user_id: str) -> None:
        self.websocket = websocket
        self.user_id = user_id
        self.room: str | None = None
        self.closed = False
        self._queue: asyncio.Queue[str] = asyncio.Queue(QUEUE)
        self._writer = asyncio.create_task(self._write())

    def push(self, text: str) -> None:
        if self.closed:
            return
        try:
            self._queue.put_nowait(text)
        except asyncio.QueueFull:
            self.closed = True
            self._writer.cancel()
            asyncio.create_task(self.websocket.close(1013, "too slow"))

    async def _write(self) -> None:
        try:
            while True:
                await self.websocket.send_text(await self._queue.get())
        except asyncio.CancelledError:
            raise
        except Exception:
            self.closed = True

    async def finish(self) -> None:
        self.closed = True
        self._writer.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self._writer


class Broadcast:
    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.rooms: dict[str, set[Client]] = {}
        self.moves: dict[str, list[dict[str, Any]]] = {}
        self.ready = asyncio.Event()
        self.ticks = 0

    async def ticker(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self.ready.wait()
            started = loop.time()
            batch, self.moves = self.moves, {}
            self.ready.clear()
            for room, moves in batch.items():
                text = encode({"type": "moves", "room": room, "moves": moves})
                for client in tuple(self.rooms.get(room, ())):
                    client.push(text)
            self.ticks += 1
            await asyncio.sleep(max(0.0, started + TICK - loop.time()))

    @asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        task = asyncio.create_task(self.ticker())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def health(self, request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", "clients": sum(len(m) for m in self.rooms.values())})

    async def websocket(self, websocket: WebSocket) -> None:
        await websocket.accept()
        try:
            claims = jwt.decode(websocket.query_params.get("token", ""), self.secret, algorithms=["HS256"])
        except jwt.InvalidTokenError:
            await websocket.close(4401, "bad token")
            return
        user_id = str(claims["sub"])
        client = Client(websocket, user_id)
        client.push(encode({"type": "welcome", "user_id": user_id, "role": "player"}))
        try:
            while True:
                message = await websocket.receive()
                if message["type"] == "websocket.disconnect":
                    break
                text = message.get("text")
                try:
                    frame = json.loads(text) if text else None
                except ValueError:
                    frame = None
                if not isinstance(frame, dict):
                    client.push(encode({"type": "error", "code": "bad_json", "message": "not JSON"}))
                    continue
                kind = frame.get("type")
                if kind == "move" and client.room is not None:
                    move = {"user_id": user_id, "x": frame["x"], "y": frame["y"], "direction": frame["direction"]}
                    self.moves.setdefault(client.room, []).append(move)
                    self.ready.set()
                elif kind == "join" and isinstance(frame.get("room"), str):
                    room = frame["room"]
                    if client.room is not None:
                        self.rooms[client.room].discard(client)
                    client.room = room
                    self.rooms.setdefault(room, set()).add(client)
                    me = {"user_id": user_id, "x": SPAWN[0], "y": SPAWN[1], "direction": "up", "status": "online"}
                    client.push(encode({"type": "presence_state", "room": room, "players": [me]}))
                elif kind == "ping":
                    client.push('{"type":"pong"}')
        except Exception:
            pass
        finally:
            if client.room is not None:
                self.rooms.get(client.room, set()).discard(client)
            await client.finish()


def main() -> int:
    secret = os.environ.get("JWT_SECRET", "")
    if len(secret) < 32:
        print("bare_broadcast: JWT_SECRET (32+ characters) is required", file=sys.stderr)
        return 2
    port = int(os.environ.get("BARE_PORT", "8090"))
    bare = Broadcast(secret)
    app = Starlette(
        routes=[Route("/health", bare.health), WebSocketRoute("/ws", bare.websocket)],
        lifespan=bare.lifespan,
    )
    # The same uvicorn settings as bridge/__main__.py.
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=port,
        ws="websockets-sansio",
        ws_max_size=MAX_FRAME_BYTES,
        ws_per_message_deflate=False,
        access_log=False,
        log_level="warning",
        server_header=False,
        proxy_headers=False,
        lifespan="on",
        timeout_graceful_shutdown=5,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
