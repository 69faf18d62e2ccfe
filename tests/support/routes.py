"""Every endpoint route of the app, with its effective path.

FastAPI 0.16x keeps an included router as one entry of `app.routes` (resolved when a request
comes in), so walking `app.routes` for `APIRoute`s finds only the app's own few routes and a test
built on that walk checks nothing. `iter_route_contexts` yields each route as served: its
prefixed path, methods, endpoint and dependant.
"""

from __future__ import annotations

from typing import Any

from fastapi.routing import APIRoute, iter_route_contexts


def app_routes(app: Any) -> list[Any]:
    """Every endpoint route (`APIRoute`) of `app` as served, prefixes included."""
    return [c for c in iter_route_contexts(app.routes) if isinstance(c.original_route, APIRoute)]
