"""The status page as an aiohttp application.

    reader = StatusReader(lambda: Hall(open_database(url), config, clock), workers=8)
    app = make_app(reader, config.status_page, hall_name=config.hall.name)
    web.run_app(app, host=…, port=…)          # or aiohttp's test client in the tests

Routes: ``GET``/``HEAD`` on ``status_page.path`` (``/cx``) with ``?code=``; the JSON variant with
``&format=json`` or ``Accept: application/json``. Every answer, errors included, goes through
:func:`guard` (the rate limit per client, then the handler; any error becomes a Chinese page or
JSON, never a traceback and never the client's input) and gets :data:`web.guard.SECURITY_HEADERS`.

=========  ===========================================================================
200        the ticket's status (:class:`hall.public.PublicStatus`)
400        no code given, or a request aiohttp cannot read
404        any code that is not a ticket's: one body, one set of headers for all
405        a method other than GET or HEAD
429        the client's rate limit spent; ``Retry-After`` says when to come back
503        the database unreachable or slower than ``timeout_seconds``; ``Retry-After``
=========  ===========================================================================

peewee is synchronous, so the reads run in :class:`StatusReader`'s thread pool, each in a
connection of :meth:`hall.Hall.connection` (PostgreSQL: a session kept in the pool). The hall is
opened on first use and again after a failure (at most once a second), so the page starts and
keeps answering 503 while the database is away, and answers again once it is back.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import peewee
from aiohttp import web

from hall.public import PublicLookup, PublicStatus
from web import page
from web.guard import RateLimiter, client_address, retry_after, security_headers

if TYPE_CHECKING:
    from config.status_page import StatusPageSettings
    from hall import Hall

log = logging.getLogger("hall.status_page")

UNAVAILABLE_ERRORS = (peewee.PeeweeException, sqlite3.Error, OSError, TimeoutError)
"""What a read raising means the database is away (503), not a bug (500)."""
SETTINGS = web.AppKey("settings", object)
READER = web.AppKey("reader", object)
LIMITER = web.AppKey("limiter", RateLimiter)
HALL_NAME = web.AppKey("hall_name", str)


class Unavailable(Exception):
    """The hall could not be opened a moment ago: not tried again yet."""


class StatusReader:
    """Public statuses read in a thread pool, the hall opened when first needed."""

    def __init__(self, open_hall: Callable[[], Hall], *, workers: int = 8,
                 retry_seconds: float = 1.0) -> None:
        self._open_hall = open_hall
        self._lookup: tuple[Hall, PublicLookup] | None = None
        self._lock = threading.Lock()
        self._failed_at: float | None = None
        self.retry_seconds = retry_seconds
        self.executor = ThreadPoolExecutor(workers, thread_name_prefix="status-page")

    def ready(self) -> tuple[Hall, PublicLookup]:
        """The hall and its lookup, opening the hall now if it is not yet (in the caller's
        thread); raises what opening raised, or :class:`Unavailable` within a second of that."""
        found = self._lookup
        if found is not None:
            return found
        with self._lock:
            if self._lookup is None:
                failed = self._failed_at
                if failed is not None and time.monotonic() - failed < self.retry_seconds:
                    raise Unavailable
                try:
                    hall = self._open_hall()
                except BaseException:
                    self._failed_at = time.monotonic()
                    raise
                self._lookup = (hall, PublicLookup(hall.desk))
            return self._lookup

    def read(self, code: str) -> PublicStatus | None:
        """The status of ``code`` (None: not a ticket's), in the calling thread."""
        hall, lookup = self.ready()
        with hall.connection():
            return lookup.status(code)

    async def status(self, code: str, timeout: float) -> PublicStatus | None:
        """:meth:`read` in the pool; TimeoutError past ``timeout`` seconds."""
        loop = asyncio.get_running_loop()
        return await asyncio.wait_for(loop.run_in_executor(self.executor, self.read, code),
                                      timeout)

    def close(self) -> None:
        """Stop the pool (reads under way finish in their threads)."""
        self.executor.shutdown(wait=False, cancel_futures=True)


def wants_json(request: web.Request) -> bool:
    """The JSON variant: ``?format=json``, or an Accept header asking for JSON and not HTML."""
    if request.query.get("format") == "json":
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def answer(request: web.Request, status: int, error: str, message: str,
           headers: dict[str, str] | None = None) -> web.Response:
    """An error (or a notice) as the client asked for it: a Chinese page or JSON."""
    extra = dict(headers or {})
    if wants_json(request):
        return web.json_response(page.message_json(error, message), status=status,
                                 headers=extra, dumps=_dumps)
    return web.Response(text=page.message_html(message, hall_name=request.app[HALL_NAME]),
                        status=status, content_type="text/html", charset="utf-8",
                        headers=extra)


def _dumps(data: Any) -> str:
    import json

    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


async def status_page(request: web.Request) -> web.Response:
    """The page (or JSON) of the ticket whose query code is ``?code=``."""
    settings: StatusPageSettings = request.app[SETTINGS]  # type: ignore[assignment]
    reader: StatusReader = request.app[READER]  # type: ignore[assignment]
    code = request.query.get("code", "")
    if not code:
        return answer(request, 400, "no_code", page.NO_CODE)
    try:
        status = await reader.status(code, settings.timeout_seconds)
    except (Unavailable, *UNAVAILABLE_ERRORS) as exc:
        log.warning("status page: database unavailable: %s", type(exc).__name__)
        return answer(request, 503, "unavailable", page.UNAVAILABLE, {"Retry-After": "5"})
    if status is None:
        return answer(request, 404, "not_found", page.NOT_FOUND)
    refresh = settings.refresh_seconds
    if wants_json(request):
        return web.json_response(page.status_json(status, refresh=refresh), dumps=_dumps)
    return web.Response(text=page.status_html(status, hall_name=request.app[HALL_NAME],
                                              refresh=refresh),
                        content_type="text/html", charset="utf-8")


@web.middleware
async def guard(request: web.Request, handler: Any) -> web.StreamResponse:
    """The rate limit per client address, then the handler; errors as Chinese pages."""
    settings: StatusPageSettings = request.app[SETTINGS]  # type: ignore[assignment]
    address = client_address(request.remote, request.headers, settings.trusted_proxies)
    wait = request.app[LIMITER].take(address)
    if wait:
        return answer(request, 429, "rate_limited", page.TOO_MANY,
                      {"Retry-After": retry_after(wait)})
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status == 405:
            return answer(request, 405, "method_not_allowed", page.BAD_METHOD,
                          {"Allow": "GET, HEAD"})
        if exc.status == 404:
            return answer(request, 404, "no_such_page", page.NO_CODE)
        return answer(request, exc.status if 400 <= exc.status < 500 else 400, "bad_request",
                      page.BAD_REQUEST)
    except Exception:
        log.exception("status page: unexpected error")
        return answer(request, 500, "server_error", page.SERVER_ERROR)


async def _headers(request: web.Request, response: web.StreamResponse) -> None:
    """Every answer's security headers (errors included), and Vary: the body follows Accept."""
    response.headers.update(security_headers())
    response.headers["Vary"] = "Accept"


def make_app(reader: StatusReader, settings: StatusPageSettings, *, hall_name: str,
             clock: Callable[[], float] = time.monotonic) -> web.Application:
    """The page's application over ``reader``, as ``settings`` configure it."""
    app = web.Application(middlewares=[guard], client_max_size=4096)
    app[SETTINGS] = settings
    app[READER] = reader
    app[LIMITER] = RateLimiter(settings.rate_limit, settings.rate_period_seconds, clock=clock)
    app[HALL_NAME] = hall_name
    app.router.add_get(settings.path, status_page)
    app.on_response_prepare.append(_headers)

    async def close(_: web.Application) -> None:
        reader.close()

    app.on_cleanup.append(close)
    return app
