"""Per-client rate limits: token buckets in memory, keyed by a MAC of the client, never its address.

One process, one set of buckets: run one web process per deployment (or put the limits in the
reverse proxy too). The limits are there to make receipt guessing and flooding hopeless, not to
meter honest use.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict


class RateLimiter:
    def __init__(self, capacity: int, per_seconds: float, max_keys: int = 100_000) -> None:
        self.capacity = capacity
        self.rate = capacity / per_seconds
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, key: str, cost: float = 1.0, now: float | None = None) -> bool:
        """Take `cost` tokens from the key's bucket; False when it is empty (refuse the request)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.pop(key, (float(self.capacity), now))
            tokens = min(float(self.capacity), tokens + (now - last) * self.rate)
            allowed = tokens >= cost
            if allowed:
                tokens -= cost
            self._buckets[key] = (tokens, now)
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
            return allowed

    def retry_after(self, key: str) -> int:
        with self._lock:
            tokens, _ = self._buckets.get(key, (float(self.capacity), 0.0))
        return max(1, int((1 - tokens) / self.rate) + 1)
