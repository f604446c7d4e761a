"""Socket authentication: the HS256 JWTs that the database signs and PostgREST accepts.

Two roles may open a socket:

* ``player``: ``sub`` is the user's uuid; the socket joins rooms, moves, and receives the chat
  messages whose audience names that user.
* ``agent_service``: no ``sub``; the socket receives the messages users send into agent sessions
  (and may resume them), and may not join a room.

Every other role, a missing ``exp``, an expired or forged token is refused. A socket lives no longer
than its token: it is closed with 4401 at ``exp`` (see Client), and the client reconnects with a fresh
token and resumes. The token itself is never logged or echoed: error messages say what is wrong with
it, never what it was.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from typing import Any, Literal

import jwt

Role = Literal["player", "agent_service"]

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


def verify_token(token: object, secret: str) -> Identity:
    """Check the token's signature, expiry and role and return who it speaks for."""
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
    role = claims.get("role")
    if role == "agent_service":
        return Identity(role="agent_service", user_id=None, expires_at=expires_at)
    if role != "player":
        raise AuthError("the token's role may not use the bridge")
    sub = claims.get("sub")
    try:
        user_id = str(uuid.UUID(sub)) if isinstance(sub, str) else None
    except ValueError:
        user_id = None
    if user_id is None:
        raise AuthError("a player token needs a uuid in 'sub'")
    return Identity(role="player", user_id=user_id, expires_at=expires_at)
