"""``hall status-page``: the public page behind the ticket's QR code.

    hall status-page [--host H] [--port P]

Serves ``status_page.path`` (``/cx``) of the configuration on ``status_page.host`` and ``port``
(``--host`` / ``--port`` override them) until Ctrl+C or SIGTERM: the page a visitor's phone opens
from the ticket's QR code (``tickets.qr_template``), and its JSON variant (:mod:`web`). Open to
the public, so it signs nobody in and shows nothing personal.

The database is the one ``--db`` / HALL_DB names, as for every command. When it cannot be reached
at the start, or later, the page answers 503 in Chinese and tries again, at most once a second; it
never stops for it. A bad database URL or a broken configuration exits 2 before serving.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from cli.context import Context, UsageError, clock


def cmd_status_page(ctx: Context) -> int:
    """Serve the status page until interrupted."""
    from hall import Hall
    from models import open_database
    from web import StatusReader, run
    from web.app import UNAVAILABLE_ERRORS

    args = ctx.args
    config = ctx.config
    settings = config.status_page
    host = args.host or settings.host
    port = settings.port if args.port is None else args.port
    if not 1 <= port <= 65535:
        raise UsageError(f"--port 应为 1 到 65535 之间的端口号，实际为 {port}")
    url = ctx.database_url
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).expanduser().parent.mkdir(parents=True,
                                                                      exist_ok=True)
    db = open_database(url)  # connects lazily; a URL that can never work exits 2 here
    hall_clock = clock()

    def open_hall() -> Hall:
        return Hall(db, config, hall_clock)

    reader = StatusReader(open_hall, workers=settings.workers)
    try:
        reader.ready()
    except UNAVAILABLE_ERRORS as exc:
        print(f"hall: 数据库暂时无法连接（{str(exc).strip() or type(exc).__name__}）：查询页先答复"
              "“暂时无法查询”（503），连上后自动恢复", file=sys.stderr)
    ctx.succeeded()  # configuration checked: keep its compiled copy for the next start
    try:
        run(reader, settings, hall_name=config.hall.name, host=host, port=port,
            started=lambda line: print(line, flush=True))
    except OSError as exc:  # the port taken, the address not this machine's
        raise UsageError(f"无法在 {host}:{port} 上监听：{exc.strerror or exc}") from None
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``status-page`` to ``hall``'s sub-command parser."""
    p = sub.add_parser("status-page", parents=[common], help="二维码背后的办理进度查询页（网页）")
    p.add_argument("--host", help="监听地址（默认取配置 status_page.host）")
    p.add_argument("--port", type=int, help="监听端口（默认取配置 status_page.port）")
    p.set_defaults(func=cmd_status_page)
