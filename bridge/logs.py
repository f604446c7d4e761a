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
