"""Logging for the bridge process: one format for uvicorn and the bridge, and no token in any line.

uvicorn's access log is off (see __main__), but uvicorn still logs a WebSocket handshake with its
path *and query string* (``"WebSocket /ws?token=…" [accepted]``). The formatter below therefore
redacts the whole formatted record, traceback included: any ``token=`` value and anything shaped
like a JWT becomes ``[redacted]``. The bridge's own code never logs a frame or a token in the first
place; this is the net under it.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from typing import Any

_QUERY_TOKEN = re.compile(r"((?:^|[?&\s\"'])(?:access_)?token=)[^&\s\"']*", re.IGNORECASE)
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")


def redact(text: str) -> str:
    return _JWT.sub("[redacted]", _QUERY_TOKEN.sub(r"\1[redacted]", text))


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
