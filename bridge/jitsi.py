"""POST /jitsi/events/<event path>: Jitsi's event_sync module, relayed to the database.

event_sync posts each event to ``${api_prefix}/events/room/created`` (and room/destroyed,
occupant/joined, occupant/left) with its JSON body and the headers of ``api_headers``. PostgREST cannot
serve those paths, so with ``api_prefix`` set to this bridge's ``/jitsi`` the bridge takes them: it
checks ``Authorization: Bearer <jitsi_service token>`` (signature, expiry, role, revocation) and calls
realtime.jitsi_event(event, body), the same SQL as ``POST /rpc/jitsi_event``. Recording is idempotent
there, so event_sync's retries count once.

Answers: 200 with {event, recorded, ignored} (a room no meeting stands for is ignored, not refused, so
event_sync does not retry it); 401 for a missing, bad, expired, revoked or non-jitsi_service token; 404
for any other path; 400 for a body that is not a JSON object or an event SQL refuses; 413 for a body
over 256 KiB; 503 when the database cannot answer (event_sync retries those). Neither the token nor
the body is ever logged.
"""

from __future__ import annotations

import json
import logging
from typing import Final

import psycopg
from starlette.requests import Request
from starlette.responses import JSONResponse

from .auth import AuthError, revoked, verify_jitsi_token
from .db import Database, api_error
from .logs import LogLimiter, describe

logger = logging.getLogger(__package__)

EVENTS: Final = frozenset({"room/created", "room/destroyed", "occupant/joined", "occupant/left"})
MAX_BODY_BYTES: Final = 256 * 1024
UNAUTHORIZED_HEADERS: Final = {"WWW-Authenticate": 'Bearer realm="jitsi"'}


def _error(status: int, code: str, message: str) -> JSONResponse:
    headers = UNAUTHORIZED_HEADERS if status == 401 else None
    return JSONResponse({"code": code, "message": message}, status_code=status, headers=headers)


class JitsiEvents:
    """The route's handler, with what it needs: the database and the JWT secret."""

    def __init__(self, db: Database, jwt_secret: str, log: LogLimiter) -> None:
        self._db = db
        self._secret = jwt_secret
        self._log = log

    async def handle(self, request: Request) -> JSONResponse:
        event = request.path_params.get("event", "")
        if event not in EVENTS:
            return _error(404, "unknown_event", "no such event: " + ", ".join(sorted(EVENTS)))
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return _error(401, "unauthorized", "send Authorization: Bearer <jitsi_service token>")
        try:
            identity = verify_jitsi_token(token.strip(), self._secret)
        except AuthError as exc:
            logger.info("jitsi: refused an event: %s", exc)
            return _error(401, "unauthorized", str(exc))
        body = await self._body(request)
        if isinstance(body, JSONResponse):
            return body
        try:
            if await revoked(self._db, [identity]):
                logger.info("jitsi: refused an event: its token has been revoked")
                return _error(401, "unauthorized", "the token has been revoked")
            result = await self._db.jitsi_event(event, body)
        except psycopg.Error as exc:
            state, message = api_error(exc)
            if state is not None and state[:2] in {"22", "23"}:
                return _error(400, state, message or "the event was refused")
            self._log.warning("jitsi event", "jitsi: recording an event failed: %s", describe(exc))
            return _error(503, "unavailable", "the database is not available right now; try again")
        if isinstance(result, dict) and result.get("ignored") == "unknown_room":
            logger.warning("jitsi: an event for a Jitsi room of no meeting building was ignored")
        return JSONResponse(result)

    async def _body(self, request: Request) -> str | JSONResponse:
        """The body as JSON text of an object, or the error response."""
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                return _error(413, "too_large", "an event body is at most 256 KiB")
            chunks.append(chunk)
        try:
            payload = json.loads(b"".join(chunks))
        except (ValueError, RecursionError):
            return _error(400, "bad_json", "the body must be the JSON object event_sync posts")
        if not isinstance(payload, dict):
            return _error(400, "bad_json", "the body must be the JSON object event_sync posts")
        try:
            # As jsonb will take it: no NUL, no lone surrogates (json.dumps escapes them; PostgreSQL refuses).
            text = json.dumps(payload, ensure_ascii=False, allow_nan=False)
            text.encode("utf-8")
        except (ValueError, UnicodeEncodeError):
            return _error(400, "bad_json", "the body must be the JSON object event_sync posts")
        if "\\u0000" in text:
            return _error(400, "bad_json", "strings must not contain NUL")
        return text
