"""Admission: no more requests inside the app than its limit; the others wait and then pass."""

import asyncio

from netral.web.middleware import Admission


def test_no_more_requests_inside_than_the_limit_and_every_one_is_served():
    inside = 0
    most = 0
    served = []

    async def app(scope, receive, send):
        nonlocal inside, most
        inside += 1
        most = max(most, inside)
        await asyncio.sleep(0.01)
        inside -= 1
        served.append(scope["path"])

    async def run() -> None:
        gate = Admission(app, limit=3)
        paths = [f"/laporan/{k}" for k in range(20)] + ["/healthz", "/static/app.css"]
        await asyncio.gather(*(gate({"type": "http", "path": p}, None, None) for p in paths))

    asyncio.run(run())
    assert len(served) == 22
    # 20 gated requests, at most 3 at once; the health check and static files are not counted
    # against the limit but may overlap with it
    assert 3 <= most <= 5


def test_a_limit_of_one_serves_one_at_a_time():
    order = []

    async def app(scope, receive, send):
        order.append(("in", scope["path"]))
        await asyncio.sleep(0.005)
        order.append(("out", scope["path"]))

    async def run() -> None:
        gate = Admission(app, limit=1)
        await asyncio.gather(
            *(gate({"type": "http", "path": f"/p{k}"}, None, None) for k in range(4))
        )

    asyncio.run(run())
    assert [kind for kind, _ in order] == ["in", "out"] * 4
