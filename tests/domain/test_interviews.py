"""接谈记录 and 约谈 (hall.cases.interviews): versions kept, texts checked, the window's current
visit only, permissions by the window's departments, confidential records, the appointment's
time rules, its entry on the case, and what the window's view shows of the case.

The clock is Monday 2026-11-23 09:00 in the hall (conftest); the expected dates and refusals
below are written out by hand from the calendar, not computed by the code under test.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from hall import Hall
from hall.clock import to_storage
from hall.desk.registration import FormError
from hall.errors import NotAllowed, Refused
from models import (
    Appointment,
    AuditEvent,
    Case,
    CaseEntry,
    InterviewRecord,
    Ticket,
    Visit,
    WindowState,
)
from tests.conftest import CST, MORNING
from tests.helpers import distinct_id, form, only_changes

NAME = "欧阳明月"


def called(hall: Hall, n: int = 1, window: int = 1, login: str = "win01",
           category: str = "reform") -> int:
    """Visitor ``n`` registered and called at ``window``; the visit's id."""
    issued = hall.desk.issue(form(name=NAME, id_number=distinct_id(n), category=category,
                                  matter="原厂改制工龄补偿未发"), actor="desk01")
    hall.windows.call_next(window, login)
    return issued.visit_id


def audits(action: str) -> list[AuditEvent]:
    return list(AuditEvent.select().where(AuditEvent.action == action).order_by(AuditEvent.id))


# -- 接谈记录 ------------------------------------------------------------------------------------


def test_each_save_is_a_new_version_and_nothing_is_overwritten(hall: Hall) -> None:
    visit = called(hall)
    other = hall.desk.issue(form(name="司马长风", id_number=distinct_id(2), category="reform"),
                            actor="desk01").visit_id
    with only_changes(Ticket), only_changes(Visit), only_changes(WindowState):
        first = hall.cases.interviews.save(1, "win01", stated="工龄买断款未发\r\n共 12 年",
                                           materials="劳动合同复印件")
        hall.clock.advance(minutes=5)  # type: ignore[attr-defined]
        second = hall.cases.interviews.save(1, "win01", stated="工龄买断款未发，共 12 年",
                                            asked="是否领过安置费", answered="已告知政策")
    assert (first.version, second.version) == (1, 2)
    rows = list(InterviewRecord.select().order_by(InterviewRecord.version))
    assert [(r.visit_id, r.version, r.stated, r.asked, r.materials) for r in rows] == [
        (visit, 1, "工龄买断款未发\n共 12 年", "", "劳动合同复印件"),
        (visit, 2, "工龄买断款未发，共 12 年", "是否领过安置费", "")]
    latest = hall.cases.interviews.latest(visit, "win01")
    assert latest is not None and (latest.version, latest.answered, latest.at) == (
        2, "已告知政策", "2026-11-23 09:05:00")
    assert hall.cases.interviews.latest(other, "win01") is None
    assert [(a.entity_id, a.actor) for a in audits("interview.save")] == [
        (str(visit), "win01"), (str(visit), "win01")]
    assert len(audits("interview.view")) == 1  # the read of a record is audited; none: nothing
    view = hall.windows.view(1, viewer="win01")
    assert view.current is not None and view.current.interview_version == 2


@pytest.mark.parametrize(("texts", "field"), [
    ({"asked": "问\x1b[2J"}, "asked"),
    ({"stated": "字" * 2001}, "stated"),
    ({"materials": "材" * 1001}, "materials"),
    ({"answered": "答\u202e复"}, "answered"),
    ({}, "stated"),  # all four empty
    ({"stated": "\u200b\u200b"}, "stated"),  # only invisible characters
])
def test_bad_texts_are_refused_naming_the_field_and_nothing_is_written(
        sqlite_hall: Hall, texts: dict[str, str], field: str) -> None:
    hall = sqlite_hall  # a rule of the text, before any transaction: one database is enough
    called(hall)
    before = AuditEvent.select().count()
    with pytest.raises(FormError) as refused:
        hall.cases.interviews.save(1, "win01", **texts)
    assert field in refused.value.errors
    assert InterviewRecord.select().count() == 0 and AuditEvent.select().count() == before


def test_only_the_window_s_current_visit_and_only_while_it_is_there(hall: Hall) -> None:
    with pytest.raises(Refused, match="当前没有来访"):
        hall.cases.interviews.save(1, "win01", stated="无人")
    called(hall)
    hall.windows.finish(1, "answered", "win01")
    with pytest.raises(Refused, match="当前没有来访"):
        hall.cases.interviews.save(1, "win01", stated="已办结")
    assert InterviewRecord.select().count() == 0


def test_saving_needs_window_start_for_one_of_the_window_s_departments(hall: Hall) -> None:
    called(hall)
    for outsider in ("win07", "desk01", "kiosk01"):  # 人社局's window, the desk, a kiosk
        with pytest.raises(NotAllowed):
            hall.cases.interviews.save(1, outsider, stated="越权")
    assert InterviewRecord.select().count() == 0
    assert hall.cases.interviews.save(1, "win02", stated="同部门").version == 1
    assert hall.cases.interviews.save(1, "mgr01", stated="中心领导").version == 2


def test_a_confidential_record_is_read_only_by_its_department_and_managers(hall: Hall) -> None:
    visit = called(hall, window=11, login="win11", category="report")
    hall.cases.interviews.save(11, "win11", stated="举报某局干部收受礼金")
    for reader in ("win11", "mgr01"):
        shown = hall.cases.interviews.latest(visit, reader)
        assert shown is not None and (shown.stated, shown.masked) == ("举报某局干部收受礼金",
                                                                      False)
    withheld = hall.cases.interviews.latest(visit, "win01")  # 信访局's window
    assert withheld is not None and withheld.masked
    assert (withheld.stated, withheld.asked, withheld.answered, withheld.materials) == (
        "", "", "", "")
    assert [(a.actor, '"masked": true' in a.detail) for a in audits("interview.view")] == [
        ("win11", False), ("mgr01", False), ("win01", True)]
    with pytest.raises(NotAllowed):
        hall.cases.interviews.latest(visit, "kiosk01")


# -- 约谈 ----------------------------------------------------------------------------------------


def at(day: str, hm: str = "09:30") -> datetime:
    return datetime.fromisoformat(f"{day}T{hm}").replace(tzinfo=CST)


@pytest.mark.parametrize(("when", "why"), [
    (MORNING - timedelta(hours=1), "已过"),
    (MORNING, "已过"),  # now is not later
    (at("2027-02-22", "10:00"), "90 天"),  # Monday, 91 days ahead
    (at("2026-11-28", "10:00"), "休息日"),  # Saturday
    (at("2027-01-01", "10:00"), "2027-01-01"),  # New Year's Day, a Friday
    (at("2026-11-24", "07:59"), "办公时间"),
    (at("2026-11-24", "18:00"), "办公时间"),
    (datetime(2026, 11, 24, 10, 0), "时区"),  # naive
])
def test_an_appointment_time_is_refused_saying_why(sqlite_hall: Hall, when: datetime,
                                                   why: str) -> None:
    hall = sqlite_hall  # checked before the transaction: one database is enough
    called(hall)
    before = AuditEvent.select().count()
    with pytest.raises(FormError) as refused:
        hall.cases.interviews.appoint(1, when, "带工资条原件", "win01")
    assert why in refused.value.errors["at"]
    assert Appointment.select().count() == 0 and AuditEvent.select().count() == before


def test_an_appointment_needs_a_note_a_current_visit_and_the_window_s_department(
        hall: Hall) -> None:
    with pytest.raises(Refused, match="当前没有来访"):
        hall.cases.interviews.appoint(1, at("2026-11-24"), "补材料", "win01")
    called(hall)
    with pytest.raises(FormError) as refused:
        hall.cases.interviews.appoint(1, at("2026-11-24"), "  ", "win01")
    assert "note" in refused.value.errors
    with pytest.raises(NotAllowed):
        hall.cases.interviews.appoint(1, at("2026-11-24"), "补材料", "win07")
    assert Appointment.select().count() == 0


def test_an_appointment_on_a_visit_without_a_case_then_listed_with_its_case(hall: Hall) -> None:
    visit = called(hall)
    with only_changes(Ticket), only_changes(Visit), only_changes(CaseEntry):
        made = hall.cases.interviews.appoint(1, at("2026-11-24", "08:00"), "带劳动合同原件",
                                             "win01")
    row = Appointment.get_by_id(made.id)
    assert (row.case_id, row.visit_id, row.window, row.department, row.status, row.made_by) == (
        None, visit, 1, "xfj", "open", "win01")
    assert row.at == datetime(2026, 11, 24, 0, 0)  # 08:00 in the hall is 00:00 UTC, stored naive
    assert (made.at, made.visitor, made.case_number) == ("2026-11-24 08:00", "欧***", "")
    finished = hall.windows.finish_visit(1, "filed", "win01", note="交办")
    assert finished.case is not None
    listed = hall.cases.interviews.appointments(1, "win01")
    assert [(a.id, a.case_number, a.note) for a in listed] == [
        (made.id, finished.case.number, "带劳动合同原件")]


def test_an_appointment_on_a_case_is_an_entry_on_it_and_the_window_sees_the_case(
        hall: Hall) -> None:
    called(hall)
    first = hall.windows.finish_visit(1, "filed", "win01", note="已交办市人社局，15 日内告知",
                                      unit="hrss")
    assert first.case is not None
    case_id = first.case.case_id
    other = called(hall, n=2)  # another visitor's case: must not change
    hall.windows.finish_visit(1, "filed", "win01")
    hall.clock.advance(hours=1)  # type: ignore[attr-defined]
    again = hall.desk.issue(form(name=NAME, id_number=distinct_id(1), category="reform",
                                 matter="同一事项再次来访"), actor="desk01")
    with hall.store.transaction():
        hall.cases.link_visit_locked(case_id, again.visit_id, "desk01",
                                     to_storage(hall.now()))
    hall.windows.call_next(1, "win01")
    view = hall.windows.view(1, viewer="win01")
    case = view.current.case if view.current else None
    assert case is not None and (case.number, case.state_label, case.due_on) == (
        "江信〔2026〕第 0001 号", "待受理", "2026-12-08")  # opened 11-23, 15 calendar days
    assert [(v.outcome_name, v.note) for v in case.earlier] == [
        ("立案交办", "已交办市人社局，15 日内告知")]
    assert other  # (its case is the second)
    before = Case.get_by_id(case_id).last_seq
    with only_changes(Case, case_id) as changed:
        made = hall.cases.interviews.appoint(1, at("2026-11-25", "14:00"), "带工资条原件",
                                             "win01")
    assert list(changed.changed) == [case_id] and changed.changed[case_id]["last_seq"] == (
        before, before + 1)
    assert Appointment.get_by_id(made.id).case_id == case_id
    entry = CaseEntry.get((CaseEntry.case == case_id) & (CaseEntry.seq == before + 1))
    assert (entry.kind, entry.note, entry.actor, entry.state) == (
        "appointment", "带工资条原件", "win01", "pending")
    assert '"at": "2026-11-25 14:00"' in entry.detail
    assert made.case_number == "江信〔2026〕第 0001 号"
    detail = hall.cases.detail(case_id, "mgr01")
    assert detail.entries[-1].kind_label == "约谈"


def test_the_window_lists_its_open_appointments_from_today_and_settles_them(
        hall: Hall) -> None:
    called(hall)
    today = hall.cases.interviews.appoint(1, at("2026-11-23", "15:00"), "下午补材料", "win01")
    later = hall.cases.interviews.appoint(1, at("2026-11-26", "10:00"), "周四再谈", "win01")
    hall.windows.finish(1, "answered", "win01")
    called(hall, n=3, window=7, login="win07", category="wages")
    theirs = hall.cases.interviews.appoint(7, at("2026-11-23", "16:00"), "人社局的", "win07")
    listed = hall.cases.interviews.appointments(1, "win01")
    assert [(a.id, a.time, a.visitor) for a in listed] == [
        (today.id, "15:00", "欧***"), (later.id, "10:00", "欧***")]
    assert [a.id for a in hall.cases.interviews.appointments(
        1, "win01", day=at("2026-11-26").date())] == [later.id]
    assert [a.id for a in hall.windows.view(1, viewer="win01").appointments] == [today.id]
    with pytest.raises(NotAllowed):
        hall.cases.interviews.appointments(7, "win01")
    with pytest.raises(NotAllowed):
        hall.cases.interviews.settle(theirs.id, "kept", "win01")
    with pytest.raises(FormError):
        hall.cases.interviews.settle(today.id, "gone", "win01")
    with only_changes(Appointment, today.id):
        settled = hall.cases.interviews.settle(today.id, "kept", "win01")
    assert (settled.status, settled.status_label) == ("kept", "已到访")
    with pytest.raises(Refused, match="已到访"):
        hall.cases.interviews.settle(today.id, "cancelled", "win01")
    assert [a.id for a in hall.cases.interviews.appointments(1, "win01")] == [later.id]
    assert [a.action for a in AuditEvent.select().where(
        AuditEvent.action.startswith("appointment.")).order_by(AuditEvent.id)] == [
        "appointment.make", "appointment.make", "appointment.make", "appointment.kept"]
