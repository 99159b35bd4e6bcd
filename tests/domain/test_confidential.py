"""Confidential matters from the 人社局 window's point of view (issue 11, section 4).

A visitor reported an official to 纪委监委 (检举控告, category ``report``, confidential in the
shipped hall) on 2026-11-20, and comes back on the 23rd about unpaid wages (→ 人社局, window 7,
win07). win07 sees the wage visit in full and the report only as 「保密事项」 and its date; the
report never makes the wage visit a repeat visit; win11 (纪委监委) and mgr01 see everything; the
desk clerk, outside 纪委监委, sees 「保密事项」 too (the issue: only the handling department and
the managers). The kiosk and the board read no file at all. Every view is audited.

The expected values are written out by hand (:data:`REPORT_MASKED` and friends), not computed by
:mod:`hall.accounts.visibility`; every test runs on SQLite, and on PostgreSQL when
HALL_TEST_PG_URL is set (the ``hall`` fixture).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from typing import Any

import pytest

from hall import Hall
from hall.clock import FixedClock
from hall.desk.registration import NeedsConfirmation
from hall.errors import NotAllowed
from hall.views import VisitSummary
from models import AuditEvent, TicketEvent, Visit
from tests.conftest import CST, MORNING
from tests.helpers import form, make_id

REPORTER = make_id("19700305", 13)
REPORT_DAY = datetime(2026, 11, 20, 9, 0, tzinfo=CST)
REPORT_MATTER = "举报某局副局长收受工程老板贿赂"
REPORT_REQUEST = "请求查处并为举报人保密"
WAGE_MATTER = "工地拖欠工资三个月"
SECRETS = ("举报", "收受", "贿赂", "查处", "discipline", "纪委", "检举", "立案交办", "report",
           "W001")
"""What nobody outside 纪委监委 and the managers may find anywhere in what they are handed."""


def masked_report(visit_id: int) -> VisitSummary:
    """The report as win07 and the desk get it, written out field by field."""
    return VisitSummary(visit_id=visit_id, date="2026-11-20", number="", category="",
                        category_name="保密事项", department="", department_name="",
                        status="", outcome="", outcome_label="", district="", matter="",
                        confidential=True, masked=True)


def full_report(visit_id: int) -> VisitSummary:
    """The report as win11 and mgr01 get it."""
    return VisitSummary(visit_id=visit_id, date="2026-11-20", number="W001", category="report",
                        category_name="检举控告（反映干部问题）", department="discipline",
                        department_name="市纪委监委", status="done", outcome="filed",
                        outcome_label="立案交办", district="jiangbei", matter=REPORT_MATTER,
                        confidential=True, masked=False)


def wage_visit(visit_id: int, status: str = "called", label: str = "已叫号") -> VisitSummary:
    """The wage visit, which everyone who reads files sees in full."""
    return VisitSummary(visit_id=visit_id, date="2026-11-23", number="L001", category="wages",
                        category_name="农民工工资", department="hrss",
                        department_name="市人社局", status=status, outcome="",
                        outcome_label=label, district="jiangbei", matter=WAGE_MATTER,
                        confidential=False, masked=False)


def dumped(view: Any) -> str:
    return json.dumps(asdict(view), ensure_ascii=False, default=str)


def leaks(view: Any) -> list[str]:
    text = dumped(view)
    return [s for s in SECRETS if s in text]


def events(action: str | None = None, actor: str | None = None) -> list[AuditEvent]:
    query = AuditEvent.select().order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    if actor:
        query = query.where(AuditEvent.actor == actor)
    return list(query)


@pytest.fixture
def visits(hall: Hall, clock: FixedClock) -> dict[str, int]:
    """The report (20th, finished by win11 as 立案交办), then the wage visit (23rd) waiting."""
    clock.set(REPORT_DAY)
    report = hall.desk.issue(form(id_number=REPORTER, name="王明", phone="13800000013",
                                  category="report", matter=REPORT_MATTER,
                                  request=REPORT_REQUEST), actor="desk01")
    assert (report.number, report.department) == ("W001", "discipline")
    hall.windows.call_next(11, "win11")
    hall.windows.finish(11, "filed", "win11")
    clock.set(MORNING)
    wage = hall.desk.issue(form(id_number=REPORTER, name="王明", phone="13800000013",
                                category="wages", matter=WAGE_MATTER), actor="desk01")
    assert (wage.number, wage.department) == ("L001", "hrss")
    return {"report": report.visit_id, "wage": wage.visit_id,
            "visitor": Visit.get_by_id(wage.visit_id).visitor_id}


def test_the_report_makes_no_repeat_visit_for_the_wage_window(hall: Hall,
                                                              visits: dict[str, int]) -> None:
    assert Visit.get_by_id(visits["wage"]).is_repeat is False  # stored: the report doesn't count
    waiting = hall.windows.view(7, viewer="win07").waiting
    assert [(e.number, e.repeat) for e in waiting] == [("L001", False)]


def test_the_desk_that_issues_the_wage_ticket_gets_the_report_masked(
        hall: Hall, clock: FixedClock) -> None:
    clock.set(REPORT_DAY)
    report = hall.desk.issue(form(id_number=REPORTER, category="report", matter=REPORT_MATTER),
                             actor="desk01")
    clock.set(MORNING)
    wage = hall.desk.issue(form(id_number=REPORTER, category="wages", matter=WAGE_MATTER),
                           actor="desk01")
    assert wage.repeat is False
    assert wage.visits[1:] == (masked_report(report.visit_id),)
    assert leaks(wage) == []


def test_win07_sees_the_wage_visit_and_only_the_date_of_the_report(
        hall: Hall, visits: dict[str, int]) -> None:
    hall.windows.call_next(7, "win07")
    current = hall.windows.view(7, viewer="win07").current
    assert current is not None
    assert (current.number, current.category_name, current.matter) == \
        ("L001", "农民工工资", WAGE_MATTER)
    assert current.repeat is False  # no 重复访 mark: the only earlier visit is confidential
    assert current.history == (masked_report(visits["report"]),)
    assert leaks(current) == []

    file = hall.desk.visitor_file(REPORTER, viewer="win07")
    assert file is not None
    assert file.visits == (wage_visit(visits["wage"]), masked_report(visits["report"]))
    assert (file.visit_count, file.withheld_count) == (1, 1)
    assert file.last_visit == wage_visit(visits["wage"])
    assert leaks(file) == []
    assert hall.desk.visits_of(visits["visitor"], viewer="win07") == list(file.visits)


@pytest.mark.parametrize("viewer", ["win11", "mgr01"])
def test_the_handling_department_and_the_managers_see_everything(
        hall: Hall, visits: dict[str, int], viewer: str) -> None:
    file = hall.desk.visitor_file(REPORTER, viewer=viewer)
    assert file is not None
    assert file.visits == (wage_visit(visits["wage"], "waiting", "候谈"),
                           full_report(visits["report"]))
    assert (file.visit_count, file.withheld_count) == (2, 0)
    # The view of the confidential visit is audited, with who and which visit.
    shown = events("visit.confidential", viewer)
    assert [(e.entity, e.entity_id) for e in shown] == [("visit", str(visits["report"]))]


def test_the_desk_sees_the_report_as_confidential_too(hall: Hall,
                                                      visits: dict[str, int]) -> None:
    file = hall.desk.visitor_file(REPORTER, viewer="desk01")
    assert file is not None
    assert file.visits == (wage_visit(visits["wage"], "waiting", "候谈"),
                           masked_report(visits["report"]))
    assert file.visit_count == 1
    assert leaks(file) == []
    assert events("visit.confidential") == []


def test_the_discipline_window_sees_the_report_when_it_is_current(
        hall: Hall, clock: FixedClock) -> None:
    hall.desk.issue(form(id_number=REPORTER, category="wages", matter=WAGE_MATTER),
                    actor="desk01")
    hall.windows.call_next(7, "win07")
    hall.windows.finish(7, "answered", "win07")
    clock.advance(hours=1)
    report = hall.desk.issue(form(id_number=REPORTER, category="report", matter=REPORT_MATTER),
                             actor="desk01")
    assert report.repeat is True  # the wage visit counts for 纪委监委: it is not confidential
    hall.windows.call_next(11, "win11")
    current = hall.windows.view(11, viewer="win11").current
    assert current is not None and current.matter == REPORT_MATTER
    assert [v.matter for v in current.history] == [WAGE_MATTER]
    # Nobody outside 纪委监委 and the managers reads window 11 while the report is there.
    for outsider in ("win07", "desk01"):
        with pytest.raises(NotAllowed, match="无权限"):
            hall.windows.view(11, viewer=outsider)
    assert hall.windows.view(11, viewer="mgr01").current is not None


def test_the_window_view_is_audited_once_per_call_and_viewer(
        hall: Hall, visits: dict[str, int], clock: FixedClock) -> None:
    assert hall.windows.view(7, viewer="win07").current is None
    assert events("visitor.view") == []  # nobody's file was on screen
    hall.windows.call_next(7, "win07")
    for _ in range(3):  # the terminal reloads on every change anywhere in the hall
        hall.windows.view(7, viewer="win07")
    seen = events("visitor.view", "win07")
    assert [(e.entity, e.entity_id) for e in seen] == [("visitor", str(visits["visitor"]))]
    assert json.loads(seen[0].detail) == {"via": "window", "window": 7, "ticket": "L001"}
    assert events("visit.confidential") == []  # win07 saw no confidential visit
    clock.advance(minutes=5)
    hall.windows.recall(7, "win07")  # the same call, said again: the same view
    hall.windows.view(7, viewer="win07")
    assert len(events("visitor.view", "win07")) == 1
    hall.windows.view(7, viewer="mgr01")  # another viewer: their own view
    assert len(events("visitor.view", "mgr01")) == 1


def test_every_file_view_is_audited(hall: Hall, visits: dict[str, int]) -> None:
    before = len(events())
    hall.desk.visitor_file(REPORTER, viewer="win07")
    hall.desk.file_history(visits["visitor"], viewer="desk01")
    hall.desk.visits_of(visits["visitor"], viewer="win07")
    hall.desk.visitor_file(REPORTER, viewer="win11")
    written = [(e.actor, e.action, e.entity, e.entity_id) for e in events()[before:]]
    visitor, report = str(visits["visitor"]), str(visits["report"])
    assert written == [
        ("win07", "visitor.view", "visitor", visitor),
        ("desk01", "visitor.history", "visitor", visitor),
        ("win07", "visitor.view", "visitor", visitor),
        ("win11", "visitor.view", "visitor", visitor),
        ("win11", "visit.confidential", "visit", report),
    ]
    # The audit log names the visitor and the visits; it never holds the personal data itself.
    assert not any(s in e.detail for e in events() for s in ("王明", "13800000013", REPORTER))


@pytest.mark.parametrize("login", ["kiosk01", "board01", "admin", "nobody"])
def test_kiosk_and_board_get_no_personal_data(hall: Hall, visits: dict[str, int],
                                              login: str) -> None:
    hall.windows.call_next(7, "win07")
    reads = [lambda: hall.desk.visitor_file(REPORTER, viewer=login),
             lambda: hall.desk.visits_of(visits["visitor"], viewer=login),
             lambda: hall.desk.file_history(visits["visitor"], viewer=login),
             lambda: hall.windows.view(7, viewer=login),
             lambda: hall.windows.reveal(7, viewer=login),
             lambda: hall.leaders.bookings.for_desk(REPORTER, viewer=login)]
    for read in reads:
        with pytest.raises(NotAllowed):
            read()
    assert len(events("denied", login)) == len(reads)  # each refusal audited
    assert events("visitor.view", login) == []


def test_a_kiosk_issuing_for_a_known_visitor_gets_no_earlier_visit(
        hall: Hall, visits: dict[str, int]) -> None:
    hall.windows.call_next(7, "win07")
    hall.windows.finish(7, "answered", "win07")
    again = hall.desk.issue(form(id_number=REPORTER, name="王明", category="wages",
                                 matter="再问工资"), actor="kiosk01")
    assert again.repeat is True  # the wage visit counts, though the kiosk sees none of it
    assert [(v.date, v.matter, v.department, v.masked) for v in again.visits[1:]] == [
        ("2026-11-23", "", "", True), ("2026-11-20", "", "", True)]
    assert WAGE_MATTER not in dumped(again) and leaks(again) == []


def test_a_masked_field_is_revealed_only_where_the_role_allows_and_audited(
        hall: Hall, visits: dict[str, int]) -> None:
    hall.windows.call_next(7, "win07")
    current = hall.windows.view(7, viewer="win07").current
    assert current is not None and current.id_number_masked == "110105********013X"
    shown = hall.windows.reveal(7, viewer="win07")
    assert (shown.number, shown.id_number, shown.phone) == ("L001", REPORTER, "13800000013")
    revealed = events("visitor.reveal", "win07")
    assert [(e.entity, e.entity_id, json.loads(e.detail)) for e in revealed] == [
        ("visitor", str(visits["visitor"]), {"window": 7, "ticket": "L001"})]
    with pytest.raises(NotAllowed):  # 住建局's clerk: not their department's visitor
        hall.windows.reveal(7, viewer="win08")
    assert events("visitor.reveal", "win08") == []


def test_the_queue_shows_no_name_to_a_kiosk_the_board_or_nobody(hall: Hall,
                                                                  visits: dict[str, int]) -> None:
    for viewer in (None, "kiosk01", "board01"):
        assert [(e.number, e.name_masked) for e in hall.board.queue(viewer=viewer)] == [
            ("L001", "")]
    assert [e.name_masked for e in hall.board.queue(viewer="win07")] == ["王*"]


def test_a_second_ticket_today_does_not_name_the_open_report(hall: Hall) -> None:
    hall.desk.issue(form(id_number=REPORTER, category="report", matter=REPORT_MATTER),
                    actor="desk01")
    with pytest.raises(NeedsConfirmation) as refused:
        hall.desk.issue(form(id_number=REPORTER, category="wages", matter=WAGE_MATTER),
                        actor="desk02")
    said = refused.value.errors["again_reason"]
    assert "此人今天已有票号 保密事项，尚未办结" in said
    assert not any(s in said for s in ("W001", "纪委", "检举"))
    again = hall.desk.issue(form(id_number=REPORTER, category="wages", matter=WAGE_MATTER,
                                 again_reason="另有工资问题"), actor="desk02")
    assert again.repeat is False and leaks(again) == []
    note = TicketEvent.get(TicketEvent.ticket == again.ticket_id).note
    assert note == "再次取号（今日已有 保密事项）：另有工资问题"


def test_a_confidential_booking_shows_its_day_not_its_matter_to_the_desk(
        hall: Hall, visits: dict[str, int]) -> None:
    day = hall.leaders.add_day("shenlv", MORNING.date(), "09:00", "11:00", 8, actor="mgr01")
    hall.leaders.plan.publish_due(actor="mgr01")
    hall.leaders.bookings.book(day.id, REPORTER, "desk01", matter=REPORT_MATTER,
                               category="report")
    desk = hall.leaders.bookings.for_desk(REPORTER, viewer="desk01")
    assert [(b.day_id, b.category, b.matter) for b in desk.bookings] == [
        (day.id, "", "保密事项")]
    assert leaks(desk) == []
    manager = hall.leaders.bookings.for_desk(REPORTER, viewer="mgr01")
    assert [(b.category, b.matter) for b in manager.bookings] == [("report", REPORT_MATTER)]
    viewed = [(e.actor, json.loads(e.detail)) for e in events("visitor.view")]
    assert viewed == [("desk01", {"via": "booking"}), ("mgr01", {"via": "booking"})]


def test_a_window_clerk_reads_the_visitors_of_the_window_s_departments_only(
        hall: Hall, visits: dict[str, int]) -> None:
    hall.windows.call_next(7, "win07")
    with pytest.raises(NotAllowed):  # 住建局's clerk asking for 人社局's window
        hall.windows.view(7, viewer="win08")
    # Window 9 serves 自然资源局 and 农业农村局; its clerk (自然资源局) reads a rural visitor there.
    hall.desk.issue(form(id_number=make_id("19600101", 21), category="land_contract",
                         matter="承包地被占"), actor="desk01")
    hall.windows.call_next(9, "win09")
    current = hall.windows.view(9, viewer="win09").current
    assert current is not None and current.department == "rural"
