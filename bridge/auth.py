"""Socket authentication: the HS256 JWTs that the database signs and PostgREST accepts.

Two roles may open a socket:

* ``player``: ``sub`` is the user's uuid; the socket joins rooms, moves, and receives the chat
  messages whose audience names that user.
* ``agent_service``: no ``sub``; the socket receives the messages users send into agent sessions
  (and may resume them), and may not join a room.

``jitsi_service`` tokens open no socket: they authenticate Jitsi's event_sync module on
``POST /jitsi/events/...`` (bridge/jitsi.py), checked by verify_jitsi_token.

Every other role, a missing ``exp``, an expired or forged token is refused. A socket lives no longer
than its token: it is closed with 4401 at ``exp`` (see Client), and the client reconnects with a fresh
token and resumes. A revoked token (api.logout, api.logout_everywhere) is refused with 4401 too, and an
open socket of one is closed with 4401: the database announces revocations on the ``token_revoked``
channel, and the bridge checks its sockets' tokens with ``realtime.revoked_tokens`` as a backstop.
The token itself is never logged or echoed: error messages say what is wrong with it, never what it was.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import jwt
from psycopg.types.json import Jsonb

from .db import Database, answer_within

Role = Literal["player", "agent_service", "jitsi_service"]

ALGORITHMS = ["HS256"]
# Clock skew tolerated between the database that signed the token and this process.
LEEWAY_SECONDS = 5


class AuthError(Exception):
    """The token is missing, malformed, forged, expired or for a role the bridge does not serve."""


@dataclass(frozen=True, slots=True)
class Identity:
    role: Role
    # The player's uuid as text (the form it has in every frame); None for agent_service.
    user_id: str | None
    # The token's exp (seconds since the epoch): the socket is closed with 4401 then.
    expires_at: float
    # The token's session (claim sid; None in a token from before sessions) and revocation generation
    # (claim gen; 0 when absent): what api.logout and api.logout_everywhere revoke.
    session_id: str | None = None
    generation: int = 0

    @property
    def subject(self) -> str:
        """Whose tokens api.logout_everywhere revokes at once: 'user:<uuid>' or 'role:agent_service'."""
        return f"user:{self.user_id}" if self.user_id is not None else f"role:{self.role}"

    def claims(self) -> dict[str, Any]:
        """The claims the database's revocation check reads."""
        claims: dict[str, Any] = {"role": self.role, "gen": self.generation}
        if self.user_id is not None:
            claims["sub"] = self.user_id
        if self.session_id is not None:
            claims["sid"] = self.session_id
        return claims

    def revoked_by(self, notice: object) -> bool:
        """Whether a token_revoked notification ({sid} or {subject, generation}) revokes this token."""
        if not isinstance(notice, dict):
            return False
        sid = notice.get("sid")
        if sid is not None:
            return bool(sid == self.session_id)
        generation = notice.get("generation")
        return (
            notice.get("subject") == self.subject
            and isinstance(generation, int)
            and not isinstance(generation, bool)
            and generation > self.generation
        )


def verify_token(token: object, secret: str) -> Identity:
    """Check the token's signature, expiry and role and return who it speaks for."""
    claims, expires_at, sid, generation = _decode(token, secret)
    role = claims.get("role")
    if role == "agent_service":
        return Identity(
            role="agent_service", user_id=None, expires_at=expires_at, session_id=sid, generation=generation
        )
    if role != "player":
        raise AuthError("the token's role may not use the bridge")
    user_id = _uuid_or_none(claims.get("sub"))
    if user_id is None:
        raise AuthError("a player token needs a uuid in 'sub'")
    return Identity(role="player", user_id=user_id, expires_at=expires_at, session_id=sid, generation=generation)


def verify_jitsi_token(token: object, secret: str) -> Identity:
    """A jitsi_service token (POST /jitsi/events/...): the only role that may post Jitsi events."""
    claims, expires_at, sid, generation = _decode(token, secret)
    if claims.get("role") != "jitsi_service":
        raise AuthError("only a jitsi_service token may post Jitsi events")
    return Identity(role="jitsi_service", user_id=None, expires_at=expires_at, session_id=sid, generation=generation)


def _decode(token: object, secret: str) -> tuple[dict[str, Any], float, str | None, int]:
    """The verified claims, exp, sid and gen of a token, or AuthError saying what is wrong (never what it is)."""
    if not isinstance(token, str) or not token:
        raise AuthError("a token is required")
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            secret,
            algorithms=ALGORITHMS,
            options={"require": ["exp"], "verify_aud": False},
            leeway=LEEWAY_SECONDS,
        )
    except jwt.ExpiredSignatureError:
        raise AuthError("the token has expired") from None
    except jwt.InvalidSignatureError:
        raise AuthError("the token's signature is not valid") from None
    except jwt.MissingRequiredClaimError as exc:
        raise AuthError(f"the token has no {exc.claim!r} claim") from None
    except jwt.InvalidTokenError:
        raise AuthError("the token is not a valid JWT") from None

    # PyJWT has checked that exp is a number and not in the past (beyond the leeway).
    try:
        expires_at = float(claims["exp"])
    except OverflowError:
        expires_at = math.inf  # an integer too large for a float: as good as never
    sid = _uuid_or_none(claims.get("sid"))
    gen = claims.get("gen")
    generation = gen if isinstance(gen, int) and not isinstance(gen, bool) and 0 <= gen < 2**31 else 0
    return claims, expires_at, sid, generation


def _uuid_or_none(value: object) -> str | None:
    try:
        return str(uuid.UUID(value)) if isinstance(value, str) else None
    except ValueError:
        return None


async def revoked(db: Database, identities: Sequence[Identity]) -> set[int]:
    """The positions in `identities` of the tokens that have been revoked (one query for all of them).

    Raises psycopg.Error (or OperationalError after db.timeout) when the database cannot answer."""
    if not identities:
        return set()
    claims = Jsonb([identity.claims() for identity in identities])
    async with db.pool.connection(timeout=db.timeout) as conn:

        async def check() -> set[int]:
            cursor = await conn.execute("SELECT realtime.revoked_tokens(%s)", (claims,))
            row = await cursor.fetchone()
            return set(row[0]) if row is not None and row[0] is not None else set()

        return await answer_within(conn, check(), db.timeout)
