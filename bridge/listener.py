"""LISTEN on one dedicated connection, and keep it alive.

psycopg's ``notifies()`` raises when the connection dies, and nothing else would notice: so a
supervisor loop reconnects with exponential backoff (0.1 s doubling to 2 s), LISTENs again and then
tells the bridge, which resynchronizes every client, because notifications sent while nobody was
listening are gone. A keep-alive query runs whenever the connection has been quiet for a while,
so a TCP connection that died silently (no FIN, no RST) is noticed within seconds too.

The connection's application_name is ``ark-bridge-listener``, so an operator (or a test) can find
its backend in pg_stat_activity.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from .db import KEEPALIVES, answer_within

logger = logging.getLogger(__package__)

APPLICATION_NAME = "ark-bridge-listener"


class ListenerState(enum.Enum):
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"


@dataclass(frozen=True, slots=True)
class Notification:
    channel: str
    payload: str


class Listener:
    def __init__(
        self,
        conninfo: str,
        channels: Sequence[str],
        on_notification: Callable[[Notification], None],
        on_connected: Callable[[bool], None],
        *,
        keepalive_seconds: float = 10.0,
        keepalive_timeout: float = 5.0,
        backoff_initial: float = 0.1,
        backoff_max: float = 2.0,
    ) -> None:
        self._conninfo = conninfo
        self._channels = tuple(channels)
        self._on_notification = on_notification
        # Called after every successful LISTEN, with True the first time. It must not block: the
        # bridge starts its resync as a task and the pump below keeps delivering meanwhile.
        self._on_connected = on_connected
        self._keepalive_seconds = keepalive_seconds
        self._keepalive_timeout = keepalive_timeout
        self._backoff_initial = backoff_initial
        self._backoff_max = backoff_max
        self._state = ListenerState.RECONNECTING
        self._task: asyncio.Task[None] | None = None
        self.backend_pid: int | None = None
        self.reconnects = 0

    @property
    def state(self) -> ListenerState:
        return self._state

    def start(self) -> None:
        self._task = asyncio.create_task(self._supervise(), name="ark-bridge-listener")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self._state = ListenerState.RECONNECTING

    async def _supervise(self) -> None:
        delay = self._backoff_initial
        first = True
        while True:
            try:
                conn = await psycopg.AsyncConnection.connect(
                    self._conninfo,
                    autocommit=True,
                    application_name=APPLICATION_NAME,
                    connect_timeout=5,
                    **KEEPALIVES,
                )
            except psycopg.Error as exc:
                logger.warning("listener: cannot connect (%s); retrying in %.1f s", _reason(exc), delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self._backoff_max)
                continue

            try:
                for channel in self._channels:
                    await conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
                self.backend_pid = conn.info.backend_pid
                self._state = ListenerState.CONNECTED
                delay = self._backoff_initial
                logger.info(
                    "listener: connected (backend pid %s), listening on %s", self.backend_pid, ", ".join(self._channels)
                )
                try:
                    self._on_connected(first)
                except Exception:
                    logger.exception("listener: the resync callback failed")
                if not first:
                    self.reconnects += 1
                first = False
                await self._pump(conn)
            except (psycopg.Error, OSError) as exc:
                logger.warning("listener: connection lost (%s); reconnecting in %.1f s", _reason(exc), delay)
            finally:
                self._state = ListenerState.RECONNECTING
                self.backend_pid = None
                with contextlib.suppress(Exception):
                    await conn.close()
            await asyncio.sleep(delay)
            delay = min(delay * 2, self._backoff_max)

    async def _pump(self, conn: psycopg.AsyncConnection[Any]) -> None:
        """Deliver notifications until the connection fails; raises when it does."""
        while True:
            received = 0
            async for notify in conn.notifies(timeout=self._keepalive_seconds):
                received += 1
                try:
                    self._on_notification(Notification(notify.channel, notify.payload))
                except Exception:
                    logger.exception("listener: delivering a %s notification failed", notify.channel)
            if received == 0:
                # Quiet for keepalive_seconds: prove the connection is still alive. A server that does not
                # answer in time counts as gone (answer_within closes the connection and raises).
                await answer_within(conn, conn.execute("SELECT 1"), self._keepalive_timeout)


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
