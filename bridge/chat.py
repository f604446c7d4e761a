"""Chat: deliver each stored message to its audience's sockets, and replay what a socket missed.

The bridge tails the messages table (realtime.chat_feed) every TAIL_SECONDS rather than LISTENing:
NOTIFY takes a database-wide lock at commit and holds it through the WAL flush, which made every
message's commit wait for the previous one. Each feed entry carries its audience, decided by what the
storing transaction wrote (the session's players, the recipients of a proximity message)::

    {"message_id": 42, "txid": "1234", "audience": [user ids], "agent_service": true, "message": {...}}

The bridge asks nobody whether a socket may read it: every open socket of each audience user gets
``{"type":"chat_message","message":{...}}``, and so does every agent_service socket when
agent_service is true. The tail resumes from the xmin of its last read (the oldest transaction then
still running), so a message is never skipped, whatever order writers commit in, and a database or
network outage only delays delivery; ids already handled are dropped.

Resume: ``{"type":"resume","after_message_id":N}`` replays, page by page and in id order, every
message after N that the socket's user may read (realtime.messages_after, or agent_messages_after
for agent_service), then answers ``{"type":"resumed","last_message_id":M}``. Live messages that
arrive meanwhile wait and follow the replay; every socket remembers the ids it was given, so nothing
arrives twice. A socket's cursor starts at the newest message id when it authenticates
(realtime.last_message_id) and moves up with every message delivered or resumed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import psycopg

from . import protocol
from .clients import Client
from .db import Database, sql_error
from .hub import Hub

logger = logging.getLogger(__package__)

# Messages per realtime.messages_after call (the function caps it at 1000).
PAGE_SIZE = 500
# How often the chat tail looks for new messages: half of it is the average added delivery latency.
TAIL_SECONDS = 0.02
# Messages per realtime.chat_feed call; a full page is continued at once.
FEED_ROWS = 1000
# After a failed feed read, wait this long before the next (doubling up to the cap).
TAIL_BACKOFF = (0.1, 2.0)
# Live messages a socket may have waiting behind a replay before it counts as too slow.
MAX_PENDING = 4096


class ChatRelay:
    def __init__(self, hub: Hub, db: Database) -> None:
        self.hub = hub
        self.db = db
        self._task: asyncio.Task[None] | None = None
        # The highest message id this process has delivered: where a new socket's cursor starts if the
        # newest id cannot be read from the database.
        self.high_water = 0
        # Messages already handled whose transaction the tail may read again (id -> txid), forgotten
        # once the tail's xmin passes their transaction.
        self._handled: dict[int, int] = {}

    def start(self) -> None:
        self._task = asyncio.create_task(self._tail(), name="ark-bridge-chat")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def attach(self, client: Client) -> None:
        """A new socket, already with the hub (it hears live messages): its cursor starts at the newest id.

        The tail may still be delivering messages stored just before the socket arrived. Until the
        newest id is known, live messages wait as they do behind a replay, and are then offered
        against the floor: without that, a burst of older messages could reach the socket live and
        overflow its queue (1013) before it asked for anything."""
        client.chat.replaying += 1
        try:
            try:
                newest = await self.db.last_message_id()
            except psycopg.Error as exc:
                # Second best: the newest id this process has delivered; its own resume covers the rest.
                logger.warning("chat: realtime.last_message_id failed (%s) for %r", type(exc).__name__, client)
                if not self.high_water:
                    return
                newest = self.high_water
            client.chat.floor = newest
            client.chat.advance(newest)
        finally:
            self._release(client)

    async def _tail(self) -> None:
        since: str | None = None
        backoff = TAIL_BACKOFF[0]
        while True:
            try:
                since = await self._read_feed(since)
                backoff = TAIL_BACKOFF[0]
                await asyncio.sleep(TAIL_SECONDS)
            except psycopg.Error as exc:
                # Nothing is lost: the next read starts from the same xmin.
                logger.warning("chat: reading the tail failed (%s); retrying in %.1f s", type(exc).__name__, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, TAIL_BACKOFF[1])

    async def _read_feed(self, since: str | None) -> str:
        """Deliver everything new since `since`; returns the xmin to start from next time."""
        after_id = 0
        next_since: str | None = None
        while True:
            xmin, entries = await self.db.chat_feed(since, after_id, FEED_ROWS)
            # Of a run of full pages, keep the first page's xmin: a message committed during the run
            # with an id below after_id is then read again next time instead of skipped.
            next_since = next_since or xmin
            for entry in entries:
                message_id, txid = int(entry["message_id"]), int(entry["txid"])
                if message_id not in self._handled:
                    self._handled[message_id] = txid
                    self._deliver(entry)
                after_id = message_id
            if len(entries) < FEED_ROWS:
                break
        horizon = int(next_since)
        self._handled = {m: t for m, t in self._handled.items() if t >= horizon}
        return next_since

    def _deliver(self, entry: dict[str, Any]) -> None:
        message_id = int(entry["message_id"])
        self.high_water = max(self.high_water, message_id)
        recipients: list[Client] = []
        for user_id in entry.get("audience") or ():
            if isinstance(user_id, str):
                recipients.extend(self.hub.users.get(user_id, ()))
        if entry.get("agent_service") is True:
            recipients.extend(self.hub.agents)
        if not recipients:
            return
        # Encoded once, however many sockets get it.
        frame = protocol.chat_frame(protocol.encode(entry["message"]))
        for client in recipients:
            self._offer(client, message_id, frame)

    def _offer(self, client: Client, message_id: int, frame: str) -> None:
        cursor = client.chat
        if message_id <= cursor.floor:
            return  # older than the socket: its resume brings it
        if cursor.replaying:
            cursor.pending.append((message_id, frame))
            if len(cursor.pending) > MAX_PENDING:
                client.kick(protocol.CLOSE_TRY_AGAIN_LATER, "too slow: the send queue overflowed")
            return
        if cursor.seen(message_id):
            return
        cursor.remember(message_id)
        client.push(frame)

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
