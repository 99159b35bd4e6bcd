"""The status page behind the QR code (issue 14 §3): what it shows a ticket's holder at each
step, with a case, for a confidential visit, and as JSON. The expected texts are written out by
hand from the scene each test builds (two tickets issued: the second has one ahead, and so on)."""

from __future__ import annotations

from hall import Hall
from models import Case
from tests.helpers import run_async
from tests.web.serving import HALL_NAME, call, finish, issue, secured, serving

PERSONAL = ("张三", "李四", "工地拖欠工资", "市人社局", "市纪委监委", "人社", "纪委", "hrss",
            "discipline", "wages", "report", "检举")
"""What no page may show: the names, the matter, departments and categories of the scenes."""


def shows_nothing_personal(text: str, *id_numbers: str) -> None:
    for word in (*PERSONAL, *id_numbers):
        assert word not in text, word


@run_async
async def test_a_waiting_ticket_shows_the_people_ahead_and_reloads(hall: Hall) -> None:
    first = issue(hall)
    second = issue(hall, name="李四")
    async with serving(hall) as client:
        page = await client.get("/cx", params={"code": second.query_code})
        text = await page.text()
        assert page.status == 200 and secured(page.headers)
        assert page.content_type == "text/html" and page.charset == "utf-8"
        assert f'<div class="number">{second.number}</div>' in text
        assert "候谈" in text and "前面还有 1 人，请留意叫号" in text
        assert '<meta http-equiv="refresh" content="15">' in text
        assert '<meta name="viewport"' in text and 'lang="zh-CN"' in text
        assert "2026-11-23" in text and HALL_NAME in text
        assert "http" not in text.replace('http-equiv', '')  # nothing loaded from anywhere
        assert "<script" not in text and "@import" not in text and "url(" not in text
        shows_nothing_personal(text, first.query_code)
        page = await client.get("/cx", params={"code": first.query_code})
        assert "前面还有 0 人" in await page.text()


@run_async
async def test_called_serving_and_finished(hall: Hall) -> None:
    ticket = issue(hall)
    window = call(hall)
    assert window == 7
    async with serving(hall) as client:
        async def shown() -> str:
            page = await client.get("/cx", params={"code": ticket.query_code})
            assert page.status == 200
            return await page.text()

        text = await shown()
        assert "已叫号" in text and "请到 7 号窗口" in text and "前面还有" not in text
        hall.windows.start_interview(7, "win07")
        text = await shown()
        assert "接谈中" in text and "正在 7 号窗口接谈" in text
        finish(hall)
        text = await shown()
        assert "已办结" in text and "本次来访已办结" in text and "7 号窗口" not in text
        assert "信访事项" not in text  # answered on the spot: no case
        shows_nothing_personal(text)


@run_async
async def test_once_a_case_exists_its_number_state_and_due_date(hall: Hall) -> None:
    ticket = issue(hall)
    call(hall)
    finished = finish(hall, outcome="filed")
    case = Case.get_by_id(finished.case.case_id)
    assert case.number and case.due_on and not case.confidential
    async with serving(hall) as client:
        page = await client.get("/cx", params={"code": ticket.query_code})
        text = await page.text()
        assert f"<dt>信访事项</dt><dd>{case.number}</dd>" in text
        assert "<dt>事项状态</dt><dd>待受理</dd>" in text
        assert f"<dt>下一期限</dt><dd>{case.due_on}</dd>" in text
        data = await (await client.get("/cx", params={"code": ticket.query_code,
                                                      "format": "json"})).json()
        assert data["case"] == {"number": case.number, "state": "pending",
                                "state_label": "待受理", "due_on": str(case.due_on)}
        shows_nothing_personal(text)


@run_async
async def test_a_confidential_visit_shows_nothing_but_its_number_and_state(hall: Hall) -> None:
    ordinary = issue(hall)
    call(hall)
    finish(hall, outcome="filed")
    secret = issue(hall, category="report", name="李四")
    call(hall, "report")
    finished = finish(hall, "report", outcome="filed")
    assert Case.get_by_id(finished.case.case_id).confidential
    async with serving(hall) as client:
        page = await client.get("/cx", params={"code": secret.query_code})
        text = await page.text()
        assert page.status == 200 and secret.number in text and "已办结" in text
        assert "信访事项" not in text and "事项状态" not in text
        shows_nothing_personal(text)
        data = await (await client.get("/cx", params={"code": secret.query_code,
                                                      "format": "json"})).json()
        assert data == {"number": secret.number, "business_day": "2026-11-23", "state": "done",
                        "state_label": "已办结", "ahead": None, "window": None,
                        "message": "本次来访已办结", "case": None, "refresh_seconds": 15}
        other = await (await client.get("/cx", params={"code": ordinary.query_code},
                                        headers={"Accept": "application/json"})).json()
        assert set(other) == set(data) and other["case"] is not None  # the same fields


@run_async
async def test_the_json_variant_by_parameter_or_accept_header(hall: Hall) -> None:
    issue(hall)
    ticket = issue(hall)
    async with serving(hall) as client:
        by_param = await client.get("/cx", params={"code": ticket.query_code, "format": "json"})
        by_accept = await client.get("/cx", params={"code": ticket.query_code},
                                     headers={"Accept": "application/json"})
        for answer in (by_param, by_accept):
            assert answer.status == 200 and answer.content_type == "application/json"
            assert secured(answer.headers) and answer.headers["Vary"] == "Accept"
            assert await answer.json() == {
                "number": ticket.number, "business_day": "2026-11-23", "state": "waiting",
                "state_label": "候谈", "ahead": 1, "window": None,
                "message": "前面还有 1 人，请留意叫号", "case": None, "refresh_seconds": 15}
        browser = await client.get("/cx", params={"code": ticket.query_code},
                                   headers={"Accept": "text/html,application/json;q=0.9"})
        assert browser.content_type == "text/html"


@run_async
async def test_a_code_is_read_as_typed_in_lower_case_or_with_spaces(hall: Hall) -> None:
    ticket = issue(hall)
    async with serving(hall) as client:
        for typed in (ticket.query_code.lower(), f"  {ticket.query_code} "):
            page = await client.get("/cx", params={"code": typed})
            assert page.status == 200 and ticket.number in await page.text()


@run_async
async def test_the_refresh_follows_the_configuration(hall: Hall) -> None:
    ticket = issue(hall)
    async with serving(hall, refresh_seconds=30) as client:
        page = await client.get("/cx", params={"code": ticket.query_code})
        assert '<meta http-equiv="refresh" content="30">' in await page.text()
        data = await (await client.get("/cx", params={"code": ticket.query_code,
                                                      "format": "json"})).json()
        assert data["refresh_seconds"] == 30
