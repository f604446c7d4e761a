"""Logging for the bridge process: one format for uvicorn and the bridge, and no token in any line.

uvicorn's access log is off (see __main__), but uvicorn still logs a WebSocket handshake with its
path *and query string* (``"WebSocket /ws?token=…" [accepted]``). The formatter below therefore
redacts the whole formatted record, traceback included: the value of any query parameter whose
percent-decoded name is ``token`` (as the bridge itself decodes it: ``?tok%65n=`` is ``?token=``), any
plain ``token=`` value, and anything that is a JWT once percent-decoded (``%2E`` for the dots) becomes
``[redacted]``. The bridge's own code never logs a frame or a token in the first
place; this is the net under it.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_plus

# A query string in a log line: from a '?' to the next whitespace or quote.
_QUERY = re.compile(r"\?([^\s\"'<>]*)")
# token=… anywhere else (a frame echoed in an error, a header-like text), in plain form.
_PLAIN_TOKEN = re.compile(r"((?:^|[?&;\s\"'])(?:access_)?token=)[^&;\s\"']*", re.IGNORECASE)
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
# A run of characters that could hold an encoded JWT: percent escapes included.
_RUN = re.compile(r"[^\s\"'<>&?=;,]+")
_SECRET_NAMES = frozenset({"token", "access_token"})
_REDACTED = "[redacted]"


def _decoded(text: str) -> str:
    """text percent-decoded (with + as a space) until it no longer changes, at most three times."""
    for _ in range(3):
        decoded = unquote_plus(text)
        if decoded == text:
            break
        text = decoded
    return text


def _redact_query(match: re.Match[str]) -> str:
    """A query string with the value of every parameter whose decoded name is token redacted.

    It is split the way the bridge reads it (Starlette: parse_qsl, '&' between pairs, names and values
    percent-decoded, + as a space), so ?tok%65n=… is a token here exactly as it is to the bridge."""
    pairs = []
    for pair in match.group(1).split("&"):
        name, eq, value = pair.partition("=")
        if eq and value and _decoded(name).strip().lower() in _SECRET_NAMES:
            value = _REDACTED
        pairs.append(f"{name}{eq}{value}")
    return "?" + "&".join(pairs)


def _redact_encoded_jwt(match: re.Match[str]) -> str:
    run = match.group(0)
    return _REDACTED if _JWT.search(_decoded(run)) else run


def redact(text: str) -> str:
    """text with every token value and anything that decodes to a JWT replaced by [redacted]."""
    text = _QUERY.sub(_redact_query, text)
    text = _PLAIN_TOKEN.sub(r"\1" + _REDACTED, text)
    text = _JWT.sub(_REDACTED, text)
    # Last, what only decoding reveals: eyJ…%2E…%2E… or %65yJ… in a path or a value.
    return _RUN.sub(_redact_encoded_jwt, text) if "%" in text or "+" in text else text


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def log_config(level: str = "info") -> dict[str, Any]:
    """A logging.config.dictConfig for uvicorn.run(log_config=…)."""
    upper = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "redacting": {
                "()": f"{__name__}.RedactingFormatter",
                "fmt": "%(asctime)s %(levelname)-7s %(name)s: %(message)s",
            },
        },
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "redacting", "stream": "ext://sys.stderr"},
        },
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": upper, "propagate": False},
            "uvicorn.error": {"level": upper},
            # Off as well as unused: request lines may carry ?token=.
            "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
            "bridge": {"handlers": ["stderr"], "level": upper, "propagate": False},
            "psycopg": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
            "psycopg.pool": {"level": "WARNING"},
        },
        "root": {"handlers": ["stderr"], "level": "WARNING"},
    }


class LogLimiter:
    """At most one log line per cause per interval, so a failure that repeats every tick cannot flood the log.

    The first line of a cause goes out at once; repeats within `interval` seconds are only counted, and
    the next line of that cause after the interval says how many were suppressed. No traceback is ever
    attached: a line names the exception type and its first line, which is what tells causes apart.
    """

    def __init__(
        self, logger: logging.Logger, interval: float = 10.0, clock: Callable[[], float] | None = None
    ) -> None:
        self._logger = logger
        self._interval = interval
        self._clock = clock or time.monotonic
        # cause -> (when its last line went out, lines suppressed since)
        self._seen: dict[str, tuple[float, int]] = {}

    def log(self, level: int, cause: str, message: str, *args: object, traceback: BaseException | None = None) -> None:
        now = self._clock()
        last = self._seen.get(cause)
        if last is not None and now - last[0] < self._interval:
            self._seen[cause] = (last[0], last[1] + 1)
            return
        suppressed = last[1] if last is not None else 0
        self._seen[cause] = (now, 0)
        if len(self._seen) > 1000:
            # Causes come from a closed set of places and exception types; this only bounds a surprise.
            self._seen = {cause: self._seen[cause]}
        if last is not None and suppressed:
            message += f" ({suppressed} more like this in the last {now - last[0]:.0f} s)"
        # A traceback only for the unexpected (a bug), and then only with the line that goes out.
        self._logger.log(level, message, *args, exc_info=traceback)

    def warning(self, cause: str, message: str, *args: object) -> None:
        self.log(logging.WARNING, cause, message, *args)


def describe(exc: BaseException) -> str:
    """An exception as one short line: its type and the first line of its message."""
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0][:200]}" if lines else type(exc).__name__
