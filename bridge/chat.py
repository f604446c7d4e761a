"""Chat: deliver each stored message to its audience's sockets, and replay what a socket missed.

The database decides who hears a message, in the transaction that stores it, and announces it on
NOTIFY channel ``chat``::

    {"message_id": 42, "audience": [user ids], "agent_service": true, "message": {...} | null}

The bridge asks nobody whether a socket may read it: every open socket of each audience user gets
``{"type":"chat_message","message":{...}}``, and so does every agent_service socket when
agent_service is true. A message too long for NOTIFY comes as ``"message": null`` and is read with
realtime.chat_message; a long audience comes in several notifications with the same id.

Resume: ``{"type":"resume","after_message_id":N}`` replays, page by page and in id order, every
message after N that the socket's user may read (realtime.messages_after, or agent_messages_after
for agent_service), then answers ``{"type":"resumed","last_message_id":M}``. Live messages that
arrive meanwhile wait and follow the replay; every socket remembers the ids it was given, so nothing
arrives twice. After the listener reconnects, the bridge replays the same way for every socket,
from its cursor, because notifications sent while nobody listened are lost. A socket's cursor starts
at the newest message id when it authenticates (realtime.last_message_id), and moves up with every
message delivered or resumed: an outage before a socket's first message replays exactly what it
missed since it connected, and never the user's whole history.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging

import psycopg

from . import protocol
from .clients import Client
from .db import Database, sql_error
from .hub import Hub

logger = logging.getLogger(__package__)

# Messages per realtime.messages_after call (the function caps it at 1000).
PAGE_SIZE = 500
# Live messages a socket may have waiting behind a replay before it counts as too slow.
MAX_PENDING = 4096


class ChatRelay:
    def __init__(self, hub: Hub, db: Database) -> None:
        self.hub = hub
        self.db = db
        # Notifications are handled one at a time, in the order the database sent them, so a long
        # message that has to be read does not let later ones overtake it.
        self._inbox: asyncio.Queue[str] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        # The highest message id this process has seen announced: where a new socket's cursor starts
        # if the newest id cannot be read from the database.
        self.high_water = 0
        # How many times the listener (re)connected: a socket whose cursor was being read meanwhile
        # missed the resync, and gets its replay once its cursor is known.
        self.resyncs = 0
        self.delivered = 0

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="ark-bridge-chat")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def attach(self, client: Client) -> None:
        """A new socket, already with the hub (it hears live messages): its cursor starts at the newest id.

        The id is read after the socket joined the hub, so every message committed after the read is
        announced to it live, or replayed from the cursor if the listener drops on the way.
        """
        resyncs = self.resyncs
        try:
            newest = await self.db.last_message_id()
        except psycopg.Error as exc:
            # Second best: the newest id this process has seen. With none, the socket has no replay
            # start until its first message or resume; a resync skips it, its own resume covers it.
            logger.warning("chat: realtime.last_message_id failed (%s) for %r", type(exc).__name__, client)
            if not self.high_water:
                return
            newest = self.high_water
        client.chat.advance(newest)
        if self.resyncs != resyncs and not client.closed:
            # The listener reconnected while the id was read, and its resync had no start for this socket.
            self._replay_from([(client, newest)])

    def on_notification(self, payload: str) -> None:
        self._inbox.put_nowait(payload)

    async def _run(self) -> None:
        while True:
            payload = await self._inbox.get()
            try:
                await self._deliver(payload)
            except Exception:
                logger.exception("chat: delivering a notification failed")

    async def _deliver(self, payload: str) -> None:
        try:
            note = json.loads(payload)
            message_id = int(note["message_id"])
            audience = note.get("audience") or []
            message = note.get("message")
        except (ValueError, TypeError, KeyError):
            logger.warning("chat: ignoring a notification without a message_id")
            return
        self.high_water = max(self.high_water, message_id)

        recipients: list[Client] = []
        for user_id in audience:
            if isinstance(user_id, str):
                recipients.extend(self.hub.users.get(user_id, ()))
        if note.get("agent_service") is True:
            recipients.extend(self.hub.agents)
        if not recipients:
            return

        text = protocol.encode(message) if isinstance(message, dict) else await self._read(message_id)
        if text is None:
            return
        frame = protocol.chat_frame(text)
        for client in recipients:
            self._offer(client, message_id, frame)

    async def _read(self, message_id: int) -> str | None:
        """A message too long for NOTIFY: read its row (once, however many sockets get it)."""
        try:
            return await self.db.chat_message(message_id)
        except psycopg.Error as exc:
            # The recipients' next resume (or the next listener resync) brings it.
            logger.warning("chat: reading message %s failed (%s)", message_id, type(exc).__name__)
            return None

    def _offer(self, client: Client, message_id: int, frame: str) -> None:
        cursor = client.chat
        if cursor.replaying:
            cursor.pending.append((message_id, frame))
            if len(cursor.pending) > MAX_PENDING:
                client.kick(protocol.CLOSE_TRY_AGAIN_LATER, "too slow: the send queue overflowed")
            return
        if cursor.seen(message_id):
            return
        cursor.remember(message_id)
        client.push(frame)
        self.delivered += 1

    async def resume(self, client: Client, after_id: int) -> None:
        """The resume frame: replay everything after after_id, then say where the socket is now."""
        client.chat.advance(after_id)
        try:
            await self._replay(client, after_id)
        except psycopg.Error as exc:
            code, message = sql_error(exc)
            logger.warning("%r: resume failed (%s)", client, type(exc).__name__)
            client.push(protocol.error_frame(code, message))
            return
        client.push(protocol.resumed_frame(max(after_id, client.chat.delivered_max)))

    async def _replay(self, client: Client, after_id: int) -> None:
        cursor = client.chat
        cursor.replaying += 1
        try:
            after = after_id
            while not client.closed:
                page = await self.db.messages_after(client.user_id, after, PAGE_SIZE)
                for stored in page:
                    if not cursor.seen(stored.id):
                        cursor.remember(stored.id)
                        await client.push_wait(protocol.chat_frame(stored.json))
                    after = stored.id
                if len(page) < PAGE_SIZE:
                    break
        finally:
            self._release(client)

    def _release(self, client: Client) -> None:
        """End one replay; after the last one, send the live messages that waited (minus duplicates)."""
        cursor = client.chat
        cursor.replaying -= 1
        if not cursor.replaying:
            pending, cursor.pending = cursor.pending, []
            for message_id, frame in pending:
                self._offer(client, message_id, frame)

    def resync(self) -> None:
        """After the listener reconnected: replay to every socket what it may have missed meanwhile."""
        self.resyncs += 1
        starts: list[tuple[Client, int]] = []
        for client in self.hub.clients:
            start = client.chat.last_id
            # A socket without a cursor is still reading it (attach replays then), or could not read
            # it: short of the user's whole history there is no start, and its own resume covers it.
            if not client.closed and start is not None:
                starts.append((client, start))
        self._replay_from(starts)

    def _replay_from(self, starts: list[tuple[Client, int]]) -> None:
        """Replay to each socket what follows its start, in the background; live messages wait meanwhile."""
        if not starts:
            return
        for client, _ in starts:
            client.chat.replaying += 1  # hold live messages from now on, until the replay ran
        self.hub.spawn(self._replay_all(starts), "ark-bridge-chat-resync")

    async def _replay_all(self, starts: list[tuple[Client, int]]) -> None:
        replayed = 0
        for client, start in starts:
            try:
                await self._replay(client, start)
                replayed += 1
            except psycopg.Error as exc:
                logger.warning("chat resync: replay for %r failed (%s)", client, type(exc).__name__)
            finally:
                # Undo the hold taken in resync(); _replay took and released its own.
                self._release(client)
        logger.info("chat resync: replayed to %d sockets", replayed)
