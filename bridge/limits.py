"""Limits that keep one client from costing the others: a token bucket per socket, counters per address.

The limits on what reaches other players (moves, status changes) live in SQL, in the move budget that
REST and every bridge share (app.presence_move, app.presence_set_status). What is counted here is what
costs this process alone: frames read from a socket, and sockets that have not authenticated yet.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable


class TokenBucket:
    """`rate` tokens a second, at most `burst` saved up; take() spends one if there is one."""

    __slots__ = ("rate", "burst", "_tokens", "_at", "_clock")

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._tokens = float(burst)
        self._at = clock()

    def take(self) -> bool:
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._at) * self.rate)
        self._at = now
        if self._tokens >= 1:
            self._tokens -= 1
            return True
        return False


class PerAddress:
    """How many sockets each source address has in some state (e.g. waiting to authenticate)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._count: Counter[str] = Counter()

    def enter(self, address: str) -> bool:
        """Count one more for address, unless it is at the limit (then False, and nothing counted)."""
        if self._count[address] >= self.limit:
            return False
        self._count[address] += 1
        return True

    def leave(self, address: str) -> None:
        self._count[address] -= 1
        if self._count[address] <= 0:
            del self._count[address]
