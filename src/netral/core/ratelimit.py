"""Per-client rate limits with `limits`: keyed by a MAC of the client, never its address.

In memory by default (one process sees its own count); on Redis when `NETRAL_REDIS_URL` is set,
so every web process on every machine counts against the same window. The limits are there to
make receipt guessing and flooding hopeless, not to meter honest use. Sign-in lockouts do not
live here: they count the attempts stored in the database (`core.security`), shared already.
"""

from __future__ import annotations

import logging
import math
import time

from limits import RateLimitItemPerSecond
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

log = logging.getLogger(__name__)


def storage_for(redis_url: str) -> Storage:
    """Redis when a URL is given (shared by every process), memory otherwise."""
    storage = storage_from_string(redis_url or "memory://")
    assert isinstance(storage, Storage)  # a redis:// or memory:// URL: never the async kind
    return storage


class RateLimiter:
    """`capacity` requests per `per_seconds` for each key, over a moving window."""

    def __init__(
        self,
        capacity: int,
        per_seconds: float,
        *,
        name: str = "limit",
        storage: Storage | None = None,
    ) -> None:
        self.capacity = capacity
        self.per_seconds = per_seconds
        self.name = name
        self.item = RateLimitItemPerSecond(capacity, max(1, round(per_seconds)), namespace="netral")
        self.storage = storage or storage_for("")
        # exact (a list of the last `capacity` hit times per key): the sliding-window counter
        # weighs the previous window and lets a burst across a window boundary through
        self.strategy = MovingWindowRateLimiter(self.storage)

    def hit(self, key: str) -> bool:
        """Count one request; False when the key is over its limit (refuse the request).

        If the shared store cannot be reached the request is let through and the fault logged:
        a Redis outage must not turn away every report (the proxy's limits still hold).
        """
        try:
            return self.strategy.hit(self.item, self.name, key)
        except Exception as exc:
            log.warning("rate limit store unreachable, %s not counted: %s", self.name, exc)
            return True

    def retry_after(self, key: str) -> int:
        """Whole seconds until the key may try again (for the Retry-After header)."""
        try:
            reset_at, _remaining = self.strategy.get_window_stats(self.item, self.name, key)
        except Exception:
            return 1
        return max(1, math.ceil(reset_at - time.time()))

    def clear(self, key: str) -> None:
        self.strategy.clear(self.item, self.name, key)
