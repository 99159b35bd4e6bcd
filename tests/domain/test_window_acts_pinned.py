"""What the window acts write and say, pinned where mutation testing found no test (issue 15).

Each test here kills mutants of hall/windows/acts.py that passed the rest of the suite: a refusal
that no longer names its act, an audit row without its ticket, a recall announced without its
department, a window view missing its number or the visitor's history, an act's default text that
is not empty. Every test runs on SQLite, and on PostgreSQL when HALL_TEST_PG_URL is set.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest

from hall import Hall
from hall.clock import FixedClock, to_storage
from hall.errors import NotAllowed, NotFound, Refused
from hall.windows.acts import act_text_errors
from models import AuditEvent, CaseVisit, Ticket, TicketEvent, Visit, WindowState
from models import statements as sql
from tests.conftest import CST
from tests.domain.test_windows import issue, unchanged
from tests.helpers import distinct_id, form

ACTOR = "win01"


def events_of(number: str) -> list[tuple[str, str]]:
    """(kind, note) of a ticket's events, oldest first."""
    return [(e.kind, e.note) for e in TicketEvent.select().join(Ticket)
            .where(Ticket.number == number).order_by(TicketEvent.id)]


# -- refusals name the act and say what to do ---------------------------------------------------


@pytest.mark.parametrize(("act", "name"), [
    (lambda h: h.windows.recall(1, ACTOR), "重呼"),
    (lambda h: h.windows.start_interview(1, ACTOR), "开始接谈"),
    (lambda h: h.windows.no_show(1, ACTOR), "过号"),
    (lambda h: h.windows.transfer(1, "hrss", ACTOR), "转办"),
    (lambda h: h.windows.finish(1, "answered", ACTOR), "办结"),
])
def test_an_act_without_a_visitor_is_refused_by_its_name(hall: Hall, act: Any,
                                                         name: str) -> None:
    issue(hall, 1)  # waiting, not called: window 1 has nobody
    assert unchanged(hall, lambda: act(hall), Refused) == f"1号窗口当前没有来访，无法{name}"


def test_resume_of_a_running_window_and_pause_of_a_paused_one(hall: Hall) -> None:
    assert unchanged(hall, lambda: hall.windows.resume(2, ACTOR), Refused) == "2号窗口已在服务中"
    hall.windows.pause(2, ACTOR)
    assert unchanged(hall, lambda: hall.windows.pause(2, ACTOR), Refused) == "2号窗口已暂停"


def test_unknown_outcome_lists_every_outcome(hall: Hall) -> None:
    issue(hall, 1)
    hall.windows.call_next(1, ACTOR)
    message = unchanged(hall, lambda: hall.windows.finish(1, "done", ACTOR), Refused)
    # The shipped hall.yaml's outcomes, in its order (written out here, not read from config).
    assert message == ("未知的办理方式“done”，应为：answered（当场答复）、phone（电话联系）、"
                       "notice（出具告知单）、forward（出具转送单）、filed（立案交办）、"
                       "coordinate（协调处理）、report（摘报反映）、rejected（不予受理）、"
                       "closed（不再受理）")


def test_requeue_of_a_ticket_that_is_no_no_show(hall: Hall) -> None:
    issue(hall, 1)
    assert unchanged(hall, lambda: hall.windows.requeue("R001", "desk01"), Refused) == (
        "R001 当前为“候谈”，只有过号的票可重新排队")


def test_retries_exhausted_when_every_claim_is_lost(hall: Hall,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Another window wins every race: the claim reads a ticket already taken (the stale read a
    concurrent window leaves), the guarded take fails, five times; nothing is written."""
    assert hall.windows.call_next(1, ACTOR) is None  # window 1's state row exists already
    issue(hall, 1)
    issue(hall, 2)
    hall.windows.call_next(2, "win02")  # R001 is called by window 2
    taken = Ticket.get(Ticket.number == "R001")
    monkeypatch.setattr(sql, "claim_next",
                        lambda db, *, day, departments, actor: (taken.id, "R001", "xfj"))
    assert unchanged(hall, lambda: hall.windows.call_next(1, ACTOR), Refused) == (
        "叫号冲突过多，请重试")


def test_call_by_number_lost_to_another_window_writes_nothing(
        hall: Hall, monkeypatch: pytest.MonkeyPatch) -> None:
    """If another window took the ticket between the read and the take (the row lock prevents
    it; a hook forces it here, inside the same transaction), the call is refused, rolled back."""
    issue(hall, 1)
    real_take = sql.take

    def another_window_first(db: Any, *, ticket_id: int, window: int, at: Any) -> bool:
        assert real_take(db, ticket_id=ticket_id, window=2, at=at)
        return real_take(db, ticket_id=ticket_id, window=window, at=at)

    monkeypatch.setattr(sql, "take", another_window_first)
    assert unchanged(hall, lambda: hall.windows.call_number(1, "r001", ACTOR), Refused) == (
        "R001 已被其他窗口叫号")


def test_a_typed_number_with_a_control_character_is_not_found(hall: Hall) -> None:
    issue(hall, 1)
    message = unchanged(hall, lambda: hall.windows.call_number(1, "r0\x001", ACTOR), NotFound)
    assert message == "今天没有票号 R0␀1"  # echoed with a visible stand-in, not the NUL


def test_act_text_errors_name_the_field_and_pass_clean_texts() -> None:
    """What the window's dialogs show beside their fields before they close."""
    assert act_text_errors(note="已当场答复", reason="", channel="行政复议") == {}
    errors = act_text_errors(note="正常", reason="理由\x1b[31m", channel="诉讼")
    assert errors == {"reason": "含有终端控制序列（ESC），请删除后重新输入"}


# -- what the acts write ------------------------------------------------------------------------


def test_acts_without_texts_store_empty_texts_and_audit_their_ticket(hall: Hall,
                                                                     clock: FixedClock) -> None:
    first, second, third = issue(hall, 1), issue(hall, 2), issue(hall, 3)
    hall.windows.call_next(1, ACTOR)
    hall.windows.recall(1, ACTOR)
    hall.windows.start_interview(1, ACTOR)
    hall.windows.finish(1, "answered", ACTOR)
    hall.windows.call_next(1, ACTOR)
    hall.windows.transfer(1, "hrss", ACTOR)
    hall.windows.call_next(1, ACTOR)
    clock.advance(minutes=5)
    hall.windows.no_show(1, ACTOR)
    hall.windows.requeue(third.number, "desk01")
    visit = Visit.get_by_id(first.visit_id)
    assert (visit.outcome, visit.outcome_note, visit.outcome_reason, visit.outcome_channel) == (
        "answered", "", "", "")
    assert events_of(first.number) == [("issued", ""), ("called", ""), ("recalled", ""),
                                       ("serving", ""), ("finished", "当场答复")]
    assert events_of(second.number) == [("issued", ""), ("called", ""), ("transferred", "")]
    assert events_of(third.number) == [("issued", ""), ("called", ""), ("no_show", ""),
                                       ("requeued", "")]
    ids = {t.number: t.ticket_id for t in (first, second, third)}
    acts = (AuditEvent.entity == "ticket") & (AuditEvent.action != "ticket.issue")
    audits = [(a.action, a.entity, a.entity_id, json.loads(a.detail))
              for a in AuditEvent.select().where(acts).order_by(AuditEvent.id)]
    assert audits == [
        ("ticket.called", "ticket", str(ids["R001"]), {"number": "R001", "window": 1}),
        ("ticket.recalled", "ticket", str(ids["R001"]), {"number": "R001", "window": 1}),
        ("ticket.serving", "ticket", str(ids["R001"]), {"number": "R001", "window": 1}),
        ("ticket.finished", "ticket", str(ids["R001"]), {"number": "R001", "window": 1}),
        ("ticket.called", "ticket", str(ids["R002"]), {"number": "R002", "window": 1}),
        ("ticket.transferred", "ticket", str(ids["R002"]), {"number": "R002", "window": 1}),
        ("ticket.called", "ticket", str(ids["R003"]), {"number": "R003", "window": 1}),
        ("ticket.no_show", "ticket", str(ids["R003"]), {"number": "R003", "window": 1}),
        ("ticket.requeued", "ticket", str(ids["R003"]), {"number": "R003", "window": None})]


def test_pause_and_resume_audit_an_empty_detail(hall: Hall) -> None:
    hall.windows.pause(4, "win04")
    hall.windows.resume(4, "win04")
    rows = [(a.action, a.entity_id, a.detail) for a in AuditEvent.select()
            .where(AuditEvent.entity == "window").order_by(AuditEvent.id)]
    assert rows == [("window.pause", "4", "{}"), ("window.resume", "4", "{}")]


def test_a_window_first_seen_has_a_blank_state_row(hall: Hall) -> None:
    assert hall.windows.call_next(5, "win05") is None  # nobody waits: only the row is created
    row = WindowState.get_by_id(5)
    assert (row.paused, row.current_id, row.actor, row.updated_at) == (
        False, None, "", to_storage(hall.store.now()))


def test_a_recall_is_announced_in_its_department(hall: Hall) -> None:
    issue(hall, 1, category="wages")  # 市人社局, window 7
    hall.windows.call_next(7, "win07")
    notice = hall.windows.recall(7, "win07")
    assert (notice.number, notice.department, notice.window, notice.window_title,
            notice.kind) == ("L001", "hrss", 7, "7号窗口", "recalled")


# -- the no-show rule and the window view -------------------------------------------------------


def test_no_show_rule_when_the_call_time_is_unknown(hall: Hall) -> None:
    at = to_storage(hall.store.now())
    # Shipped rule: 2 recalls or 5 minutes since the call; no call time counts as 0 minutes.
    assert hall.windows.no_show_allowed(1, None, at) == (
        False, "尚不能过号：需重呼 2 次或叫号满 5 分钟（已重呼 1 次，已过 0 分钟）")
    assert hall.windows.no_show_allowed(2, None, at) == (True, "")


def test_the_view_allows_a_no_show_once_the_call_is_old_enough(hall: Hall,
                                                               clock: FixedClock) -> None:
    issue(hall, 1)
    hall.windows.call_next(1, ACTOR)
    clock.advance(minutes=4, seconds=59)
    current = hall.windows.view(1, viewer="mgr01").current
    assert current is not None and current.no_show_allowed is False
    assert "已过 4 分钟" in current.no_show_hint
    clock.advance(seconds=1)
    current = hall.windows.view(1, viewer="mgr01").current
    assert current is not None and (current.no_show_allowed, current.no_show_hint) == (True, "")


def test_the_view_names_the_window_and_its_departments(hall: Hall) -> None:
    view = hall.windows.view(3, viewer="mgr01")
    assert (view.number, view.title, view.departments, view.department_names) == (
        3, "3号窗口", ("xfj", "environment"), ("信访局综合接待", "市生态环境局"))


def test_the_view_shows_the_visitors_other_visits_only(hall: Hall, clock: FixedClock) -> None:
    earlier = issue(hall, 1)
    issue(hall, 2)  # another visitor's visit is not in this file
    hall.windows.call_next(1, ACTOR)
    hall.windows.finish(1, "answered", ACTOR)
    clock.advance(days=1)
    today = issue(hall, 1)
    hall.windows.call_number(1, today.number, ACTOR)
    current = hall.windows.view(1, viewer="mgr01").current
    assert current is not None
    assert [(v.visit_id, v.number, v.date, v.outcome) for v in current.history] == [
        (earlier.visit_id, "R001", "2026-11-23", "answered")]


# -- revealing the current visitor's masked fields ----------------------------------------------


def test_reveal_shows_the_visitor_at_the_window_asked_for_and_nobody_elses(hall: Hall) -> None:
    hall.windows.call_next(1, ACTOR)  # window 1 is open, nobody waits: it has no visitor
    issue(hall, 1)
    hall.windows.call_next(2, "win02")
    shown = hall.windows.reveal(2, viewer="win02")
    assert (shown.number, shown.id_number) == ("R001", distinct_id(1))
    for window in (1, 3):  # 3: never opened today
        assert unchanged(hall, lambda w=window: hall.windows.reveal(w, viewer="mgr01"),
                         Refused) == f"{window} 号窗口当前没有来访人"
    revealed = AuditEvent.select().where(AuditEvent.action == "visitor.reveal")
    assert [(a.actor, json.loads(a.detail)) for a in revealed] == [
        ("win02", {"window": 2, "ticket": "R001"})]


def test_reveal_is_refused_by_its_own_name(hall: Hall) -> None:
    """Revealing is its own act (显示完整个人信息), refused and audited as that, not as reading
    the file."""
    issue(hall, 1, category="wages")
    hall.windows.call_next(7, "win07")
    for login, reason in [
            ("kiosk01", "无权限显示完整个人信息：自助机（kiosk01）不能显示完整个人信息"),
            ("win08", "无权限显示完整个人信息：吴静（win08）不属于市人社局，只能办理本部门的事项")]:
        with pytest.raises(NotAllowed) as refused:
            hall.windows.reveal(7, viewer=login)
        assert str(refused.value) == reason
    denied = AuditEvent.select().where(AuditEvent.action == "denied").order_by(AuditEvent.id)
    assert [(a.actor, a.entity, a.entity_id) for a in denied] == [
        ("kiosk01", "act", "visitor.reveal"), ("win08", "act", "visitor.reveal")]


def test_the_window_shows_its_departments_confidential_case_in_full(hall: Hall,
                                                                    clock: FixedClock) -> None:
    """A report (检举控告, confidential) comes back on its case: 纪委监委's own window sees the
    case and what was recorded at the earlier visit, not 「保密事项」."""
    issue(hall, 30, category="report", matter="举报某局干部收受贿赂")
    hall.windows.call_next(11, "win11")
    first = hall.windows.finish_visit(11, "filed", "win11", note="已立案，30 日内告知")
    assert first.case is not None
    clock.advance(hours=1)
    # Linked at the desk by a manager: a desk clerk outside 纪委监委 is not offered the case.
    hall.desk.issue(form(id_number=distinct_id(30), category="report", matter="补充举报材料",
                         case_id=first.case.case_id), actor="mgr01")
    hall.windows.call_next(11, "win11")
    current = hall.windows.view(11, viewer="win11").current
    case = current.case if current else None
    assert case is not None and (case.case_id, case.number, case.masked) == (
        first.case.case_id, first.case.number, False)
    assert [(v.outcome_name, v.note) for v in case.earlier] == [("立案交办", "已立案，30 日内告知")]


def test_finish_hands_the_case_to_the_unit_named(hall: Hall) -> None:
    """办结 with 立案交办 and a unit (``hall finish --unit``): the case opened is the unit's, not
    the visit's department's."""
    issued = issue(hall, 1)  # 信访局综合接待
    hall.windows.call_next(1, ACTOR)
    assert hall.windows.finish(1, "filed", ACTOR, note="交办市人社局", unit="hrss") == "R001"
    case_id = CaseVisit.get(CaseVisit.visit == issued.visit_id).case_id
    summary = hall.cases.detail(case_id, "mgr01").summary
    assert (summary.department, summary.unit) == ("hrss", "市人社局")


def test_the_window_lists_its_appointments_today_in_full(hall: Hall) -> None:
    """The window's own appointments of today show whom and why to the window's clerk."""
    issue(hall, 1)
    hall.windows.call_next(1, ACTOR)
    hall.cases.interviews.appoint(1, datetime(2026, 11, 23, 15, 0, tzinfo=CST), "下午补材料",
                                  ACTOR)
    hall.windows.finish(1, "answered", ACTOR)
    listed = hall.windows.view(1, viewer=ACTOR).appointments
    assert [(a.time, a.visitor, a.note, a.masked) for a in listed] == [
        ("15:00", "张*", "下午补材料", False)]


def test_finish_visit_without_texts_stores_empty_texts(hall: Hall) -> None:
    """finish_visit (the window's finish dialog, ``hall finish``) called with no note, reason or
    channel stores none, and a refusal without them is refused."""
    issued = issue(hall, 1)
    hall.windows.call_next(1, ACTOR)
    with pytest.raises(Refused, match="须填写理由和告知来访人的法定途径"):
        hall.windows.finish_visit(1, "rejected", ACTOR)
    finished = hall.windows.finish_visit(1, "answered", ACTOR)
    assert (finished.number, finished.case) == ("R001", None)
    visit = Visit.get_by_id(issued.visit_id)
    assert (visit.outcome, visit.outcome_note, visit.outcome_reason, visit.outcome_channel) == (
        "answered", "", "", "")
    assert events_of("R001")[-1] == ("finished", "当场答复")
