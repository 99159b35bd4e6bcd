"""The public web page behind the ticket's QR code: an adapter over :mod:`hall`, beside
:mod:`screens` and :mod:`cli`.

    hall status-page [--host H] [--port P]        # cli.public: serves status_page.path (/cx)

    GET /cx?code=JK7ABCDEFGHJ                     # the page a visitor's phone opens
    GET /cx?code=JK7ABCDEFGHJ&format=json         # the same for a WeChat or SMS integration
    (or Accept: application/json)

The page shows a ticket's number, state, the people ahead while it waits, the window once it is
called, and once its visit has a case (信访事项) the case's number, state and next due date;
never a name, ID number, phone, matter or department (:mod:`hall.public.status` says why).
It is in Chinese, fits a phone, loads nothing from anywhere else (closed networks) and reloads
itself every ``status_page.refresh_seconds``.

- :mod:`web.app`: the aiohttp application, its one route, the error answers, the thread pool
  the database is read in;
- :mod:`web.guard`: the rate limit per client address and the security headers;
- :mod:`web.page`: the HTML and JSON bodies.

Nothing in :mod:`hall`, :mod:`models` or :mod:`config` imports this package or aiohttp
(an import-linter contract in pyproject.toml).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from web.app import StatusReader, make_app

if TYPE_CHECKING:
    from config.status_page import StatusPageSettings

__all__ = ["StatusReader", "make_app", "run"]


def run(reader: StatusReader, settings: StatusPageSettings, *, hall_name: str, host: str,
        port: int, started: Callable[[str], object] = print) -> None:
    """Serve the page on ``host``:``port`` until interrupted (SIGINT, SIGTERM). ``started`` is
    called with one line saying where, once the server listens. No access log: a request's URL
    holds a query code, which is as good as the ticket."""
    from aiohttp import web

    app = make_app(reader, settings, hall_name=hall_name)
    shown = f"[{host}]" if ":" in host else host
    line = f"办理进度查询页已启动：http://{shown}:{port}{settings.path}?code=查询码（Ctrl+C 停止）"
    web.run_app(app, host=host, port=port, access_log=None,
                print=lambda _: started(line), handle_signals=True, shutdown_timeout=5)
