"""Chat: deliver each stored message to its audience's sockets, in stream order, and replay what a socket missed.

Every committed message gets a stream position from realtime.chat_stamp (one sequencer at a time, in
the order it sees messages commit), so the positions a reader can see always form a prefix of the
stream. The tail here stamps and then reads the stream after its last position every TAIL_SECONDS,
in one call (realtime.chat_tail); each entry carries its audience, decided by what the storing transaction
wrote (the session's players, the recipients of a proximity message)::

    {"position": 57, "message_id": 42, "audience": [user ids], "agent_service": true, "message": {...}}

The bridge asks nobody whether a socket may read it: every open socket of each audience user gets
``{"type":"chat_message","cursor":57,"message":{...}}``, and so does every agent_service socket when
agent_service is true. Positions live in the database, so a cursor survives a bridge crash, a move to
another bridge and a database restart; a message committed late simply gets a later position.

Resume: ``{"type":"resume","cursor":N}`` replays, page by page and in position order, every message
after N that the socket's user may read (realtime.chat_replay, or agent_chat_replay for
agent_service) and was not already offered to this socket live, then answers
``{"type":"resumed","cursor":M}``. Live messages that arrive meanwhile wait and follow the replay.
The old form ``{"type":"resume","after_message_id":N}`` replays by message id, as before: it can miss a
message that committed after a higher id was delivered, so only the cursor is exact.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

import psycopg

from . import protocol
from .clients import Client
from .db import Database, StoredMessage, StreamEntry
from .hub import Hub

logger = logging.getLogger(__package__)

# Messages per replay call (the functions cap it at 1000).
PAGE_SIZE = 500
# How often the chat tail looks for new messages: a read starts every TAIL_SECONDS (at once when the last
# one took longer), so half of it plus one read is the average added delivery latency.
TAIL_SECONDS = 0.02
# Entries per realtime.chat_stream call; a full page is continued at once.
FEED_ROWS = 1000
# After a failed tail read, wait this long before the next (doubling up to the cap).
TAIL_BACKOFF = (0.1, 2.0)
# Live messages a socket may have waiting behind a replay before it counts as too slow.
MAX_PENDING = 4096
# A new socket's live chat waits this long for its first frame, which may be a resume.
FIRST_FRAME_SECONDS = 1.0


class ChatRelay:
    def __init__(self, hub: Hub, db: Database) -> None:
        self.hub = hub
        self.db = db
        self._task: asyncio.Task[None] | None = None
        # The last stream position the tail has offered to every socket: None until the head is read.
        self.position: int | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._tail(), name="ark-bridge-chat")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def attach(self, client: Client, welcome: Callable[[int | None], None]) -> None:
        """A new socket, already with the hub: its cursor starts at the stream's head, sent in its welcome.

        The head is read after stamping, so every message committed before the socket came is at or below
        it: those reach the socket by resume only, never live, where a burst of them could overflow a
        small queue (1013) before the client asked for anything. Live messages wait while the head is
        read, then follow the welcome. Without a database, the tail's own position is the second best."""
        chat = client.chat
        chat.replaying = True
        try:
            floor = await self.db.chat_stamp(wait=True)
        except psycopg.Error as exc:
            logger.warning("chat: realtime.chat_stamp failed (%s) for %r", type(exc).__name__, client)
            floor = self.position
        chat.floor = floor
        chat.sent_through = max(chat.sent_through, floor or 0)
        welcome(floor)
        chat.replaying = False
        # Live messages wait for the socket's first frame (or FIRST_FRAME_SECONDS): a resume sent first
        # then replays what came before them, in order.
        chat.holding = True
        chat.hold_timer = asyncio.get_running_loop().call_later(FIRST_FRAME_SECONDS, self.stop_holding, client)

    def stop_holding(self, client: Client) -> None:
        """The socket sent a frame that is not a resume (or sent none in time): its live chat flows now."""
        chat = client.chat
        if not chat.holding:
            return
        self._cancel_hold(client)
        self._end_replay(client, chat.sent_through)

    def _cancel_hold(self, client: Client) -> None:
        chat = client.chat
        chat.holding = False
        if chat.hold_timer is not None:
            chat.hold_timer.cancel()
            chat.hold_timer = None

    # The tail

    async def _tail(self) -> None:
        loop = asyncio.get_running_loop()
        backoff = TAIL_BACKOFF[0]
        while True:
            try:
                started = loop.time()
                if self.position is None:
                    self._start_at(await self.db.chat_head())
                await self._read_stream()
                backoff = TAIL_BACKOFF[0]
                # The period counts from the read's start: a read's own time (a commit flush under a
                # busy disk) is not added to the wait of every message behind it.
                await asyncio.sleep(max(0.0, TAIL_SECONDS - (loop.time() - started)))
            except psycopg.Error as exc:
                # Nothing is lost: positions are in the database, and the next read starts after the last.
                logger.warning("chat: reading the stream failed (%s); retrying in %.1f s", type(exc).__name__, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, TAIL_BACKOFF[1])

    def _start_at(self, head: int) -> None:
        # A socket may have attached with a floor of its own (its stamp answered, this tail's head read did
        # not): the tail starts at the lowest such floor, or positions after it would never reach it live.
        # Sockets above it drop what they already have (sent_through).
        floors = [c.chat.floor for c in self.hub.clients if c.chat.floor is not None]
        self.position = min([head, *floors])
        # Sockets that came while no head was known have been offered nothing: they start here too.
        for client in self.hub.clients:
            if client.chat.floor is None and not client.chat.replaying:
                client.chat.floor = self.position
                client.chat.sent_through = max(client.chat.sent_through, self.position)

    async def _read_stream(self) -> None:
        assert self.position is not None
        while True:
            entries = await self.db.chat_tail(self.position, FEED_ROWS)
            for entry in entries:
                self.position = entry.position
                self._deliver(entry)
            if len(entries) < FEED_ROWS:
                return

    def _deliver(self, entry: StreamEntry) -> None:
        recipients: list[Client] = []
        for user_id in entry.audience:
            recipients.extend(self.hub.users.get(user_id, ()))
        if entry.agent_service:
            recipients.extend(self.hub.agents)
        if not recipients:
            return
        # Encoded once, however many sockets get it.
        frame = protocol.chat_frame(entry.position, entry.json)
        for client in recipients:
            self._offer(client, entry.position, entry.message_id, frame)

    def _offer(self, client: Client, position: int, message_id: int, frame: str) -> None:
        cursor = client.chat
        if cursor.replaying or cursor.holding:
            cursor.pending.append((position, message_id, frame))
            if len(cursor.pending) > MAX_PENDING:
                client.kick(protocol.CLOSE_TRY_AGAIN_LATER, "too slow: the send queue overflowed")
            return
        if position <= cursor.sent_through:
            return  # a resume already sent it, or the socket's cursor is past it
        if cursor.replayed_ids and message_id in cursor.replayed_ids:
            cursor.replayed_ids.discard(message_id)  # an id-form resume sent it before it was stamped
            cursor.sent_through = position
            return
        cursor.sent(position, message_id)
        client.push(frame)

    # Resume

    def resume(self, client: Client, cursor: int | None, after_message_id: int | None) -> None:
        """The resume frame: one replay at a time per socket, run beside the socket's other frames."""
        if client.chat.replaying:
            client.push(protocol.error_frame(protocol.BUSY, "a resume is already running; wait for its resumed frame"))
            return
        self._cancel_hold(client)
        client.chat.replaying = True
        if cursor is not None:
            job = self._resume_cursor(client, cursor)
        else:
            assert after_message_id is not None
            job = self._resume_ids(client, after_message_id)
        self.hub.spawn(job, f"ark-bridge-resume-{client.id}")

    async def _resume_cursor(self, client: Client, after: int) -> None:
        chat = client.chat
        # Every message in (floor, upto] that the socket may read has been sent to it already, live or by
        # a replay: not again. (What waits in `pending` has not been sent: the replay brings it, in order.)
        floor, upto = chat.floor, chat.sent_through
        position = after
        try:
            while not client.closed:
                head, page = await self.db.chat_replay(client.user_id, position, PAGE_SIZE)
                for stored in page:
                    assert stored.position is not None
                    position = stored.position
                    if floor is not None and floor < position <= upto:
                        continue
                    chat.last_message_id = max(chat.last_message_id, stored.id)
                    await client.push_wait(protocol.chat_frame(position, stored.json))
                if len(page) < PAGE_SIZE:
                    break
        except psycopg.Error as exc:
            self._failed(client, exc)
            return
        if client.closed:
            return
        # The last page had everything up to its head: the client now has the whole stream to there
        # (and to `after`, it says), plus what this socket was offered. A cursor beyond the head is not
        # of this stream (a database restored elsewhere, a revert): the client gets the head instead, and
        # what is stamped from now on.
        if after > head:
            logger.warning("%r resumed from cursor %d, beyond the stream's head %d", client, after, head)
        chat.floor = 0
        self._end_replay(client, max(head, upto))
        client.push(protocol.resumed_frame(chat.sent_through))

    async def _resume_ids(self, client: Client, after_id: int) -> None:
        chat = client.chat
        replayed: set[int] = set()
        last_id = after_id
        try:
            while not client.closed:
                page: list[StoredMessage] = await self.db.messages_after(client.user_id, last_id, PAGE_SIZE)
                for stored in page:
                    last_id = stored.id
                    replayed.add(stored.id)
                    # Id pages are not in stream order, so these frames cannot move the cursor forward.
                    await client.push_wait(protocol.chat_frame(chat.sent_through, stored.json))
                if len(page) < PAGE_SIZE:
                    break
        except psycopg.Error as exc:
            self._failed(client, exc)
            return
        chat.last_message_id = max(chat.last_message_id, last_id)
        # Messages not stamped yet may come live later: the ids replayed here are not sent again then.
        chat.replayed_ids.update(replayed)
        # Inexact, as this form always was: a message committed late below last_id is not replayed.
        self._end_replay(client, max(chat.sent_through, self.position or 0), skip_ids=replayed)
        client.push(protocol.resumed_frame(chat.sent_through, chat.last_message_id))

    def _failed(self, client: Client, exc: psycopg.Error) -> None:
        """A replay that cannot go on closes its socket: releasing live chat past the part not replayed would
        leave a gap the client could never ask for again. The client reconnects and resumes from the cursor
        of the last frame it got, which is exact."""
        logger.warning("%r: resume failed (%s); closing it with 1011", client, type(exc).__name__)
        client.kick(protocol.CLOSE_RESUME_FAILED, "the resume failed: reconnect and resume from your last cursor")

    def _end_replay(self, client: Client, covered: int, skip_ids: set[int] | None = None) -> None:
        """After a replay: send the live messages that waited, except what the replay already sent."""
        chat = client.chat
        chat.replaying = False
        chat.sent_through = max(chat.sent_through, covered)
        pending, chat.pending = chat.pending, []
        for position, message_id, frame in pending:
            if skip_ids is None or message_id not in skip_ids:
                self._offer(client, position, message_id, frame)
