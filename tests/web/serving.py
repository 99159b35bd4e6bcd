"""The status page served by aiohttp's test server over a test's hall, and scenes built through
the facade (issue at the desk, call, start, finish at a window)."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from hall import Hall
from tests.helpers import distinct_id, form
from web import StatusReader, make_app
from web.guard import SECURITY_HEADERS

WINDOW = {"wages": (7, "win07"), "report": (11, "win11")}
"""Category → the window (and its clerk) that calls its tickets in the shipped hall."""
_ids = itertools.count(500)
HALL_NAME = "江川市联合接访中心"


@asynccontextmanager
async def serving(hall: Hall | None = None, *, opener: Callable[[], Hall] | None = None,
                  clock: Callable[[], float] | None = None, retry_seconds: float = 1.0,
                  **settings: Any) -> AsyncIterator[TestClient]:
    """A client of the page over ``hall`` (or what ``opener`` opens), the shipped
    ``status_page`` settings changed by ``settings``, the rate limiter on ``clock``."""
    from tests.conftest import shipped_config

    reader = StatusReader(opener or (lambda: hall), workers=2,  # type: ignore[arg-type,return-value]
                          retry_seconds=retry_seconds)
    extra = {"clock": clock} if clock is not None else {}
    base = shipped_config().status_page
    app = make_app(reader, base.model_copy(update=settings), hall_name=HALL_NAME, **extra)
    async with TestClient(TestServer(app)) as client:
        yield client


def issue(hall: Hall, category: str = "wages", name: str = "张三") -> Any:
    """A ticket issued at the desk (an IssuedTicket: number, query_code …)."""
    return hall.desk.issue(form(id_number=distinct_id(next(_ids)), category=category, name=name),
                           actor="desk01")


def call(hall: Hall, category: str = "wages") -> int:
    """The category's window calls its next ticket; the window's number."""
    window, clerk = WINDOW[category]
    hall.windows.call_next(window, clerk)
    return window


def finish(hall: Hall, category: str = "wages", outcome: str = "answered") -> Any:
    """The category's window finishes its visit with ``outcome`` (filed: a case)."""
    window, clerk = WINDOW[category]
    return hall.windows.finish_visit(window, outcome, clerk, note="接谈")


def secured(headers: Any) -> bool:
    """Every security header present with its value, and no server version."""
    return all(headers.get(k) == v for k, v in SECURITY_HEADERS.items())
