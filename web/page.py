"""The status page's bodies: the HTML a phone shows and the JSON an integration reads.

    html = status_html(status, hall_name="…", refresh=15)     # a PublicStatus
    html = message_html(NOT_FOUND, hall_name="…")               # 404, 429, 503 …
    data = status_json(status, refresh=15)

One self-contained page: the style sheet inline (allowed by its hash in the
Content-Security-Policy, :data:`STYLE_HASH`), no script, no font or image from anywhere, so it
works on a hall's closed network; it reloads itself with ``<meta http-equiv="refresh">``. Every
text put in is escaped; nothing the client sent is ever put in.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape
from typing import Any

from hall.public import PublicStatus

NOT_FOUND = "查询码无效：请核对票据上的二维码或查询码，或到登记台咨询。"
"""The one answer to every code that is not a ticket's (unknown, forged or malformed)."""
NO_CODE = "请用手机扫描票据上的二维码查询办理进度。"
TOO_MANY = "查询过于频繁，请稍后再试。"
UNAVAILABLE = "系统暂时无法查询，请稍后刷新页面；如急需办理，请到登记台咨询。"
BAD_METHOD = "不支持此请求方式。"
BAD_REQUEST = "请求无效。"
SERVER_ERROR = "系统出现错误，请稍后再试，或到登记台咨询。"

STYLE = """
body{margin:0;font:17px/1.6 system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",
sans-serif;background:#f3f5f8;color:#1d2329}
header{background:#b3261e;color:#fff;padding:14px 18px;font-size:18px;font-weight:600}
main{max-width:30em;margin:0 auto;padding:16px}
.card{background:#fff;border-radius:10px;padding:18px;margin-bottom:14px;
box-shadow:0 1px 3px rgba(0,0,0,.08)}
.number{font-size:48px;font-weight:700;letter-spacing:2px;text-align:center}
.state{font-size:22px;text-align:center;margin:4px 0 12px}
.go{font-size:24px;font-weight:700;color:#b3261e;text-align:center}
dl{margin:0}dt{color:#5f6b76;font-size:15px}dd{margin:0 0 10px}
.note{color:#5f6b76;font-size:14px;text-align:center}
""".strip()
STYLE_HASH = "sha256-" + base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
"""The style sheet's hash, the only style the page's Content-Security-Policy allows."""


def _document(title: str, hall_name: str, body: str, refresh: int | None = None) -> str:
    meta = f'<meta http-equiv="refresh" content="{int(refresh)}">' if refresh else ""
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<meta name="referrer" content="no-referrer">{meta}'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<header>{escape(hall_name)}</header><main>{body}</main></body></html>\n")


def _says(status: PublicStatus) -> str:
    """What the visitor is to do now, in one line."""
    if status.state == "waiting":
        return f"前面还有 {status.ahead or 0} 人，请留意叫号"
    if status.state == "called" and status.window is not None:
        return f"请到 {status.window} 号窗口"
    if status.state == "serving" and status.window is not None:
        return f"正在 {status.window} 号窗口接谈"
    return {"done": "本次来访已办结", "no_show": "已过号，请到登记台咨询",
            "cancelled": "已取消，请到登记台咨询"}.get(status.state, "")


def status_html(status: PublicStatus, *, hall_name: str, refresh: int) -> str:
    """The page of a ticket: number, state, what to do now, and its case once there is one."""
    rows = [("取号日期", status.business_day)]
    if status.case is not None:
        rows += [("信访事项", status.case.number), ("事项状态", status.case.state_label)]
        if status.case.due_on:
            rows.append(("下一期限", status.case.due_on))
    details = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in rows)
    body = (f'<div class="card"><div class="number">{escape(status.number)}</div>'
            f'<div class="state">{escape(status.state_label)}</div>'
            f'<div class="go">{escape(_says(status))}</div></div>'
            f'<div class="card"><dl>{details}</dl></div>'
            f'<p class="note">本页每 {int(refresh)} 秒自动刷新</p>')
    return _document(f"{status.number} 办理进度", hall_name, body, refresh)


def message_html(message: str, *, hall_name: str) -> str:
    """A page saying one thing (an error, or how to use the page)."""
    return _document("办理进度查询", hall_name, f'<div class="card">{escape(message)}</div>')


def status_json(status: PublicStatus, *, refresh: int) -> dict[str, Any]:
    """The JSON variant (WeChat, SMS): the same fields as the page."""
    case = status.case
    return {"number": status.number, "business_day": status.business_day,
            "state": status.state, "state_label": status.state_label, "ahead": status.ahead,
            "window": status.window, "message": _says(status),
            "case": None if case is None else {
                "number": case.number, "state": case.state, "state_label": case.state_label,
                "due_on": case.due_on or None},
            "refresh_seconds": refresh}


def message_json(error: str, message: str) -> dict[str, Any]:
    """An error as JSON: a stable key (``not_found``, ``rate_limited`` …) and the Chinese text."""
    return {"error": error, "message": message}
