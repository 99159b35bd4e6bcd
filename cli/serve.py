"""``hall serve``: the hall's screens in a browser, through textual-serve.

    hall serve [--host H] [--port P] [--public-url URL] [--max-tabs N] [ROLE [WINDOW]]

Serves a page on ``--host`` (default 127.0.0.1) and ``--port`` (default 8000) until Ctrl+C or
SIGTERM. Each browser tab that opens it starts its own ``hall`` terminal screen on the server
(the launcher, or ``ROLE``: desk, board, window [N], leaders, incidents, cases, stats) with the
same configuration (``--config`` / HALL_CONFIG), database (``--db`` / HALL_DB) and data
directory (HALL_DATA) as this command, shown in the page by xterm.js.

Nobody is signed in by the server: HALL_TOKEN, HALL_STAFF and HALL_PASSWORD are taken out of the
environment before any tab starts, so every tab opens on the login dialog and the person at the
browser signs in with their own account (``--staff`` is refused for the same reason). A ticket
saved at the desk (F6) or an export of the statistics screen is sent to the browser as a
download, not written on the server.

The page loads nothing from the internet (halls run on closed networks): textual-serve's own
page asks Google for its font, so ours (:data:`PAGE`) serves Roboto Mono from textual-serve's
package and the Chinese font installed with the project (WenQuanYi Micro Hei), so Chinese shows
on a browser machine that has no Chinese font of its own.

Each tab is a process of its own on the server (some 70 MB): at most ``--max-tabs`` (default
:data:`MAX_TABS`) are open at once. One more is refused, not started: the page says so (HTTP
503) and a WebSocket opened anyway is closed at once (code 1013, try again later, with
:data:`TAB_LIMIT_REASON`), so a forgotten reload loop or a crawler cannot fill the server's memory.

A download is the browser's that asked for it: the page sets a random cookie
(:data:`TAB_COOKIE`, HttpOnly, SameSite=Strict), each tab's WebSocket carries it, and a file a
tab sends can be fetched only with that browser's cookie. The download's address alone (in a
proxy's log, a screenshot, another browser) gets "下载已失效" (404), as does a second fetch.

Behind the hall's web server with TLS, give the address browsers use, ``--public-url
https://hall.example.gov.cn``: the page's WebSocket and download addresses are built from it
(see the README).
"""

from __future__ import annotations

import argparse
import contextvars
import hmac
import io
import os
import secrets
import shlex
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

from cli.context import Context, UsageError

ROLES = ("launcher", "desk", "board", "window", "leaders", "incidents", "cases", "stats")
"""What a tab may open: the launcher, or one role's screen (``hall ROLE``)."""

SIGN_IN_VARIABLES = ("HALL_TOKEN", "HALL_STAFF", "HALL_PASSWORD")
"""The environment that would sign a tab in (:func:`main.signed_in_actor`): never passed on."""

MAX_TABS = 24
"""Tabs open at once by default: a hall's windows, desk, board and managers, with room to spare."""


TAB_COOKIE = "hall_tab"
"""The cookie that ties a download to the browser whose tab made it (see the module docstring)."""

_TAB_BROWSER: contextvars.ContextVar[str | None] = contextvars.ContextVar("hall_tab",
                                                                           default=None)
"""The cookie of the browser a WebSocket (and the tab process behind it) serves: set while the
socket is handled, so textual-serve's tasks for that tab, created within it, see it."""

GONE = "下载已失效，请重新保存"
"""What a download's address says once used, unknown, or asked for by another browser."""


TAB_LIMIT_REASON = "同时打开的界面已达上限"
"""The close reason of a WebSocket past the limit (a close frame carries at most 123 bytes)."""


def too_many_tabs(limit: int) -> str:
    """What a tab past the limit is told."""
    return (f"同时打开的界面已达上限（{limit} 个），请关闭不用的标签页后刷新本页；"
            "如需更多，请管理员以 --max-tabs 调整")


CJK_RANGES = ("U+2E80-2FDF, U+3000-303F, U+3190-31FF, U+3400-4DBF, U+4E00-9FFF, "
              "U+F900-FAFF, U+FE30-FE4F, U+FF00-FFEF")
"""Where the page's monospace font hands over to the Chinese font (CJK punctuation, ideographs,
full-width forms)."""

PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{{ title }}</title>
<link rel="stylesheet" href="{{ static }}css/xterm.css">
<style>
@font-face { font-family: "Roboto Mono"; font-weight: 100 700;
  src: url("{{ static }}fonts/RobotoMono-VariableFont_wght.ttf") format("truetype"); }
@font-face { font-family: "Roboto Mono"; font-weight: 100 700;
  src: url("{{ cjk_font }}") format("truetype"); unicode-range: {{ cjk_ranges }}; }
html, body { margin: 0; height: 100%; background: #0c181f; }
#terminal { position: absolute; inset: 0; }
.notice { position: absolute; inset: 0; display: flex; align-items: center;
  justify-content: center; color: #eee; font: 18px "Roboto Mono", sans-serif; z-index: 10; }
body.-first-byte .opening, .closed { display: none; }
body.-closed .closed { display: flex; background: rgba(12, 24, 31, 0.9); }
.textual-terminal { opacity: 0; }
body.-first-byte .textual-terminal { opacity: 1; }
button { margin-left: 1em; padding: 8px 24px; font: inherit; cursor: pointer; }
</style>
<script src="{{ static }}js/textual.js"></script>
<script>
// The board's voice (screens/board/voice.py): the app asks the page to open "hall-speech:…";
// the page speaks the words instead of opening a tab. Other URLs open as before.
(function () {
  const open = window.open.bind(window);
  window.open = function (url, target, features) {
    if (typeof url === "string" && url.indexOf("hall-speech:") === 0) {
      if ("speechSynthesis" in window) {
        const words = new SpeechSynthesisUtterance(decodeURIComponent(url.slice(12)));
        words.lang = "zh-CN";
        window.speechSynthesis.speak(words);
      }
      return null;
    }
    return open(url, target, features);
  };
})();
// textual.js starts the terminal on window.onload and measures the font then: load both faces
// first, so the cells are measured with the real font and Chinese is not drawn as empty boxes.
(function () {
  const boot = window.onload;
  window.onload = function (event) {
    const faces = [document.fonts.load('16px "Roboto Mono"', "M"),
                   document.fonts.load('16px "Roboto Mono"', "中")];
    Promise.allSettled(faces).then(function () { boot.call(window, event); });
  };
})();
</script>
</head>
<body>
<div class="notice opening">正在打开 {{ title }}…</div>
<div class="notice closed">连接已断开。<button type="button"
  onclick="location.reload()">重新打开</button></div>
<div id="terminal" class="textual-terminal" data-session-websocket-url="{{ websocket }}"
  data-font-size="{{ font_size }}"></div>
</body>
</html>
"""
"""The page: textual-serve's, without its Google font link and its English notices."""


def tab_command(role: str, window: int | None) -> str:
    """The command each tab runs: this interpreter's ``hall`` on the role's screen. The
    configuration and database reach it through HALL_CONFIG / HALL_DB (not the command line,
    where ``ps`` would show a database password)."""
    words = [sys.executable, "-m", "main"]
    if role != "launcher":
        words.append(role)
    if window is not None:
        words.append(str(window))
    return shlex.join(words)


def tab_environment(environ: dict[str, str] | os._Environ[str], config: str, url: str) -> None:
    """Make ``environ`` what each tab starts with: no sign-in, this configuration and database."""
    for name in SIGN_IN_VARIABLES:
        environ.pop(name, None)
    environ["HALL_CONFIG"] = str(config)
    environ["HALL_DB"] = url


def cjk_font_ttf() -> bytes:
    """The Chinese font installed with the project, as one TrueType font (browsers do not all
    take the collection file it ships as)."""
    from fontTools.ttLib import TTCollection

    from hall.printing.fonts import packaged_cjk_font

    path = packaged_cjk_font()
    if path is None:
        raise FileNotFoundError("未安装中文字体包 paperang-p2-fonts-cjk")
    out = io.BytesIO()
    TTCollection(path)[0].save(out)
    return out.getvalue()


def make_server(command: str, host: str, port: int, title: str,
                public_url: str | None = None, max_tabs: int = MAX_TABS) -> Any:
    """The textual-serve server for ``command``, with the hall's own page (:data:`PAGE`), the
    Chinese font at ``/hall-font/cjk.ttf``, downloads named in UTF-8 and at most ``max_tabs``
    tabs (processes) open at once."""
    import aiohttp_jinja2
    import jinja2
    from aiohttp import WSCloseCode, web
    from textual_serve.download_manager import DownloadManager
    from textual_serve.server import Server, to_int

    class BrowserDownloads(DownloadManager):
        """textual-serve's downloads, each marked with the cookie of the browser it is for (on
        the download itself: it goes when textual-serve drops the download)."""

        async def create_download(self, *, delivery_key: str, **kwargs: Any) -> None:
            await super().create_download(delivery_key=delivery_key, **kwargs)
            self._active_downloads[delivery_key].browser = _TAB_BROWSER.get()  # type: ignore[attr-defined]

        def for_browser(self, key: str, cookie: str | None) -> bool:
            """Whether ``key`` is a download waiting for the browser holding ``cookie``."""
            owner = getattr(self._active_downloads.get(key), "browser", None)
            return bool(owner and cookie) and hmac.compare_digest(owner.encode(),
                                                                  (cookie or "").encode())

    @web.middleware
    async def no_listing(request: web.Request, handler: Any) -> web.StreamResponse:
        # textual-serve serves /static with show_index=True: its folders would be listed. Only
        # files (a name with an extension) are served.
        if request.path.startswith("/static") and "." not in request.path.rsplit("/", 1)[-1]:
            raise web.HTTPNotFound(text="没有这个文件")
        return await handler(request)

    class HallServer(Server):
        """textual-serve's server with a page that needs no internet."""

        _font: bytes | None = None
        given_url: str | None = None
        tab_limit = MAX_TABS
        open_tabs = 0  # WebSockets being served, each with its process (one event loop)

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            if self.open_tabs >= self.tab_limit:  # refused before any process starts
                refused = web.WebSocketResponse()
                await refused.prepare(request)
                await refused.close(code=WSCloseCode.TRY_AGAIN_LATER,
                                    message=TAB_LIMIT_REASON.encode())
                return refused
            self.open_tabs += 1
            browser = _TAB_BROWSER.set(request.cookies.get(TAB_COOKIE))
            try:
                return await super().handle_websocket(request)
            finally:
                _TAB_BROWSER.reset(browser)
                self.open_tabs -= 1

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            aiohttp_jinja2.setup(app, loader=jinja2.DictLoader({"app_index.html": PAGE}),
                                 autoescape=True)
            app.router.add_get("/hall-font/cjk.ttf", self.handle_font)
            app.middlewares.append(no_listing)
            return app

        async def handle_font(self, request: web.Request) -> web.Response:
            if HallServer._font is None:
                import asyncio

                HallServer._font = await asyncio.to_thread(cjk_font_ttf)
            return web.Response(body=HallServer._font, content_type="font/ttf",
                                headers={"Cache-Control": "max-age=86400"})

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            if self.open_tabs >= self.tab_limit:
                raise web.HTTPServiceUnavailable(text=too_many_tabs(self.tab_limit),
                                                 headers={"Retry-After": "30"})
            response = await self.render_index(request)
            if not request.cookies.get(TAB_COOKIE):
                response.set_cookie(TAB_COOKIE, secrets.token_urlsafe(32), httponly=True,
                                    samesite="Strict", path="/",
                                    secure=(self.given_url or "").startswith("https:"))
            return response

        @aiohttp_jinja2.template("app_index.html")
        async def render_index(self, request: web.Request) -> dict[str, Any]:
            # Without --public-url, the address the browser used (0.0.0.0 is no address).
            base = (self.given_url or str(request.url.origin())).rstrip("/")
            scheme, rest = base.split(":", 1)
            return {
                "title": self.title,
                "static": f"{base}/static/",
                "cjk_font": f"{base}/hall-font/cjk.ttf",
                "cjk_ranges": CJK_RANGES,
                "websocket": ("wss:" if scheme == "https" else "ws:") + rest + "/ws",
                "font_size": to_int(request.query.get("fontsize", "16"), 16),
            }

        async def handle_download(self, request: web.Request) -> web.StreamResponse:
            # textual-serve puts the file name raw into the header: a Chinese name would not
            # encode. RFC 6266's filename* carries it in UTF-8, with an ASCII fallback.
            key = request.match_info["key"]
            downloads = self.download_manager
            assert isinstance(downloads, BrowserDownloads)
            if not downloads.for_browser(key, request.cookies.get(TAB_COOKIE)):
                raise web.HTTPNotFound(text=GONE)
            meta = await downloads.get_download_metadata(key)
            content_type = meta.mime_type + (f"; charset={meta.encoding}" if meta.encoding
                                             else "")
            disposition = "inline" if meta.open_method == "browser" else "attachment"
            fallback = meta.file_name.encode("ascii", "replace").decode().replace("?", "_")
            response = web.StreamResponse(headers={
                "Content-Type": content_type,
                "Content-Disposition": f"{disposition}; filename=\"{fallback}\"; "
                                       f"filename*=UTF-8''{quote(meta.file_name)}",
                "Cache-Control": "no-store"})
            await response.prepare(request)
            async for chunk in self.download_manager.download(key):
                await response.write(chunk)
            await response.write_eof()
            return response

        async def on_startup(self, app: web.Application) -> None:
            pass  # textual-serve's banner: ours is said once the port is bound (serve)

        def serve(self, debug: bool = False) -> None:
            # textual-serve's, but saying where it listens once it does (not before binding).
            import asyncio
            import signal

            self.debug = debug
            self.initialize_logging()
            loop = asyncio.new_event_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, self.request_exit)
            line = f"hall serve：{self.title} 已在 {self.public_url} 上提供（Ctrl+C 停止）"
            web.run_app(self._make_app(), host=self.host, port=self.port, handle_signals=False,
                        loop=loop, print=lambda *_: print(line, flush=True))

    server = HallServer(command, host=host, port=port, title=title, public_url=public_url)
    server.download_manager = BrowserDownloads()
    server.given_url = public_url
    server.tab_limit = max_tabs
    return server


def cmd_serve(ctx: Context) -> int:
    """Serve the screens in a browser until interrupted."""
    args = ctx.args
    if args.staff:
        raise UsageError("hall serve 不代任何人登录：请去掉 --staff，在浏览器中各自登录")
    if not 1 <= args.port <= 65535:
        raise UsageError(f"--port 应为 1 到 65535 之间的端口号，实际为 {args.port}")
    if not 1 <= args.max_tabs <= 500:
        raise UsageError(f"--max-tabs 应为 1 到 500 之间的整数，实际为 {args.max_tabs}")
    role = args.role or "launcher"
    if args.window is not None and role != "window":
        raise UsageError("只有 window 可以跟窗口号")
    if args.window is not None and ctx.config.window(args.window) is None:
        valid = "、".join(str(w.number) for w in ctx.config.windows)
        raise UsageError(f"没有 {args.window} 号窗口（现有：{valid}）")
    url = ctx.database_url
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).expanduser().parent.mkdir(parents=True,
                                                                      exist_ok=True)
    config = Path(ctx.config_path).expanduser()
    tab_environment(os.environ, str(config.resolve() if config.exists() else config), url)
    ctx.succeeded()
    server = make_server(tab_command(role, args.window), args.host, args.port,
                         title=ctx.config.hall.name, public_url=args.public_url,
                         max_tabs=args.max_tabs)
    try:
        server.serve()
    except OSError as exc:  # the port taken, the address not this machine's
        raise UsageError(f"无法在 {args.host}:{args.port} 上监听：{exc.strerror or exc}") \
            from None
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``serve`` to ``hall``'s sub-command parser."""
    p = sub.add_parser("serve", parents=[common], help="在浏览器中使用大厅各界面（textual-serve）")
    p.add_argument("role", nargs="?", choices=ROLES, help="各标签页打开的界面（默认：角色选择）")
    p.add_argument("window", nargs="?", type=int, help="窗口号（仅 window）")
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    p.add_argument("--port", type=int, default=8000, help="监听端口（默认 8000）")
    p.add_argument("--public-url", help="浏览器访问的地址（经反向代理和 TLS 时，如 "
                   "https://hall.example.gov.cn）")
    p.add_argument("--max-tabs", type=int, default=MAX_TABS,
                   help=f"同时打开的界面（标签页）上限，每个占用一个进程（默认 {MAX_TABS}）")
    p.set_defaults(func=cmd_serve)
