"""Settings from the environment (or a .env file), read once at startup through starlette.config."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from starlette.config import Config
from starlette.datastructures import Secret


class ConfigError(RuntimeError):
    """A required setting is missing or a value is out of range; the message names it."""


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: Secret
    jwt_secret: Secret
    host: str = "127.0.0.1"
    port: int = 8080
    # A closed socket's player stays visible this long, so a reconnect does not flicker.
    grace_seconds: float = 10.0
    # Moves are buffered and applied with one realtime.apply_moves call per tick.
    tick_ms: int = 50
    # Frames a client may have waiting; a client that falls this far behind is closed with 1013.
    send_queue: int = 256
    # How often this bridge runs realtime.sweep, and its thresholds.
    sweep_seconds: float = 5.0
    away_seconds: float = 60.0
    offline_seconds: float = 120.0
    # How long a socket without ?token= has to send its auth frame.
    auth_timeout: float = 5.0
    # Heartbeat for this process's joined players (realtime.touch).
    touch_seconds: float = 15.0
    # Size of the connection pool for everything but the listener.
    pool_size: int = 4
    # A realtime.* call that has not answered after this long fails (and its connection is dropped).
    db_timeout: float = 10.0
    # The listener proves its connection alive after this many quiet seconds.
    listener_keepalive: float = 10.0
    # Frames a socket may send: a token bucket of this many a second, saved up to the burst. Beyond it
    # a frame is dropped and answered rate_limited. A client walking at 10 moves/s with pings is far below.
    frames_per_second: float = 50.0
    frame_burst: int = 200
    # Sockets one account may have open on this bridge; one more closes the oldest with 4409.
    sockets_per_account: int = 5
    # Sockets from one address that are still waiting for their auth frame; more are refused (HTTP 403).
    handshakes_per_address: int = 16
    log_level: str = "info"
    # A log line that repeats (the same cause, e.g. a failing move every tick) goes out once per this long.
    log_repeat_seconds: float = 10.0

    def __post_init__(self) -> None:
        if not str(self.database_url):
            raise ConfigError("BRIDGE_DATABASE_URL is empty")
        if len(str(self.jwt_secret)) < 32:
            raise ConfigError("JWT_SECRET must be at least 32 characters (PostgREST refuses shorter ones)")
        checks = {
            "BRIDGE_PORT": 0 < self.port < 65536,
            "BRIDGE_GRACE_SECONDS": self.grace_seconds >= 0,
            "BRIDGE_TICK_MS": 1 <= self.tick_ms <= 10_000,
            "BRIDGE_SEND_QUEUE": self.send_queue >= 1,
            "BRIDGE_SWEEP_SECONDS": self.sweep_seconds > 0,
            "BRIDGE_AWAY_SECONDS": self.away_seconds > 0,
            "BRIDGE_OFFLINE_SECONDS": self.offline_seconds > 0,
            "BRIDGE_AUTH_TIMEOUT": self.auth_timeout > 0,
            "BRIDGE_TOUCH_SECONDS": self.touch_seconds > 0,
            "BRIDGE_POOL_SIZE": self.pool_size >= 1,
            "BRIDGE_DB_TIMEOUT": self.db_timeout > 0,
            "BRIDGE_LISTENER_KEEPALIVE": self.listener_keepalive > 0,
            "BRIDGE_FRAMES_PER_SECOND": 0 < self.frames_per_second <= 100_000,
            "BRIDGE_FRAME_BURST": 1 <= self.frame_burst <= 100_000,
            "BRIDGE_SOCKETS_PER_ACCOUNT": 1 <= self.sockets_per_account <= 1000,
            "BRIDGE_HANDSHAKES_PER_ADDRESS": 1 <= self.handshakes_per_address <= 100_000,
            "BRIDGE_LOG_REPEAT_SECONDS": 0 <= self.log_repeat_seconds <= 3600,
        }
        for name, ok in checks.items():
            if not ok:
                raise ConfigError(f"{name} is out of range")


def load_settings(environ: Mapping[str, str] | None = None, env_file: str | None = None) -> Settings:
    """Read Settings from environ (default: os.environ) and, if given, an env file.

    Required: BRIDGE_DATABASE_URL (the `bridge` role's URL) and JWT_SECRET. Both are Secrets, so
    neither shows in a repr or a log line.
    """
    config = Config(env_file, environ=os.environ if environ is None else environ)
    for name in ("BRIDGE_DATABASE_URL", "JWT_SECRET"):
        if config(name, default=None) is None:
            raise ConfigError(f"{name} is required")
    database_url = config("BRIDGE_DATABASE_URL", cast=Secret)
    jwt_secret = config("JWT_SECRET", cast=Secret)
    try:
        return Settings(
            database_url=database_url,
            jwt_secret=jwt_secret,
            host=config("BRIDGE_HOST", default="127.0.0.1"),
            port=config("BRIDGE_PORT", cast=int, default=8080),
            grace_seconds=config("BRIDGE_GRACE_SECONDS", cast=float, default=10.0),
            tick_ms=config("BRIDGE_TICK_MS", cast=int, default=50),
            send_queue=config("BRIDGE_SEND_QUEUE", cast=int, default=256),
            sweep_seconds=config("BRIDGE_SWEEP_SECONDS", cast=float, default=5.0),
            away_seconds=config("BRIDGE_AWAY_SECONDS", cast=float, default=60.0),
            offline_seconds=config("BRIDGE_OFFLINE_SECONDS", cast=float, default=120.0),
            auth_timeout=config("BRIDGE_AUTH_TIMEOUT", cast=float, default=5.0),
            touch_seconds=config("BRIDGE_TOUCH_SECONDS", cast=float, default=15.0),
            pool_size=config("BRIDGE_POOL_SIZE", cast=int, default=4),
            db_timeout=config("BRIDGE_DB_TIMEOUT", cast=float, default=10.0),
            listener_keepalive=config("BRIDGE_LISTENER_KEEPALIVE", cast=float, default=10.0),
            frames_per_second=config("BRIDGE_FRAMES_PER_SECOND", cast=float, default=50.0),
            frame_burst=config("BRIDGE_FRAME_BURST", cast=int, default=200),
            sockets_per_account=config("BRIDGE_SOCKETS_PER_ACCOUNT", cast=int, default=5),
            handshakes_per_address=config("BRIDGE_HANDSHAKES_PER_ADDRESS", cast=int, default=16),
            log_level=config("BRIDGE_LOG_LEVEL", default="info").lower(),
            log_repeat_seconds=config("BRIDGE_LOG_REPEAT_SECONDS", cast=float, default=10.0),
        )
    except ValueError as exc:
        # starlette.config names the variable in its message ("Config 'X' has value 'y'. Not a valid int.").
        raise ConfigError(str(exc)) from None
