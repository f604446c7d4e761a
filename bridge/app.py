"""Routes and lifespan: GET /ws (the socket), GET /health, POST /jitsi/events/... (bridge/jitsi.py), and
the startup and shutdown of the parts.

One lifespan context manager opens the connection pool, starts the listener, the move ticker, the
heartbeat, the sweep and the chat relay, and stops them all again in reverse order.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket

from . import protocol
from .auth import AuthError, Identity, revoked, verify_token
from .chat import ChatRelay
from .clients import Client
from .config import Settings
from .db import Database
from .hub import Hub
from .jitsi import JitsiEvents
from .limits import PerAddress, TokenBucket
from .listener import Listener, ListenerState, Notification
from .logs import LogLimiter, describe
from .protocol import Auth, Ping, ProtocolError, Resume, parse_frame

logger = logging.getLogger(__package__)

CHANNELS = ("presence", "token_revoked")
# How often every socket's token is checked against the revocations, in case a token_revoked
# notification was missed (it is sent while the listener reconnects, or while the socket authenticates).
REVOCATION_CHECK_SECONDS = 5.0
REVOKED_REASON = "the token has been revoked: sign in again"


class Bridge:
    """The parts of one bridge process, wired together."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        conninfo = str(settings.database_url)
        self.db = Database(conninfo, max_size=settings.pool_size, timeout=settings.db_timeout)
        self.hub = Hub(settings, self.db)
        self._log = LogLimiter(logger, settings.log_repeat_seconds)
        self._waiting = PerAddress(settings.handshakes_per_address)
        self.chat = ChatRelay(self.hub, self.db)
        self._revocation_task: asyncio.Task[None] | None = None
        self.listener = Listener(
            conninfo,
            CHANNELS,
            self._on_notification,
            self._on_listening,
            keepalive_seconds=settings.listener_keepalive,
            keepalive_timeout=min(5.0, settings.listener_keepalive),
        )

    def _on_notification(self, notification: Notification) -> None:
        if notification.channel == "presence":
            self.hub.on_presence(notification.payload)
        elif notification.channel == "token_revoked":
            self._on_token_revoked(notification.payload)

    def _on_token_revoked(self, payload: str) -> None:
        """Close, with 4401, every socket whose token the notification revokes: at once, no query."""
        try:
            notice = json.loads(payload)
        except ValueError:
            logger.warning("ignored a token_revoked notification that is not JSON")
            return
        for client in tuple(self.hub.clients):
            if not client.closed and client.identity.revoked_by(notice):
                logger.info("%r: the token has been revoked; closing it with 4401", client)
                client.kick(protocol.CLOSE_UNAUTHORIZED, REVOKED_REASON)

    async def check_revocations(self) -> None:
        """Close the sockets whose tokens have been revoked, asking the database (the backstop)."""
        clients = [client for client in self.hub.clients if not client.closed]
        if not clients:
            return
        for position in await revoked(self.db, [client.identity for client in clients]):
            if 0 <= position < len(clients) and not clients[position].closed:
                logger.info("%r: the token has been revoked; closing it with 4401", clients[position])
                clients[position].kick(protocol.CLOSE_UNAUTHORIZED, REVOKED_REASON)

    async def _check_revocations_every(self, seconds: float) -> None:
        while True:
            await asyncio.sleep(seconds)
            try:
                await self.check_revocations()
            except Exception as exc:
                self._log.warning("revocation check", "checking the sockets' tokens failed: %s", describe(exc))

    def _on_listening(self, first: bool) -> None:
        # Presence announced while nobody listened is lost: send every socket a fresh presence_state. (On
        # the first connection there is usually nobody yet, unless the database came up after the bridge.)
        # Chat needs nothing here: it is tailed from its table, not announced. Revocations announced
        # meanwhile are lost too: check every socket's token now rather than at the next round.
        self.hub.resync()
        if not first:
            self.hub.spawn(self._check_revocations_once(), "ark-bridge-revocations")

    async def _check_revocations_once(self) -> None:
        try:
            await self.check_revocations()
        except Exception as exc:
            self._log.warning("revocation check", "checking the sockets' tokens failed: %s", describe(exc))

    @asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        await self.db.open()
        self.hub.start()
        self.chat.start()
        self.listener.start()
        self._revocation_task = asyncio.create_task(
            self._check_revocations_every(REVOCATION_CHECK_SECONDS), name="ark-bridge-revocations"
        )
        logger.info(
            "bridge ready: tick %d ms, grace %.1f s, send queue %d",
            self.settings.tick_ms,
            self.settings.grace_seconds,
            self.settings.send_queue,
        )
        try:
            yield
        finally:
            if self._revocation_task is not None:
                self._revocation_task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._revocation_task
                self._revocation_task = None
            await self.listener.stop()
            await self.chat.stop()
            await self.hub.stop()
            await self.db.close()
            logger.info("bridge stopped")

    async def health(self, request: Request) -> JSONResponse:
        connected = self.listener.state is ListenerState.CONNECTED
        body = {
            "status": "ok" if connected else "degraded",
            "listener": self.listener.state.value,
            "clients": len(self.hub.clients),
        }
        return JSONResponse(body, status_code=200 if connected else 503)

    async def websocket(self, websocket: WebSocket) -> None:
        # A socket without ?token= waits up to BRIDGE_AUTH_TIMEOUT for its auth frame, holding a task
        # and a connection meanwhile: only so many may wait per address (the rest get HTTP 403).
        address = websocket.client.host if websocket.client is not None else "unknown"
        waits = "token" not in websocket.query_params
        if waits and not self._waiting.enter(address):
            self._log.warning(
                f"handshakes {address}", "refused a socket from %s: too many waiting to authenticate", address
            )
            await _close(websocket, protocol.CLOSE_TRY_AGAIN_LATER, "too many sockets waiting to authenticate")
            return
        try:
            await websocket.accept()
            identity = await self._authenticate(websocket)
        except Exception:
            logger.debug("a socket went away during its handshake", exc_info=True)
            return
        finally:
            if waits:
                self._waiting.leave(address)
        if identity is None:
            return
        client = self.hub.connect(websocket, identity)
        logger.debug("%r connected", client)
        frames = TokenBucket(self.settings.frames_per_second, self.settings.frame_burst)

        def welcome(cursor: int | None) -> None:
            client.push(protocol.welcome_frame(identity.user_id, identity.role, cursor))

        try:
            await self.chat.attach(client, welcome)
            self._resume_from_url(client, websocket.query_params.get("cursor"))
            while True:
                message = await websocket.receive()
                if message["type"] == "websocket.disconnect":
                    break
                if client.closed:
                    continue  # being closed by the server: read on until the close completes
                if not frames.take():
                    client.push(protocol.error_frame(protocol.RATE_LIMITED, "too many frames; slow down"))
                    continue
                text = message.get("text")
                if text is None:
                    client.push(protocol.error_frame(protocol.BAD_FRAME, "send JSON text frames, not binary"))
                    continue
                await self._on_frame(client, text)
        except Exception:
            # A socket that broke mid-receive; everything below cleans up the same way.
            logger.debug("%r: receive failed", client, exc_info=True)
        finally:
            await self.hub.disconnect(client)
            logger.debug("%r disconnected", client)

    def _resume_from_url(self, client: Client, cursor: str | None) -> None:
        """?cursor=N: resume before anything else, so even a slow first frame cannot let live chat go first."""
        if cursor is None:
            return
        if not cursor.isascii() or not cursor.isdigit() or len(cursor) > 19 or int(cursor) >= 2**63:
            client.push(
                protocol.error_frame(protocol.INVALID_FIELD, "cursor must be an integer >= 0, as the server sent it")
            )
            self.chat.stop_holding(client)
            return
        self.chat.resume(client, int(cursor), None)

    async def _authenticate(self, websocket: WebSocket) -> Identity | None:
        """The token from ?token= or from an auth frame within BRIDGE_AUTH_TIMEOUT; else close 4401."""
        token: str | None = websocket.query_params.get("token")
        if token is None:
            try:
                message = await asyncio.wait_for(websocket.receive(), self.settings.auth_timeout)
            except TimeoutError:
                await _close(websocket, protocol.CLOSE_UNAUTHORIZED, "authenticate first: no auth frame in time")
                return None
            if message["type"] == "websocket.disconnect":
                return None
            try:
                frame = parse_frame(message.get("text") or "")
            except ProtocolError:
                frame = None
            if not isinstance(frame, Auth):
                await _close(websocket, protocol.CLOSE_UNAUTHORIZED, "authenticate first: ?token= or an auth frame")
                return None
            token = frame.token
        try:
            identity = verify_token(token, str(self.settings.jwt_secret))
        except AuthError as exc:
            logger.info("refused a socket: %s", exc)
            await _close(websocket, protocol.CLOSE_UNAUTHORIZED, str(exc))
            return None
        try:
            is_revoked = bool(await revoked(self.db, [identity]))
        except Exception as exc:
            # Without the database the token cannot be checked, and the socket could do nothing anyway.
            self._log.warning("revocation check", "cannot check a socket's token: %s", describe(exc))
            await _close(websocket, protocol.CLOSE_TRY_AGAIN_LATER, "the server cannot check the token now; try again")
            return None
        if is_revoked:
            logger.info("refused a socket: its token has been revoked")
            await _close(websocket, protocol.CLOSE_UNAUTHORIZED, REVOKED_REASON)
            return None
        return identity

    async def _on_frame(self, client: Client, text: str) -> None:
        try:
            frame = parse_frame(text)
        except ProtocolError as exc:
            client.push(protocol.error_frame(exc.code, exc.message, **exc.extra))
            return
        if not isinstance(frame, Resume):
            self.chat.stop_holding(client)
        try:
            if isinstance(frame, Ping):
                client.push(protocol.PONG)
            elif isinstance(frame, Resume):
                self.chat.resume(client, frame.cursor, frame.after_message_id)
            elif isinstance(frame, Auth):
                client.push(protocol.error_frame(protocol.BAD_FRAME, "this socket is already authenticated"))
            else:
                await self.hub.handle(client, frame)
        except Exception as exc:
            # Never let one frame end the connection, let alone the server; nor flood the log.
            kind = type(frame).__name__.lower()
            self._log.log(
                logging.ERROR,
                f"{kind} {type(exc).__name__}",
                "%r: handling a %s frame failed: %s",
                client,
                kind,
                describe(exc),
                traceback=exc,
            )
            client.push(protocol.error_frame(protocol.UNAVAILABLE, "the frame could not be handled; try again"))


async def _close(websocket: WebSocket, code: int, reason: str) -> None:
    try:
        await websocket.close(code, reason[:120])
    except Exception:
        logger.debug("closing a socket failed", exc_info=True)


def create_app(settings: Settings) -> Starlette:
    bridge = Bridge(settings)
    app = Starlette(
        routes=[
            Route("/health", bridge.health),
            WebSocketRoute("/ws", bridge.websocket),
            # Jitsi's event_sync, with api_prefix = <bridge>/jitsi (bridge/jitsi.py).
            Route(
                "/jitsi/events/{event:path}",
                JitsiEvents(
                    bridge.db, str(settings.jwt_secret), LogLimiter(logger, settings.log_repeat_seconds)
                ).handle,
                methods=["POST"],
            ),
        ],
        lifespan=bridge.lifespan,
    )
    app.state.bridge = bridge
    return app
