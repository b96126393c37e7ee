"""Per-client rate limits: a token bucket per (user, address), in this process.

Limits of the design, on purpose simple: the counters live in memory (a restart resets
them; several `pairs serve` processes each count on their own); the address is the one
uvicorn sees, so behind a reverse proxy every client shares the proxy's address unless the
proxy sends X-Forwarded-For and uvicorn trusts it (it trusts 127.0.0.1 by default); with
accounts, a shared login still gets one bucket per address."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

MAX_CLIENTS = 10_000  # buckets kept; the least recently seen are forgotten first


@dataclass
class TokenBucket:
    capacity: float
    per_second: float
    tokens: float
    updated: float

    def take(self, now: float) -> float:
        """0 when a token was taken, else the seconds to wait for one."""
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.per_second)
        self.updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.per_second


class RateLimiter:
    """`per_minute` requests a minute per key, `burst` at once; per_minute 0 = no limit."""

    def __init__(self, per_minute: int, burst: int, clock: Callable[[], float] = time.monotonic):
        self.per_minute, self.burst, self.clock = per_minute, max(1, burst), clock
        self._buckets: OrderedDict[str, TokenBucket] = OrderedDict()
        self._lock = threading.Lock()

    def wait(self, key: str) -> float:
        """0 when `key` may go on now, else how many seconds it must wait."""
        if self.per_minute <= 0:
            return 0.0
        now = self.clock()
        with self._lock:
            bucket = self._buckets.pop(key, None) or TokenBucket(self.burst, self.per_minute / 60.0, self.burst, now)
            self._buckets[key] = bucket
            while len(self._buckets) > MAX_CLIENTS:
                self._buckets.popitem(last=False)
            return bucket.take(now)


def too_many(seconds: float) -> str:
    return f"Trop de demandes en peu de temps : réessayez dans {max(1, math.ceil(seconds))} s."
