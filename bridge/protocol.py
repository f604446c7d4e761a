"""The wire protocol: JSON text frames with a ``type``.

Client frames are parsed into frozen, slotted dataclasses here, and nowhere else. Anything that does
not parse raises ProtocolError with one of the error codes below; the connection answers it with an
``error`` frame and keeps serving. Server frames are encoded here too, once, as compact JSON text.

Moves are checked only for shape: whether x, y and direction are acceptable is decided in SQL
(realtime.apply_moves), so the REST and WebSocket paths accept and reject exactly the same moves.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Final

# Close codes.
CLOSE_UNAUTHORIZED: Final = 4401  # missing, forged or expired token (also: at exp, and auth frame too late)
CLOSE_TRY_AGAIN_LATER: Final = 1013  # the client fell too far behind: its send queue overflowed
CLOSE_TOO_BIG: Final = 1009  # sent by the websockets library itself for frames over MAX_FRAME_BYTES

MAX_FRAME_BYTES: Final = 16 * 1024

# Error codes of {"type":"error","code":...}.
BAD_JSON: Final = "bad_json"  # not JSON, or not a JSON object
BAD_FRAME: Final = "bad_frame"  # a binary frame
UNKNOWN_TYPE: Final = "unknown_type"  # no or an unknown "type"
MISSING_FIELD: Final = "missing_field"  # a required field is absent
INVALID_FIELD: Final = "invalid_field"  # a field has the wrong type or value
INVALID_MOVE: Final = "invalid_move"  # rejected by SQL; "reason" says why
NOT_JOINED: Final = "not_joined"  # status or leave before join
UNKNOWN_ROOM: Final = "unknown_room"  # join with a slug that names no room
FORBIDDEN: Final = "forbidden"  # the role may not do this (agent_service joining a room)
UNAUTHORIZED: Final = "unauthorized"  # the account behind the token no longer exists
RATE_LIMITED: Final = "rate_limited"  # too many moves in one tick
UNAVAILABLE: Final = "unavailable"  # the database could not be reached; try again
BUSY: Final = "busy"  # a resume is still running on this socket; wait for its resumed frame

STATUSES: Final = frozenset({"online", "away", "busy"})


class ProtocolError(Exception):
    """A frame the server will not act on; becomes an error frame."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Auth:
    token: str


@dataclass(frozen=True, slots=True)
class Join:
    room: str


@dataclass(frozen=True, slots=True)
class Move:
    # Passed to SQL as they came (any JSON value): SQL answers bad_position or bad_direction.
    x: Any
    y: Any
    direction: Any


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


def parse_frame(text: str) -> ClientFrame:
    """Parse one client text frame, or raise ProtocolError."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise ProtocolError(BAD_JSON, "the frame is not valid JSON") from None
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
        return Move(x=data["x"], y=data["y"], direction=data["direction"])
    if kind == "join":
        room = data["room"]
        if not isinstance(room, str):
            raise ProtocolError(INVALID_FIELD, "room must be a string: the slug of a room, e.g. town")
        return Join(room=room)
    if kind == "status":
        status = data["status"]
        if status not in STATUSES:
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
