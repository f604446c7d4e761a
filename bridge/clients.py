"""One open socket: who it is, which room it is in, and its bounded send queue.

Nothing that produces frames ever awaits a socket. Frames go into the client's queue without
waiting, and the client's own writer task drains the queue into the socket. A client that stops
reading fills its queue; the next frame that does not fit closes it with 1013 (try again later).
What it costs stays bounded: the queue holds at most ``send_queue`` frames (references to texts
shared with the other recipients), and the other clients never wait for it.

A socket lives no longer than its token: at the token's ``exp`` it is closed with 4401, and the
client reconnects with a fresh token and resumes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
import uuid

from starlette.websockets import WebSocket

from .auth import Identity
from .protocol import CLOSE_TRY_AGAIN_LATER, CLOSE_UNAUTHORIZED, RoomKey

logger = logging.getLogger(__package__)


class ChatCursor:
    """Where a socket stands in the chat stream: what it was offered, and what it may be sent again.

    Stream positions, not message ids: positions are given in commit order (realtime.chat_stamp), so
    "everything up to N" is a fact a client can store and send back. The relay offers every position
    after `floor` to the socket as its tail reads it; a resume from cursor c replays the positions
    after c that were not offered live, so nothing arrives twice on one socket.
    """

    __slots__ = (
        "floor",
        "sent_through",
        "replaying",
        "holding",
        "hold_timer",
        "pending",
        "last_message_id",
        "replayed_ids",
    )

    def __init__(self, floor: int | None = None) -> None:
        # The relay's position when the socket attached: positions after it reach the socket live, those
        # up to it only by resume. None while the relay does not know its position yet (no database at
        # start); the relay sets it once it does. After a cursor resume: 0, since the client then has
        # everything up to sent_through.
        self.floor = floor
        # A live message at or below this position is not sent (again): the highest position sent, or
        # what a resume covered.
        self.sent_through = floor or 0
        # While True a replay runs: live messages wait in `pending`, and another resume is refused (busy).
        self.replaying = False
        # While True the socket has not sent its first frame yet: live messages wait, so that a resume
        # sent first replays in order before them, and frame cursors never go back on one socket.
        self.holding = False
        self.hold_timer: asyncio.TimerHandle | None = None
        self.pending: list[tuple[int, int, str]] = []
        # The highest message id sent, for the old id form's resumed frame.
        self.last_message_id = 0
        # Ids an id-form resume sent before they had a position: skipped once when they come live.
        self.replayed_ids: set[int] = set()

    def sent(self, position: int, message_id: int) -> None:
        self.sent_through = max(self.sent_through, position)
        self.last_message_id = max(self.last_message_id, message_id)


class Client:
    def __init__(self, websocket: WebSocket, identity: Identity, *, queue_size: int) -> None:
        # Identifies this socket to realtime.join and realtime.leave (the presence's owner).
        self.id = str(uuid.uuid4())
        self.websocket = websocket
        self.identity = identity
        # The room this socket has joined, as (world slug, room slug) (None: none). `rooms` also holds a
        # room it is joining. Room slugs are unique only within a world: a room is never its slug alone.
        self.room: RoomKey | None = None
        self.rooms: set[RoomKey] = set()
        self.chat = ChatCursor()
        self.closed = False
        self.close_code: int | None = None
        self._queue: asyncio.Queue[str] = asyncio.Queue(queue_size)
        self._queue_size = queue_size
        # Presence frames are held back while a presence_state for this socket is being read, and
        # sent after it (see Hub.join): events committed after the snapshot must follow it.
        self._holds = 0
        self._held: list[tuple[RoomKey, str]] = []
        self._writer = asyncio.create_task(self._write(), name=f"ark-bridge-writer-{self.id}")
        self._closer: asyncio.Task[None] | None = None
        # Closes the socket with 4401 when its token expires (now, if it is within the leeway past exp).
        self._expiry: asyncio.TimerHandle | None = None
        if math.isfinite(identity.expires_at):
            delay = max(0.0, identity.expires_at - time.time())
            self._expiry = asyncio.get_running_loop().call_later(delay, self._expire)

    @property
    def user_id(self) -> str | None:
        return self.identity.user_id

    def __repr__(self) -> str:
        who = self.identity.user_id or self.identity.role
        where = "/".join(self.room) if self.room is not None else None
        return f"<Client {self.id[:8]} {who} room={where}>"

    # Sending

    def push(self, text: str) -> None:
        """Queue a frame without waiting; a full queue closes the socket with 1013."""
        if self.closed:
            return
        try:
            self._queue.put_nowait(text)
        except asyncio.QueueFull:
            logger.warning("%r fell %d frames behind; closing it with 1013", self, self._queue_size)
            self.kick(CLOSE_TRY_AGAIN_LATER, "too slow: the send queue overflowed")

    async def push_wait(self, text: str, timeout: float = 10.0) -> None:
        """Queue a frame, waiting for room (a replay sends many at once); 1013 if none frees up in time."""
        if self.closed:
            return
        try:
            await asyncio.wait_for(self._queue.put(text), timeout)
        except TimeoutError:
            logger.warning("%r read nothing for %.0f s during a replay; closing it with 1013", self, timeout)
            self.kick(CLOSE_TRY_AGAIN_LATER, "too slow: the send queue overflowed")

    def send_presence(self, room: RoomKey, text: str) -> None:
        """A presence frame of `room`: sent now, or after the presence_state being read."""
        if self._holds:
            self._held.append((room, text))
            if len(self._held) > 4 * self._queue_size:
                self.kick(CLOSE_TRY_AGAIN_LATER, "too slow: the send queue overflowed")
        else:
            self.push(text)

    def hold(self) -> None:
        self._holds += 1

    def release(self) -> None:
        """End one hold; when none is left, send the held frames of the room the socket is in now."""
        self._holds -= 1
        if self._holds == 0:
            held, self._held = self._held, []
            for room, text in held:
                if room == self.room:
                    self.push(text)

    # Closing

    def _expire(self) -> None:
        self._expiry = None
        if not self.closed:
            logger.info("%r: the token has expired; closing it with 4401", self)
            self.kick(CLOSE_UNAUTHORIZED, "the token has expired: reconnect with a fresh token and resume")

    def kick(self, code: int, reason: str) -> None:
        """Close the socket from the server side; frames still queued are dropped."""
        if self.closed:
            return
        self.closed = True
        self.close_code = code
        self._writer.cancel()
        self._held.clear()
        self._closer = asyncio.create_task(self._close(code, reason), name=f"ark-bridge-close-{self.id}")

    async def _close(self, code: int, reason: str) -> None:
        with contextlib.suppress(asyncio.CancelledError):
            await self._writer
        _drain(self._queue)
        # The close frame goes out behind the bytes already handed to the transport: a client that
        # stopped reading sees it once it reads again (or never, if it is gone).
        with contextlib.suppress(Exception):
            await self.websocket.close(code, reason)

    async def finish(self) -> None:
        """The socket is gone (or closing): stop the writer and the expiry timer, and wait for a pending close."""
        self.closed = True
        if self._expiry is not None:
            self._expiry.cancel()
            self._expiry = None
        if not self._writer.done():
            self._writer.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self._writer
        _drain(self._queue)
        if self._closer is not None:
            # The disconnect has been seen, so the close has been sent or can no longer be.
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(self._closer, 1.0)

    async def _write(self) -> None:
        try:
            while True:
                text = await self._queue.get()
                await self.websocket.send_text(text)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            # The peer went away mid-send; the reader sees the disconnect and cleans up.
            logger.debug("%r: send failed (%s)", self, type(exc).__name__)
            self.closed = True


def _drain(queue: asyncio.Queue[str]) -> None:
    while not queue.empty():
        queue.get_nowait()
