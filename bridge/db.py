"""The realtime.* functions the bridge calls, through a small connection pool as the `bridge` role.

The bridge role has no table grants: every read and write below is a SECURITY DEFINER function in
the `realtime` schema, so the rules stay in SQL and the REST path (api.*) shares them. Calls run in
autocommit mode, one function call per transaction; realtime.apply_moves in particular applies a
whole tick of moves in its single transaction.

Results that go to clients unchanged are selected as text (``::text``), so they are encoded once by
PostgreSQL and never parsed here.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, LiteralString, TypeVar

import psycopg
from psycopg_pool import AsyncConnectionPool

from . import protocol
from .protocol import RoomKey

logger = logging.getLogger(__package__)

T = TypeVar("T")

POOL_APPLICATION_NAME = "ark-bridge"
# The longest a pooled connection's liveness check may take before the connection counts as dead.
CHECK_TIMEOUT = 2.0
# libpq TCP keep-alives, so a peer that vanished without a FIN is noticed by the kernel as well.
KEEPALIVES: dict[str, Any] = {"keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5, "keepalives_count": 3}


@dataclass(frozen=True, slots=True)
class Rejection:
    """A move that realtime.apply_moves refused; reason is one of SQL's (too_fast, outside_room, …)."""

    user_id: str
    reason: str
    message: str


@dataclass(frozen=True, slots=True)
class StoredMessage:
    """A chat message as JSON text, with its id and, when it has one yet, its stream position."""

    id: int
    json: str
    position: int | None = None


@dataclass(frozen=True, slots=True)
class StreamEntry:
    """One message of the chat stream, with who may read it."""

    position: int
    message_id: int
    audience: list[str]
    agent_service: bool
    json: str


class Database:
    def __init__(self, conninfo: str, *, max_size: int = 4, timeout: float = 10.0) -> None:
        # A call that has not answered after `timeout` seconds (a database that hangs, or a connection
        # that died without a word) fails with OperationalError; the pool then drops that connection.
        self.timeout = timeout
        self.pool = AsyncConnectionPool(
            conninfo,
            min_size=1,
            max_size=max_size,
            open=False,
            timeout=timeout,
            name="ark-bridge",
            # A pooled connection can be dead without knowing it (a server restart or a terminated
            # backend kills all of them at once): checking each one as it is checked out costs a round
            # trip and saves the call that would otherwise fail on it.
            check=self._check_alive,
            kwargs={"autocommit": True, "application_name": POOL_APPLICATION_NAME, "connect_timeout": 5, **KEEPALIVES},
        )

    async def _check_alive(self, conn: psycopg.AsyncConnection[Any]) -> None:
        """psycopg_pool's check, but bounded: on a connection that died silently (no FIN, no RST) the
        check's empty query would wait forever. A closed connection is discarded by the pool."""
        await answer_within(conn, AsyncConnectionPool.check_connection(conn), min(self.timeout, CHECK_TIMEOUT))

    async def open(self) -> None:
        # Do not wait for the first connection: the bridge starts (and reports itself degraded) while
        # the database is still coming up, and the pool keeps trying in the background.
        await self.pool.open(wait=False)

    async def close(self) -> None:
        await self.pool.close()

    async def _scalar(self, query: LiteralString, params: Sequence[Any]) -> Any:
        rows = await self._rows(query, params)
        return rows[0][0] if rows else None

    async def _rows(self, query: LiteralString, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        async with self.pool.connection(timeout=self.timeout) as conn:
            return await answer_within(conn, _fetch(conn, query, params), self.timeout)

    # Presence

    async def default_world(self) -> str:
        """The slug of the world a join frame without one goes to."""
        world: str = await self._scalar("SELECT realtime.default_world()", ())
        return world

    async def join(self, user_id: str, room: RoomKey, connection: str) -> str:
        """Enter the room (world, room); returns the room's presence_state frame as JSON text."""
        world, slug = room
        state: str = await self._scalar(
            "SELECT realtime.join(%s::uuid, %s, %s, %s)::text", (user_id, slug, connection, world)
        )
        return state

    async def apply_moves(self, moves: list[dict[str, Any]]) -> list[Rejection]:
        """Apply one tick of moves in one transaction; returns the rejected ones."""
        rejected = await self._scalar("SELECT realtime.apply_moves(%s::jsonb)", (protocol.encode(moves),))
        return [Rejection(str(r.get("user_id")), str(r.get("reason")), str(r.get("message"))) for r in rejected or ()]

    async def jitsi_event(self, event: str, payload_json: str) -> Any:
        """One event_sync event (POST /jitsi/events/<event>): realtime.jitsi_event, as /rpc/jitsi_event does."""
        return await self._scalar("SELECT realtime.jitsi_event(%s, %s::jsonb)", (event, payload_json))

    async def set_status(self, user_id: str, status: str) -> None:
        await self._scalar("SELECT realtime.set_status(%s::uuid, %s)", (user_id, status))

    async def leave(self, user_id: str, connection: str | None = None) -> Any:
        """Leave the room (connection None), or end a grace period if that connection still owns the presence."""
        return await self._scalar("SELECT realtime.leave(%s::uuid, %s)", (user_id, connection))

    async def touch(self, user_ids: Sequence[str]) -> int:
        touched: int = await self._scalar("SELECT realtime.touch(%s::uuid[])", (list(user_ids),))
        return touched

    async def sweep(self, away_after: timedelta, offline_after: timedelta) -> dict[str, int]:
        result: dict[str, int] = await self._scalar("SELECT realtime.sweep(%s, %s)", (away_after, offline_after))
        return result

    async def rejoin_room(self, room: RoomKey, members: Sequence[tuple[str, str]]) -> tuple[str | None, frozenset[str]]:
        """After an outage: enter these (user_id, connection) again if they went offline meanwhile, and
        return the room's presence_state frame as JSON text (None if the room no longer exists), with
        the players the world no longer lets in (banned, removed, made private or archived meanwhile)."""
        payload = protocol.encode([{"user_id": user_id, "connection": connection} for user_id, connection in members])
        state: dict[str, Any] | None = await self._scalar(
            "SELECT realtime.rejoin_room(%s, %s::jsonb, %s)", (room[1], payload, room[0])
        )
        if state is None:
            return None, frozenset()
        refused = state.pop("refused", [])
        return protocol.encode(state), frozenset(str(user_id) for user_id in refused)

    async def room_state(self, room: RoomKey) -> str | None:
        """The room's presence_state frame as JSON text (None if the room no longer exists)."""
        state: str | None = await self._scalar("SELECT realtime.room_state(%s, %s)::text", (room[1], room[0]))
        return state

    # Chat

    async def chat_stamp(self, wait: bool = False) -> int | None:
        """Give messages committed since the last call their stream positions; returns the highest position.

        Without wait, None while another bridge is stamping. With wait, every message committed before
        the call is at or below the returned position."""
        head: int | None = await self._scalar("SELECT realtime.chat_stamp(%s)", (wait,))
        return head

    async def chat_head(self) -> int:
        """The highest stream position (0 when there is none): where this bridge's tail starts."""
        head: int = await self._scalar("SELECT realtime.chat_head()", ())
        return int(head)

    async def chat_tail(self, after_position: int, max_rows: int) -> list[StreamEntry]:
        """Stamp what committed since the last stamp, then the stream after after_position, in position order,
        with each message's audience: one round trip."""
        rows = await self._rows(
            "SELECT (e ->> 'position')::bigint, (e ->> 'message_id')::bigint, e -> 'audience',"
            " (e ->> 'agent_service')::boolean, (e -> 'message')::text"
            " FROM jsonb_array_elements(realtime.chat_tail(%s, %s)) AS e",
            (after_position, max_rows),
        )
        return [
            StreamEntry(
                int(position), int(message_id), [u for u in audience or () if isinstance(u, str)], bool(agent), text
            )
            for position, message_id, audience, agent, text in rows
        ]

    async def chat_replay(
        self, user_id: str | None, after_position: int, max_rows: int
    ) -> tuple[int, list[StoredMessage]]:
        """A resume page after a stream position for the user (None: agent_service): (head, messages).

        head is the highest position of the page's snapshot: once a page is not full, the reader has every
        message up to head that it may read."""
        if user_id is None:
            page = await self._scalar("SELECT realtime.agent_chat_replay(%s, %s)::text", (after_position, max_rows))
        else:
            page = await self._scalar(
                "SELECT realtime.chat_replay(%s::uuid, %s, %s)::text", (user_id, after_position, max_rows)
            )
        decoded = json.loads(page)
        messages = [
            StoredMessage(int(item["message"]["id"]), protocol.encode(item["message"]), int(item["position"]))
            for item in decoded["messages"]
        ]
        return int(decoded["head"]), messages

    async def messages_after(self, user_id: str | None, after_id: int, max_rows: int) -> list[StoredMessage]:
        """The old id form of resume: the next page of messages after after_id that the user (None:
        agent_service) may read, in id order."""
        if user_id is None:
            rows = await self._rows(
                "SELECT (m ->> 'id')::bigint, m::text"
                " FROM jsonb_array_elements(realtime.agent_messages_after(%s, %s)) AS m",
                (after_id, max_rows),
            )
        else:
            rows = await self._rows(
                "SELECT (m ->> 'id')::bigint, m::text"
                " FROM jsonb_array_elements(realtime.messages_after(%s::uuid, %s, %s)) AS m",
                (user_id, after_id, max_rows),
            )
        return [StoredMessage(int(mid), text) for mid, text in rows]


async def _fetch(conn: psycopg.AsyncConnection[Any], query: LiteralString, params: Sequence[Any]) -> list[Any]:
    cursor = await conn.execute(query, params)
    return await cursor.fetchall()


async def answer_within(conn: psycopg.AsyncConnection[Any], work: Coroutine[Any, Any, T], timeout: float) -> T:
    """Run work on conn; if the server has not answered after timeout seconds, close conn and fail.

    Cancelling a psycopg query waits for the server to confirm the cancellation, which a dead or hung
    server never does. Closing the connection instead returns at once: the caller gets
    OperationalError, and a pool discards the closed connection.
    """
    task = asyncio.ensure_future(work)
    try:
        done, _ = await asyncio.wait({task}, timeout=timeout)
    except BaseException:
        task.cancel()
        raise
    if done:
        return task.result()
    await conn.close()
    task.cancel()
    with contextlib.suppress(BaseException):
        await task
    raise psycopg.OperationalError(f"the database did not answer within {timeout:g} s")


def api_error(exc: psycopg.Error) -> tuple[str | None, str | None]:
    """The code and fixed message of a database error, as a REST client reads them.

    app.raise_api_error raises SQLSTATE PGRST whose message is PostgREST's JSON error body
    {code, message, details, hint}: the code (PT404, PT401, PT429, ...) is inside it. Any other error
    is its own SQLSTATE and primary message."""
    state, message = exc.sqlstate, exc.diag.message_primary
    if state == "PGRST" and message is not None:
        try:
            body = json.loads(message)
        except ValueError:
            return state, None
        if isinstance(body, dict):
            code, text = body.get("code"), body.get("message")
            return (code if isinstance(code, str) else state), (text if isinstance(text, str) else None)
    return state, message


def sql_error(exc: psycopg.Error) -> tuple[str, str]:
    """The error code and message a client gets for a failed realtime.* call."""
    state, message = api_error(exc)
    detail = message or "the request was refused"
    if state == "PT404":
        return protocol.UNKNOWN_ROOM, detail
    if state == "22023":
        return protocol.INVALID_FIELD, detail
    if state == "PT401":
        return protocol.UNAUTHORIZED, detail
    if state is not None and (state[:2] in {"22", "23", "P0"} or state.startswith("PT4")):
        return protocol.INVALID_FIELD, detail
    return protocol.UNAVAILABLE, "the database is not available right now; try again"
