"""One pure ASGI middleware for every request: body-size limit, language, security headers.

The limit holds for every body: one declaring a larger Content-Length is refused before it is
read, and any other (chunked) is counted as it arrives and cut off with the same 413 once it
passes the limit, so no route ever holds more than `max_body` bytes of it.

Pure ASGI (not Starlette's BaseHTTPMiddleware): no extra task and no response re-wrapping per
request, which the intake benchmark showed costs a quarter of a receipt lookup's CPU.
"""

from __future__ import annotations

import json
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from netral.web.i18n import current_language, pick_language

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'",
    ),
]


class NetralMiddleware:
    def __init__(
        self, app: ASGIApp, *, max_body: int, default_language: str, hsts: bool = False
    ) -> None:
        self.app = app
        self.max_body = max_body
        self.default_language = default_language
        # behind TLS (cookie_secure): browsers keep to https for a year
        self.security_headers = SECURITY_HEADERS + (
            [(b"strict-transport-security", b"max-age=31536000; includeSubDomains")] if hsts else []
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        asked = (query.get("lang") or [None])[0]
        cookies = SimpleCookie(headers.get("cookie", ""))
        lang = pick_language(
            asked, cookies["lang"].value if "lang" in cookies else None, self.default_language
        )
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body:
            await self._too_large(send, lang)
            return
        token = current_language.set(lang)
        received = 0
        started = False  # the app's response has begun: too late for a 413
        cut_off = False  # the body passed the cap: the app gets no more of it, nor says anything

        async def receive_counted() -> Message:
            """The request's messages, its body counted as it arrives and cut off past the cap."""
            # a chunked body declares no Content-Length: only counting sees how big it is
            nonlocal received, cut_off
            if cut_off:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    cut_off = True
                    if not started:
                        await self._too_large(send, lang)
                    # the app stops reading as if the client had gone, and holds no more than the
                    # cap; its own answer is dropped below (uvicorn closes an unfinished response)
                    return {"type": "http.disconnect"}
            return message

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if cut_off:
                return
            if message["type"] == "http.response.start":
                started = True
                have = {k.lower() for k, _ in message.get("headers", [])}
                extra: list[Any] = [(k, v) for k, v in self.security_headers if k not in have]
                if asked in ("id", "en"):
                    extra.append(
                        (
                            b"set-cookie",
                            f"lang={lang}; Max-Age=31536000; Path=/; SameSite=lax".encode(),
                        )
                    )
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        try:
            await self.app(scope, receive_counted, send_with_headers)
        except Exception:
            # what fails after the cut (the body parser meeting the "disconnect") is our doing
            if not cut_off:
                raise
        finally:
            current_language.reset(token)

    async def _too_large(self, send: Send, lang: str) -> None:
        mb = self.max_body // (1024 * 1024)
        msg = (
            f"Request too large (limit {mb} MB)."
            if lang == "en"
            else f"Kiriman terlalu besar (batas {mb} MB)."
        )
        body = json.dumps(
            {
                "type": "urn:netral:error:request.too_large",
                "title": msg,
                "status": 413,
                "code": "request.too_large",
                "detail": msg,
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class Admission:
    """At most `limit` requests inside the app at once; the others wait at the door.

    A request holds its pooled database connection from its first query to its end, across
    several hops between the event loop and the thread pool (40 threads). With more requests
    inside than connections, threads wait for connections that requests waiting for a thread
    hold: every process froze until the pool's 30 s timeout under benchmarks/load.py (200 users,
    2 processes). Admitting no more requests than the pool can serve leaves every admitted one
    its connections; the rest wait here, holding nothing. Static files and the health
    check take no connection and pass.
    """

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        import asyncio

        self.app = app
        self.limit = limit
        self.gate = asyncio.Semaphore(limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith("/static/") or path == "/healthz":
            await self.app(scope, receive, send)
            return
        async with self.gate:
            await self.app(scope, receive, send)
