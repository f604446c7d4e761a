"""Presence: rooms of local sockets, the move tick, grace periods, heartbeats and the stale sweep.

The database decides; this module relays:

* Every presence change, from this bridge, another bridge or REST, arrives as a NOTIFY on channel
  ``presence`` whose payload is a ready client frame. It goes as is, the same text, to every local
  socket in that room; only a ``moves`` frame is trimmed for a mover (players get others' moves).
  A room is (world, room): both slugs, from the frame's ``world`` and ``room``, since two worlds may
  each have a room of the same slug.
* A ``removed`` notification (app.world_evict: a ban, an ended membership, a switch to private, an
  archive) takes that player's sockets out of the room with a removed frame; the others there get a
  player_left. The player is offline in SQL already, so a later move answers not_in_room.
* Move frames are buffered, and at most once per tick (BRIDGE_TICK_MS) the whole buffer is applied
  by one call to realtime.apply_moves: one transaction and one NOTIFY per room, whatever the number of
  players. Rejections go back to their sender only.
* A closed socket's player stays for BRIDGE_GRACE_SECONDS. Then realtime.leave(user, connection)
  ends the presence, unless a reconnect (which rejoined, on any bridge) has taken it over; if another
  local tab of the same player is still in a room, that tab takes the presence over instead.
* realtime.touch keeps this process's players fresh; realtime.sweep (any bridge may run it) marks
  players nobody has heard of for a while away, then offline, even if their bridge died.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any

import psycopg
from starlette.websockets import WebSocket

from . import protocol
from .auth import Identity
from .clients import Client
from .config import Settings
from .db import Database, Rejection, api_error, sql_error
from .logs import LogLimiter, describe
from .protocol import REMOVED_REASONS, Join, Leave, Move, RoomKey, Status

logger = logging.getLogger(__package__)

# The reason of the player_left a socket gets when its player joined another room through another socket.
JOINED_ELSEWHERE = "joined_elsewhere"

# A room whose state could not be read after a reconnect is tried again after this long, doubling.
RESYNC_BACKOFF_INITIAL = 0.2
RESYNC_BACKOFF_MAX = 5.0

# A client may queue this many moves per tick; the SQL speed rule makes more pointless anyway.
MAX_MOVES_PER_TICK = 16


class Hub:
    def __init__(self, settings: Settings, db: Database) -> None:
        self.settings = settings
        self.db = db
        self.clients: set[Client] = set()
        # Player sockets by user id (a user may have several tabs), and agent_service sockets.
        self.users: dict[str, set[Client]] = {}
        self.agents: set[Client] = set()
        # Sockets by (world, room), including a socket that is in the middle of joining it.
        self.rooms: dict[RoomKey, set[Client]] = {}
        # The world a join frame without one goes to (realtime.default_world), read at the first such join.
        self._default_world: str | None = None
        # When each socket connected, to find an account's oldest.
        self._opened: dict[Client, int] = {}
        self._sequence = itertools.count()
        self._moves: list[tuple[Client, dict[str, Any]]] = []
        self._moves_per_client: Counter[Client] = Counter()
        self._moves_ready = asyncio.Event()
        # Grace timers by connection id, with the user they keep alive.
        self._grace: dict[str, tuple[str, asyncio.Task[None]]] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._background: set[asyncio.Task[None]] = set()
        self.moves_applied = 0
        self.ticks = 0
        # Failures that repeat every tick or every frame are logged once per cause and interval.
        self._log = LogLimiter(logger, settings.log_repeat_seconds)

    # Lifecycle

    def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._run_ticker(), name="ark-bridge-ticker"),
            asyncio.create_task(
                self._every(self.settings.touch_seconds, self._touch, "touch"), name="ark-bridge-touch"
            ),
            asyncio.create_task(
                self._every(self.settings.sweep_seconds, self._sweep, "sweep"), name="ark-bridge-sweep"
            ),
        ]

    async def stop(self) -> None:
        # Players still in their grace period are not made to leave: a bridge that stops is usually
        # restarting, and a client that reconnects within the grace period (to any bridge) simply
        # continues. One that does not is swept away and then offline by whichever bridge runs next.
        tasks = [*self._tasks, *(task for _, task in self._grace.values()), *self._background]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        self._grace.clear()

    def spawn(self, coro: Coroutine[Any, Any, None], name: str) -> None:
        """Run a background job that the hub cancels on stop."""
        task = asyncio.create_task(coro, name=name)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    # Sockets

    def connect(self, websocket: WebSocket, identity: Identity) -> Client:
        client = Client(websocket, identity, queue_size=self.settings.send_queue)
        self.clients.add(client)
        self._opened[client] = next(self._sequence)
        if identity.user_id is None:
            self.agents.add(client)
        else:
            tabs = self.users.setdefault(identity.user_id, set())
            tabs.add(client)
            self._close_oldest_beyond_limit(tabs)
        return client

    def _close_oldest_beyond_limit(self, tabs: set[Client]) -> None:
        """An account over BRIDGE_SOCKETS_PER_ACCOUNT loses its oldest sockets (close code 4409)."""
        open_tabs = sorted((c for c in tabs if not c.closed), key=self._opened.__getitem__)
        for oldest in open_tabs[: max(0, len(open_tabs) - self.settings.sockets_per_account)]:
            logger.info(
                "%r: the account opened more than %d sockets; closing its oldest with 4409",
                oldest,
                self.settings.sockets_per_account,
            )
            oldest.kick(protocol.CLOSE_REPLACED, "this account opened a newer socket; the oldest is closed")

    async def disconnect(self, client: Client) -> None:
        self.clients.discard(client)
        self._opened.pop(client, None)
        self.agents.discard(client)
        if client.user_id is not None:
            _discard(self.users, client.user_id, client)
        for room in tuple(client.rooms):
            _discard(self.rooms, room, client)
        client.rooms.clear()
        await client.finish()
        if client.room is not None and client.user_id is not None:
            self._start_grace(client.user_id, client.id)
        client.room = None

    def _start_grace(self, user_id: str, connection: str) -> None:
        async def expire() -> None:
            try:
                await asyncio.sleep(self.settings.grace_seconds)
                heir = next((c for c in self.users.get(user_id, ()) if c.room is not None and not c.closed), None)
                if heir is not None and heir.room is not None:
                    # Another tab of the same player is still here: it takes the presence over
                    # (silently, as a rejoin of the room it is in) instead of the player leaving.
                    await self.db.join(user_id, heir.room, heir.id)
                else:
                    await self.db.leave(user_id, connection)
            except psycopg.Error as exc:
                # Not touched any more, so the sweep will take the player offline instead.
                logger.warning("grace: realtime.leave failed (%s); the sweep will catch up", type(exc).__name__)
            finally:
                self._grace.pop(connection, None)

        task = asyncio.create_task(expire(), name=f"ark-bridge-grace-{connection}")
        self._grace[connection] = (user_id, task)

    # Frames

    async def handle(self, client: Client, frame: Join | Move | Status | Leave) -> None:
        if client.user_id is None:
            client.push(protocol.error_frame(protocol.FORBIDDEN, "an agent_service socket receives chat only"))
            return
        if isinstance(frame, Move):
            self._queue_move(client, client.user_id, frame)
            return
        try:
            if isinstance(frame, Join):
                world = frame.world
                if world is None:
                    if self._default_world is None:
                        self._default_world = await self.db.default_world()
                    world = self._default_world
                await self._join(client, client.user_id, (world, frame.room))
            elif isinstance(frame, Status):
                await self._set_status(client, client.user_id, frame.status)
            else:
                await self._leave(client, client.user_id)
        except psycopg.Error as exc:
            code, message = sql_error(exc)
            if code == protocol.UNAVAILABLE:
                kind = type(frame).__name__.lower()
                self._log.warning(f"{kind} {type(exc).__name__}", "%r: %s failed: %s", client, kind, describe(exc))
            client.push(protocol.error_frame(code, message))

    async def _join(self, client: Client, user_id: str, room: RoomKey) -> None:
        # Listen to the new room before reading its state, and hold what arrives until the state is
        # sent: then nothing committed after the snapshot is lost, and nothing comes before it.
        previous = client.room
        self.rooms.setdefault(room, set()).add(client)
        client.rooms.add(room)
        client.hold()
        try:
            state = await self.db.join(user_id, room, client.id)
        except BaseException:
            if room != previous:
                _discard(self.rooms, room, client)
                client.rooms.discard(room)
            client.release()
            raise
        if previous is not None and previous != room:
            _discard(self.rooms, previous, client)
            client.rooms.discard(previous)
        if room not in client.rooms:
            # Removed from the room (a ban, an archive, ...) while joining it: the removed frame went
            # out already, and the player is offline in SQL. The socket is in no room.
            if client.room == previous:
                client.room = None
            client.release()
            return
        client.room = room
        client.push(state)
        client.release()
        self._take_other_tabs_out(user_id, room)

    def _remove(self, user_id: str, room: RoomKey, reason: str) -> None:
        """The world no longer lets the player be in `room` (app.world_evict made them offline already):
        their local sockets there get a removed frame and leave the room; nobody is joined anywhere."""
        frame: str | None = None
        for tab in tuple(self.users.get(user_id, ())):
            if room not in tab.rooms and tab.room != room:
                continue
            _discard(self.rooms, room, tab)
            tab.rooms.discard(room)
            if tab.room == room:
                tab.room = None
            if frame is None:
                frame = protocol.encode({"type": "removed", "world": room[0], "room": room[1], "reason": reason})
            tab.push(frame)

    def _take_other_tabs_out(self, user_id: str, room: RoomKey) -> None:
        """The player is now in `room`: a local socket of theirs in another room stops hearing it.

        A player is in one room at a time, wherever the join came from (this bridge, another one, or
        REST: every bridge calls this on the player_joined it is notified of). The socket left behind
        gets its own player_left with reason joined_elsewhere, and is in no room until it joins again.
        """
        for tab in tuple(self.users.get(user_id, ())):
            old = tab.room
            if old is None or old == room or room in tab.rooms or tab.closed:
                continue  # in the room already, or joining it right now
            _discard(self.rooms, old, tab)
            tab.rooms.discard(old)
            tab.room = None
            tab.push(
                protocol.encode(
                    {
                        "type": "player_left",
                        "world": old[0],
                        "room": old[1],
                        "user_id": user_id,
                        "reason": JOINED_ELSEWHERE,
                    }
                )
            )

    async def _set_status(self, client: Client, user_id: str, status: str) -> None:
        if client.room is None:
            client.push(protocol.error_frame(protocol.NOT_JOINED, "join a room before changing status"))
            return
        try:
            await self.db.set_status(user_id, status)
        except psycopg.Error as exc:
            code, text = api_error(exc)
            if code == "22023":
                # The status itself was checked when the frame was parsed: the player is not in a room
                # any more (left elsewhere, or swept offline).
                client.push(protocol.error_frame(protocol.NOT_JOINED, "join a room before changing status"))
                return
            if code == "PT429":
                # The change would overspend the player's move budget (app.presence_set_status).
                message = text or "too many status changes; slow down"
                client.push(protocol.error_frame(protocol.RATE_LIMITED, message))
                return
            raise

    async def _leave(self, client: Client, user_id: str) -> None:
        room = client.room
        if room is None:
            client.push(protocol.error_frame(protocol.NOT_JOINED, "you are not in a room"))
            return
        client.room = None
        _discard(self.rooms, room, client)
        client.rooms.discard(room)
        await self.db.leave(user_id)
        # The leaver no longer hears the room, so it gets its own player_left as the acknowledgement.
        client.push(protocol.encode({"type": "player_left", "world": room[0], "room": room[1], "user_id": user_id}))

    # Moves

    def _queue_move(self, client: Client, user_id: str, move: Move) -> None:
        if client.room is None:
            client.push(protocol.error_frame(protocol.INVALID_MOVE, "join a room before moving", reason="not_in_room"))
            return
        if self._moves_per_client[client] >= MAX_MOVES_PER_TICK:
            client.push(protocol.error_frame(protocol.RATE_LIMITED, "too many moves at once; slow down"))
            return
        self._moves_per_client[client] += 1
        self._moves.append((client, {"user_id": user_id, "x": move.x, "y": move.y, "direction": move.direction}))
        self._moves_ready.set()

    async def _run_ticker(self) -> None:
        """Apply buffered moves: a lone move at once, and under load at most one batch per tick."""
        loop = asyncio.get_running_loop()
        tick = self.settings.tick_ms / 1000
        while True:
            await self._moves_ready.wait()
            started = loop.time()
            batch, self._moves = self._moves, []
            self._moves_per_client.clear()
            self._moves_ready.clear()
            try:
                await self._apply(batch)
            except Exception as exc:
                # A bug, not the database (whose errors _apply answers): its traceback, once per interval.
                self._log.log(
                    logging.ERROR,
                    f"ticker {type(exc).__name__}",
                    "ticker: applying %d moves failed (%s)",
                    len(batch),
                    describe(exc),
                    traceback=exc,
                )
            await asyncio.sleep(max(0.0, started + tick - loop.time()))

    async def _apply(self, batch: list[tuple[Client, dict[str, Any]]]) -> None:
        rejections = await self._apply_isolating(batch, retry_unavailable=True)
        if not rejections:
            return
        senders: dict[str, list[Client]] = {}
        for client, move in batch:
            recipients = senders.setdefault(move["user_id"], [])
            if client not in recipients:
                recipients.append(client)
        for rejection in rejections:
            frame = protocol.error_frame(protocol.INVALID_MOVE, rejection.message, reason=rejection.reason)
            for client in senders.get(rejection.user_id, ()):
                client.push(frame)

    async def _apply_isolating(
        self, batch: list[tuple[Client, dict[str, Any]]], *, retry_unavailable: bool
    ) -> list[Rejection]:
        """Apply a batch in one call; returns SQL's rejections.

        A batch that makes SQL raise (rather than reject a move) is split in halves and each is retried,
        down to the one move that raised, which alone is refused to its sender: one client's move can
        cost nobody else theirs. The halves keep arrival order, so each player's moves stay in order.
        A database that cannot be reached gets one retry of the whole batch (a fresh connection).
        """
        try:
            rejections = await self.db.apply_moves([move for _, move in batch])
        except psycopg.Error as exc:
            code, message = sql_error(exc)
            if code == protocol.UNAVAILABLE and retry_unavailable:
                return await self._apply_isolating(batch, retry_unavailable=False)
            if code == protocol.UNAVAILABLE or len(batch) == 1:
                self._log.warning(
                    f"apply_moves {type(exc).__name__}",
                    "ticker: realtime.apply_moves failed (%s); %d moves refused to their senders",
                    describe(exc),
                    len(batch),
                )
                for client in {client for client, _ in batch}:
                    client.push(protocol.error_frame(code, message))
                return []
            self._log.warning(
                f"apply_moves split {type(exc).__name__}",
                "ticker: realtime.apply_moves failed on a batch of %d (%s); retrying it without the failing move",
                len(batch),
                describe(exc),
            )
            half = len(batch) // 2
            first = await self._apply_isolating(batch[:half], retry_unavailable=False)
            return first + await self._apply_isolating(batch[half:], retry_unavailable=False)
        self.ticks += 1
        self.moves_applied += len(batch) - len(rejections)
        return rejections

    # Events from the database

    def on_presence(self, payload: str) -> None:
        """Forward one presence notification to the local sockets in its room."""
        try:
            frame = json.loads(payload)
            world, slug = frame["world"], frame["room"]
        except (ValueError, TypeError, KeyError):
            logger.warning("presence: ignoring a notification that is not a room frame")
            return
        if not isinstance(world, str) or not isinstance(slug, str):
            logger.warning("presence: ignoring a notification that is not a room frame")
            return
        room: RoomKey = (world, slug)
        kind = frame.get("type")
        if kind not in protocol.PRESENCE_FRAMES:
            logger.warning("presence: ignoring a notification of no known frame type")
            return
        if kind == "player_joined":
            player = frame.get("player")
            user_id = player.get("user_id") if isinstance(player, dict) else None
            if isinstance(user_id, str):
                self._take_other_tabs_out(user_id, room)
        if kind == "removed":
            user_id, reason = frame.get("user_id"), frame.get("reason")
            if not isinstance(user_id, str) or reason not in REMOVED_REASONS:
                logger.warning("presence: ignoring a removed notification without a user and a known reason")
                return
            self._remove(user_id, room, str(reason))
            # Everyone else in the room sees the player leave, as for any other leave.
            payload = protocol.encode({"type": "player_left", "world": world, "room": slug, "user_id": user_id})
        members = self.rooms.get(room)
        if not members:
            return
        if frame.get("type") != "moves":
            for client in tuple(members):
                client.send_presence(room, payload)
            return
        moves = frame.get("moves") or []
        movers = {move.get("user_id") for move in moves if isinstance(move, dict)}
        trimmed: dict[str, str | None] = {}
        for client in tuple(members):
            user_id = client.user_id
            if user_id not in movers:
                client.send_presence(room, payload)
                continue
            assert user_id is not None
            if user_id not in trimmed:
                others = [move for move in moves if isinstance(move, dict) and move.get("user_id") != user_id]
                trimmed[user_id] = protocol.encode({**frame, "moves": others}) if others else None
            text = trimmed[user_id]
            if text is not None:
                client.send_presence(room, text)

    def resync(self) -> None:
        """After the listener reconnected: every socket in a room gets a fresh presence_state.

        The sockets are held right away (before the listener delivers anything new), and released
        once their room's state has been sent. Players that went offline while the database was out of
        reach (swept by the stale sweep) are entered again first, at their saved position.
        """
        rooms = {room: tuple(members) for room, members in self.rooms.items() if members}
        if not rooms:
            return
        for members in rooms.values():
            for client in members:
                client.hold()
        self.spawn(self._send_states(rooms), "ark-bridge-resync")

    async def _send_states(self, rooms: dict[RoomKey, tuple[Client, ...]]) -> None:
        """Send each room's state to its held sockets; retry the rooms that fail, with backoff, until
        they succeed or none of their sockets is left in them. A connection broken by the same outage
        that killed the listener must not cost a room its state."""
        pending = dict(rooms)
        held = dict(rooms)  # the rooms whose sockets are still held by this resync
        sent = attempts = 0
        delay = RESYNC_BACKOFF_INITIAL
        try:
            while pending:
                attempts += 1
                failed: dict[RoomKey, tuple[Client, ...]] = {}
                for room, members in pending.items():
                    live = [c for c in members if c.room == room and not c.closed and c.user_id is not None]
                    if not live:
                        _release(held.pop(room))
                        continue
                    try:
                        state, refused = await self.db.rejoin_room(room, [(c.user_id, c.id) for c in live if c.user_id])
                    except psycopg.Error as exc:
                        self._log.warning(
                            f"resync {type(exc).__name__}",
                            "resync: realtime.rejoin_room(%s) failed (%s); retrying in %.1f s",
                            "/".join(room),
                            describe(exc),
                            delay,
                        )
                        failed[room] = members
                        continue
                    for client in held.pop(room):
                        if client.user_id in refused and client.room == room:
                            # Evicted while this bridge was not listening: it missed the removed frame.
                            # The reason is not known here any more; the world no longer lets them in.
                            _discard(self.rooms, room, client)
                            client.rooms.discard(room)
                            client.room = None
                            client.push(
                                protocol.encode(
                                    {"type": "removed", "world": room[0], "room": room[1], "reason": "removed"}
                                )
                            )
                        elif state is not None and client.room == room:
                            client.push(state)
                        client.release()
                    sent += 1
                pending = failed
                if pending:
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, RESYNC_BACKOFF_MAX)
        finally:
            for members in held.values():
                _release(members)  # cancelled (the bridge stops): let the sockets go on
        retried = f" ({attempts} attempts)" if attempts > 1 else ""
        logger.info("resync: sent presence_state to %d of %d rooms%s", sent, len(rooms), retried)

    # Heartbeat and sweep

    def joined_users(self) -> set[str]:
        """Users this process keeps alive: joined sockets and those in their grace period."""
        users = {client.user_id for client in self.clients if client.room is not None and client.user_id is not None}
        users.update(user_id for user_id, _ in self._grace.values())
        return users

    async def _touch(self) -> None:
        users = self.joined_users()
        if users:
            await self.db.touch(sorted(users))

    async def _sweep(self) -> None:
        result = await self.db.sweep(
            timedelta(seconds=self.settings.away_seconds), timedelta(seconds=self.settings.offline_seconds)
        )
        if result.get("away") or result.get("offline"):
            logger.info("sweep: %s away, %s offline", result.get("away", 0), result.get("offline", 0))

    async def _every(self, seconds: float, job: Callable[[], Awaitable[None]], name: str) -> None:
        while True:
            await asyncio.sleep(seconds)
            try:
                await job()
            except psycopg.Error as exc:
                self._log.warning(f"{name} {type(exc).__name__}", "%s failed: %s", name, describe(exc))
            except Exception as exc:
                self._log.log(
                    logging.ERROR, f"{name} {type(exc).__name__}", "%s failed: %s", name, describe(exc), traceback=exc
                )


def _release(members: tuple[Client, ...]) -> None:
    for client in members:
        client.release()


def _discard(index: dict[Any, set[Client]], key: Any, client: Client) -> None:
    members = index.get(key)
    if members is not None:
        members.discard(client)
        if not members:
            del index[key]
