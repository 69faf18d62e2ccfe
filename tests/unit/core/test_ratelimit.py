"""Rate limits: one count per client key, in memory or shared through Redis by every process."""

from __future__ import annotations

import uuid

from netral.core.ratelimit import RateLimiter, storage_for


def test_memory_limit_refuses_past_capacity_and_says_when_to_retry() -> None:
    limiter = RateLimiter(3, 60, name="t")
    assert [limiter.hit("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.hit("b")  # another client has its own count
    assert 1 <= limiter.retry_after("a") <= 60


def test_two_processes_on_redis_share_one_count(redis_url: str) -> None:
    # two limiters with their own connections stand for two web processes (or machines)
    first = RateLimiter(4, 60, name="receipt", storage=storage_for(redis_url))
    second = RateLimiter(4, 60, name="receipt", storage=storage_for(redis_url))
    key = uuid.uuid4().hex
    assert [first.hit(key), second.hit(key), first.hit(key), second.hit(key)] == [True] * 4
    assert not first.hit(key) and not second.hit(key)
    assert 1 <= second.retry_after(key) <= 60
    # the limits are apart per name: submissions do not eat the lookups' allowance
    assert RateLimiter(4, 60, name="submit", storage=storage_for(redis_url)).hit(key)


def test_redis_keys_never_hold_the_client_address(redis_url: str) -> None:
    import redis

    from netral.core.crypto import keyring

    mac = keyring().mac("client:203.0.113.9")
    RateLimiter(2, 60, name="submit", storage=storage_for(redis_url)).hit(mac)
    keys = [k.decode() for k in redis.Redis.from_url(redis_url).keys("*")]
    assert keys and all("203.0.113.9" not in k for k in keys)
    assert any(mac in k for k in keys)


def test_an_unreachable_store_lets_requests_through() -> None:
    # a Redis outage must not turn every reporter away: counted as allowed, and logged
    limiter = RateLimiter(1, 60, name="t", storage=storage_for("redis://127.0.0.1:1/0"))
    assert limiter.hit("a") and limiter.hit("a")
    assert limiter.retry_after("a") == 1
