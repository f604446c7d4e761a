"""The ArkAgentic WebSocket bridge.

A Starlette app on uvicorn that authenticates sockets with the same JWTs PostgREST accepts, forwards
presence and chat events that PostgreSQL announces with NOTIFY, and writes presence through the
`realtime` functions. PostgreSQL stays the single source of truth: the bridge holds only sockets,
send queues and a few timers, so any number of bridges can serve one database.
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
