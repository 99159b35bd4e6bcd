"""The page on a public network: a code that is not a ticket's cannot be told from another, the
rate limit per client, the security headers on every answer, and bad input answered 4xx without
echoing it. No timing is asserted: that every code takes the same way is shown by counting what
the lookup does (the statements it runs, the HMAC it compares)."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from hall import Hall
from hall.desk.codes import QueryCodes
from tests.helpers import run_async
from tests.web.serving import issue, secured, serving
from web.page import NOT_FOUND

SAME = ("Content-Type", "Content-Length", "Cache-Control", "Content-Security-Policy",
        "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options", "Server", "Vary")


def not_codes(genuine: str) -> dict[str, str]:
    """Codes that are not a ticket's: of a code's shape but unknown, forged from a genuine one,
    and malformed in every way a client may try."""
    last = "A" if genuine[-1] != "A" else "B"
    return {"unknown": "22222" + "ABCDEFG", "forged": genuine[:-1] + last,
            "legacy-shaped": "ABCDEFGHJKMN", "short": genuine[:6], "long": genuine + "A",
            "markup": "<script>alert(1)</script>", "control": "AB\x01CD\x00EF\x7fGHIJ",
            "quote": "'\"&<>", "huge": "A" * 5000, "unicode": "查询码查询码查询码查询码"}


class Trace:
    """What the lookup did per request: SQL statements run, HMAC comparisons made."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.statements: list[str] = []
        self.compared: list[str] = []
        real = QueryCodes.genuine

        def genuine(codes: QueryCodes, code: str, *args: Any) -> bool:
            self.compared.append(code)
            return real(codes, code, *args)

        monkeypatch.setattr(QueryCodes, "genuine", genuine)
        trace = self

        class Catch(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                if record.name != "peewee":  # the pool's own news (peewee.pool) is no statement
                    return
                trace.statements.append(str(record.msg[0]) if isinstance(record.msg, tuple)
                                        else record.getMessage())

        logger = logging.getLogger("peewee")
        self.handler, self.level = Catch(), logger.level
        logger.addHandler(self.handler)
        logger.setLevel(logging.DEBUG)

    def take(self) -> tuple[list[str], list[str]]:
        done = (self.statements, self.compared)
        self.statements, self.compared = [], []
        return done

    def close(self) -> None:
        logger = logging.getLogger("peewee")
        logger.removeHandler(self.handler)
        logger.setLevel(self.level)


@run_async
async def test_every_code_not_a_tickets_answers_the_same_404_the_same_way(
        hall: Hall, monkeypatch: pytest.MonkeyPatch) -> None:
    ticket = issue(hall)
    trace = Trace(monkeypatch)
    answers, ways = {}, {}
    try:
        async with serving(hall, rate_limit=1000) as client:
            for kind, code in not_codes(ticket.query_code).items():
                trace.take()
                for fmt in ("html", "json"):
                    page = await client.get("/cx", params={"code": code, "format": fmt})
                    answers[kind, fmt] = (page.status, await page.read(),
                                          {h: page.headers.get(h) for h in SAME})
                ways[kind] = trace.take()
            page = await client.get("/cx", params={"code": ticket.query_code})
            assert page.status == 200
            genuine_way = trace.take()
    finally:
        trace.close()
    for fmt in ("html", "json"):
        first = answers["unknown", fmt]
        assert first[0] == 404
        for kind in ways:
            assert answers[kind, fmt] == first, kind  # status, body bytes, headers
    assert NOT_FOUND in answers["unknown", "html"][1].decode()
    assert b"script" not in answers["markup", "html"][1]
    statements, compared = ways["unknown"]
    assert len(statements) == 2 and len(compared) == 2  # per request: one indexed read, one HMAC
    for kind, (kind_statements, kind_compared) in ways.items():
        assert kind_statements == statements, kind  # the same statement, the same parameters'
        assert len(kind_compared) == 2, kind          # shape: nothing of the input reaches SQL
    assert ways["forged"][1] == [ticket.query_code[:-1] + ways["forged"][1][0][-1]] * 2
    assert len(genuine_way[0]) > len(statements)  # a genuine code goes on to read its status


@run_async
async def test_past_the_limit_429_with_retry_after_then_allowed_again(hall: Hall) -> None:
    ticket = issue(hall)
    now = [1000.0]
    async with serving(hall, clock=lambda: now[0], rate_limit=3,
                       rate_period_seconds=60) as client:
        for _ in range(3):
            assert (await client.get("/cx", params={"code": ticket.query_code})).status == 200
        refused = await client.get("/cx", params={"code": ticket.query_code})
        assert refused.status == 429 and refused.headers["Retry-After"] == "20"  # 60 s / 3
        assert "查询过于频繁" in await refused.text() and secured(refused.headers)
        as_json = await client.get("/cx", params={"code": ticket.query_code, "format": "json"})
        assert as_json.status == 429 and (await as_json.json())["error"] == "rate_limited"
        bad = await client.get("/cx", params={"code": "nonsense"})
        assert bad.status == 429  # the limit comes first: guessing costs the same
        now[0] += 19.0
        assert (await client.get("/cx", params={"code": ticket.query_code})).status == 429
        now[0] += 1.0
        assert (await client.get("/cx", params={"code": ticket.query_code})).status == 200
        assert (await client.get("/cx", params={"code": ticket.query_code})).status == 429


@run_async
async def test_the_limit_is_per_client_behind_a_trusted_proxy_only(hall: Hall) -> None:
    ticket = issue(hall)
    now = [0.0]
    params = {"code": ticket.query_code}
    async with serving(hall, clock=lambda: now[0], rate_limit=1) as client:
        a = {"X-Forwarded-For": "203.0.113.7"}
        b = {"X-Forwarded-For": "198.51.100.1, 203.0.113.8"}  # the proxy appended the last
        assert (await client.get("/cx", params=params, headers=a)).status == 200
        assert (await client.get("/cx", params=params, headers=a)).status == 429
        assert (await client.get("/cx", params=params, headers=b)).status == 200
        spoofed = {"X-Forwarded-For": "198.51.100.1, 203.0.113.7"}  # what a client may prepend
        assert (await client.get("/cx", params=params, headers=spoofed)).status == 429
    async with serving(hall, clock=lambda: now[0], rate_limit=1, trusted_proxies=[]) as client:
        assert (await client.get("/cx", params=params, headers=a)).status == 200
        assert (await client.get("/cx", params=params, headers=b)).status == 429  # one peer


@run_async
async def test_security_headers_on_every_answer(hall: Hall) -> None:
    ticket = issue(hall)
    async with serving(hall, rate_limit=6) as client:
        answers = [await client.get("/cx", params={"code": ticket.query_code}),
                   await client.get("/cx", params={"code": ticket.query_code, "format": "json"}),
                   await client.get("/cx", params={"code": "X"}),
                   await client.get("/cx"),
                   await client.post("/cx", data="code=1"),
                   await client.get("/elsewhere"),
                   await client.get("/cx", params={"code": ticket.query_code})]  # the 7th: 429
        assert [a.status for a in answers] == [200, 200, 404, 400, 405, 404, 429]
        for answer in answers:
            assert secured(answer.headers), answer.status
            assert "aiohttp" not in answer.headers.get("Server", "")
            assert answer.headers["Cache-Control"] == "no-store"
        csp = answers[0].headers["Content-Security-Policy"]
        assert csp.startswith("default-src 'none'") and "frame-ancestors 'none'" in csp
        assert "script-src" not in csp and "unsafe-inline" not in csp
        assert answers[4].headers["Allow"] == "GET, HEAD"


@run_async
async def test_bad_input_is_4xx_and_never_echoed(hall: Hall) -> None:
    async with serving(hall, rate_limit=1000) as client:
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            page = await client.request(method, "/cx?code=%3Cb%3Ehi%3C/b%3E")
            assert page.status == 405 and b"<b>" not in await page.read()
        for query in ("code=%ZZ%00", "code=%E4%B8", "code=a&code=b", "code=" + "%FF" * 300,
                      "format=xml&code=%3Cscript%3E", "code=" + "B" * 7000):
            page = await client.get("/cx?" + query)
            body = await page.read()
            assert 400 <= page.status < 500, query
            assert b"<script>" not in body and b"BBBBBBBB" not in body and b"%ZZ" not in body
            assert secured(page.headers)
        # Past aiohttp's request-line limit (8190 bytes) its parser answers before the page
        # does: a 400 in plain text, never a page a browser would render (README: the web server
        # in front refuses such requests first).
        huge = await client.get("/cx?code=" + "A" * 20000)
        assert huge.status == 400 and huge.content_type == "text/plain"
        head = await client.head("/cx?code=ABCDEFGHJKMN")
        assert head.status == 404 and secured(head.headers)
