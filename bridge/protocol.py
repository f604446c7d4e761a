"""The wire protocol: JSON text frames with a ``type``.

Client frames are parsed into frozen, slotted dataclasses here, and nowhere else. Anything that does
not parse raises ProtocolError with one of the error codes below; the connection answers it with an
``error`` frame and keeps serving. Server frames are encoded here too, once, as compact JSON text.

Parsing is strict, because all players' moves of a tick share one SQL call and one value that SQL
cannot take must never reach it: NaN, Infinity and numbers that overflow a float are bad_json, and so
is any string (key or value) with a NUL or a lone surrogate, which PostgreSQL's text and jsonb refuse.
Every field is checked for type and range here. A move's x and y are integers within ±2^31 (a float
with no fraction, such as 3.0, is the same JSON number as 3 and is taken as 3; booleans are not
numbers) and its direction is up, down, left or right; a move that fails these answers invalid_move
with the reason SQL would give (bad_position, bad_direction). Whether a well-formed move is allowed
(inside the room, not too fast) is decided in SQL, so REST and WebSocket agree.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any, Final

# Close codes.
CLOSE_UNAUTHORIZED: Final = 4401  # missing, forged or expired token (also: at exp, and auth frame too late)
CLOSE_TRY_AGAIN_LATER: Final = 1013  # the client fell too far behind: its send queue overflowed
CLOSE_RESUME_FAILED: Final = 1011  # a replay failed midway: reconnect and resume from the last cursor
CLOSE_TOO_BIG: Final = 1009  # sent by the websockets library itself for frames over MAX_FRAME_BYTES
CLOSE_REPLACED: Final = 4409  # the account opened more sockets than BRIDGE_SOCKETS_PER_ACCOUNT: the oldest goes

MAX_FRAME_BYTES: Final = 16 * 1024

# Error codes of {"type":"error","code":...}.
BAD_JSON: Final = "bad_json"  # not JSON, or not a JSON object
BAD_FRAME: Final = "bad_frame"  # a binary frame
UNKNOWN_TYPE: Final = "unknown_type"  # no or an unknown "type"
MISSING_FIELD: Final = "missing_field"  # a required field is absent
INVALID_FIELD: Final = "invalid_field"  # a field has the wrong type or value
INVALID_MOVE: Final = "invalid_move"  # rejected by SQL; "reason" says why
NOT_JOINED: Final = "not_joined"  # status or leave before join
UNKNOWN_ROOM: Final = "unknown_room"  # join of a room that does not exist, or of a world one may not enter
FORBIDDEN: Final = "forbidden"  # the role may not do this (agent_service joining a room)
UNAUTHORIZED: Final = "unauthorized"  # the account behind the token no longer exists
RATE_LIMITED: Final = "rate_limited"  # too many frames (BRIDGE_FRAMES_PER_SECOND), moves in a tick, or status changes
UNAVAILABLE: Final = "unavailable"  # the database could not be reached; try again
BUSY: Final = "busy"  # a resume is still running on this socket; wait for its resumed frame

STATUSES: Final = frozenset({"online", "away", "busy"})
DIRECTIONS: Final = frozenset({"up", "down", "left", "right"})
# x and y must fit PostgreSQL's integer.
COORDINATE_MIN: Final = -(2**31)
COORDINATE_MAX: Final = 2**31 - 1


class ProtocolError(Exception):
    """A frame the server will not act on; becomes an error frame."""

    def __init__(self, code: str, message: str, **extra: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        # More fields of the error frame, e.g. a move's reason.
        self.extra = extra


@dataclass(frozen=True, slots=True)
class Auth:
    token: str


# A room as the bridge keys it: (world slug, room slug). Room slugs are unique only within a world.
RoomKey = tuple[str, str]

# Why a socket got a removed frame: the world's rules no longer let its player be in the room.
REMOVED_REASONS: Final = frozenset({"banned", "removed", "private", "archived", "renamed", "deleted"})

# The frames the database announces on the presence channel, each addressed to a room (world, room) and
# relayed to that room's sockets as they are. meeting_joined and meeting_left (issue 14) carry
# building_id and user_id: a player stepped into or out of a meeting building's zone (or left the room
# or went offline while in it). Any other type is not relayed.
MEETING_FRAMES: Final = frozenset({"meeting_joined", "meeting_left"})
PRESENCE_FRAMES: Final = MEETING_FRAMES | {"player_joined", "player_left", "player_status", "moves", "removed"}


@dataclass(frozen=True, slots=True)
class Join:
    room: str
    # None: the installation's default world (realtime.default_world), as for clients before worlds.
    world: str | None = None


@dataclass(frozen=True, slots=True)
class Move:
    x: int
    y: int
    direction: str


@dataclass(frozen=True, slots=True)
class Status:
    status: str


@dataclass(frozen=True, slots=True)
class Leave:
    pass


@dataclass(frozen=True, slots=True)
class Ping:
    pass


@dataclass(frozen=True, slots=True)
class Resume:
    """Replay the chat a socket missed: after a stream cursor (exact), or after a message id (the old form)."""

    cursor: int | None
    after_message_id: int | None


ClientFrame = Auth | Join | Move | Status | Leave | Ping | Resume

_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    "auth": ("token",),
    "join": ("room",),
    "move": ("x", "y", "direction"),
    "status": ("status",),
    "leave": (),
    "ping": (),
    "resume": (),
}


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("the number overflows")
    return value


def _clean_strings(value: Any) -> bool:
    """Whether every string in value (keys included) is valid Unicode without NUL."""
    if isinstance(value, str):
        if "\x00" in value:
            return False
        try:
            value.encode("utf-8")  # fails on a lone surrogate (JSON \ud800 decodes to one)
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(_clean_strings(k) and _clean_strings(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_clean_strings(v) for v in value)
    return True


def _coordinate(value: Any) -> int | None:
    """value as an x or y: an integer within PostgreSQL's integer range, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    if isinstance(value, int) and COORDINATE_MIN <= value <= COORDINATE_MAX:
        return value
    return None


def _move(data: dict[str, Any]) -> Move:
    x, y = _coordinate(data["x"]), _coordinate(data["y"])
    if x is None or y is None:
        raise ProtocolError(INVALID_MOVE, "x and y must be whole numbers of tiles", reason="bad_position")
    direction = data["direction"]
    if not isinstance(direction, str) or direction not in DIRECTIONS:
        raise ProtocolError(INVALID_MOVE, "direction must be up, down, left or right", reason="bad_direction")
    return Move(x=x, y=y, direction=direction)


def parse_frame(text: str) -> ClientFrame:
    """Parse one client text frame, or raise ProtocolError."""
    try:
        data = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except (ValueError, RecursionError):
        raise ProtocolError(BAD_JSON, "the frame is not valid JSON") from None
    try:
        clean = _clean_strings(data)
    except RecursionError:
        raise ProtocolError(BAD_JSON, "the frame is nested too deeply") from None
    if not clean:
        raise ProtocolError(BAD_JSON, "strings must be valid Unicode, without NUL or lone surrogates")
    if not isinstance(data, dict):
        raise ProtocolError(BAD_JSON, "a frame must be a JSON object with a type")
    kind = data.get("type")
    if not isinstance(kind, str) or kind not in _FIELDS:
        known = ", ".join(sorted(_FIELDS))
        raise ProtocolError(UNKNOWN_TYPE, f"type must be one of {known}")
    for name in _FIELDS[kind]:
        if name not in data:
            raise ProtocolError(MISSING_FIELD, f"a {kind} frame needs {name!r}")

    if kind == "move":
        return _move(data)
    if kind == "join":
        room = data["room"]
        if not isinstance(room, str):
            raise ProtocolError(INVALID_FIELD, "room must be a string: the slug of a room, e.g. town")
        world = data.get("world")
        if world is not None and not isinstance(world, str):
            raise ProtocolError(INVALID_FIELD, "world must be a string: the slug of a world, e.g. ark")
        return Join(room=room, world=world)
    if kind == "status":
        status = data["status"]
        if not isinstance(status, str) or status not in STATUSES:
            raise ProtocolError(INVALID_FIELD, "status must be online, away or busy")
        return Status(status=status)
    if kind == "resume":
        return _resume(data)
    if kind == "auth":
        token = data["token"]
        if not isinstance(token, str):
            raise ProtocolError(INVALID_FIELD, "token must be a string")
        return Auth(token=token)
    if kind == "leave":
        return Leave()
    return Ping()


def _resume(data: dict[str, Any]) -> Resume:
    given = [name for name in ("cursor", "after_message_id") if name in data]
    if len(given) != 1:
        raise ProtocolError(MISSING_FIELD, "a resume frame needs either 'cursor' (exact) or 'after_message_id'")
    value = data[given[0]]
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**63:
        raise ProtocolError(INVALID_FIELD, f"{given[0]} must be an integer >= 0, as the server sent it")
    if given[0] == "cursor":
        return Resume(cursor=value, after_message_id=None)
    return Resume(cursor=None, after_message_id=value)


def encode(value: Any) -> str:
    """A server frame (or any JSON value) as compact JSON text, encoded once and sent as is to every recipient."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def error_frame(code: str, message: str, **extra: Any) -> str:
    return encode({"type": "error", "code": code, "message": message, **extra})


PONG: Final = encode({"type": "pong"})


def welcome_frame(user_id: str | None, role: str, cursor: int | None) -> str:
    return encode({"type": "welcome", "user_id": user_id, "role": role, "cursor": cursor})


def resumed_frame(cursor: int, last_message_id: int | None = None) -> str:
    """The end of a replay: the cursor to resume from next time (and, for the old form, the last message id)."""
    frame: dict[str, Any] = {"type": "resumed", "cursor": cursor}
    if last_message_id is not None:
        frame["last_message_id"] = last_message_id
    return encode(frame)


def chat_frame(cursor: int, message_json: str) -> str:
    """{"type":"chat_message","cursor":N,"message":…} around a message already encoded as JSON text."""
    return '{"type":"chat_message","cursor":' + str(cursor) + ',"message":' + message_json + "}"
