"""Cases through the facade (issue 12 §4): opened by a window's finish, every step from every state
against a hand-written transition table, the extension once, urges, follow-ups and reviews,
refusals, the timeline and its audit, confidentiality and scope, repeat visits, ``find``.

Every case here is opened as the hall opens it: the desk issues a ticket, the window calls it and
finishes it with an outcome that opens a case (``hall.windows.finish_visit``). A refused act must
change no row of the case tables (compared row for row) and write no audit event (but the one
``denied`` event of a permission refusal). Each test's docstring names the mutation of
hall/cases it kills.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from hall import Hall
from hall.cases import STEPS
from hall.clock import FixedClock
from hall.desk.registration import FormError
from hall.errors import NotAllowed, NotFound, Refused
from models import (
    AuditEvent,
    Case,
    CaseCounter,
    CaseDocument,
    CaseEntry,
    CaseVisit,
    ChangeCounter,
    Visit,
    open_database,
)
from tests.helpers import config_with, distinct_id, form, snapshot

CST = timezone(timedelta(hours=8))
TODAY = date(2026, 11, 23)  # the fixed clock's Monday
WINDOW = {"wages": (7, "win07"), "policy": (1, "win01"), "report": (11, "win11"),
          "arrears": (8, "win08")}
"""Category → the window (and its clerk) the desk's ticket for it is called at."""
_ids = itertools.count(100)


def open_case(hall: Hall, category: str = "wages", outcome: str = "filed", unit: str = "",
              id_number: str = "") -> int:
    """Issue, call and finish a visit with an outcome that opens a case; the case's id."""
    window, clerk = WINDOW[category]
    hall.desk.issue(form(id_number=id_number or distinct_id(next(_ids)), category=category),
                    actor="desk01")
    hall.windows.call_next(window, clerk)
    finished = hall.windows.finish_visit(window, outcome, clerk, note="接谈", unit=unit)
    assert finished.case is not None and finished.case.new
    return finished.case.case_id


def tables() -> dict[str, Any]:
    """Every row of the case tables and the change counters, and the audit log's size."""
    rows: dict[str, Any] = {m._meta.table_name: snapshot(m) for m in
                            (Case, CaseEntry, CaseVisit, CaseDocument, CaseCounter,
                             ChangeCounter)}
    rows["audit"] = AuditEvent.select().count()
    return rows


def refused(act: Callable[[], Any], error: type[Exception] = Refused) -> str:
    """Run ``act``, which must raise ``error`` and change nothing; the message."""
    before = tables()
    with pytest.raises(error) as caught:
        act()
    assert tables() == before
    return str(caught.value)


def denied(act: Callable[[], Any], login: str, what: str) -> None:
    """Run ``act``, which must raise :class:`NotAllowed` and write nothing but one ``denied``
    audit event of ``login`` for the act ``what``."""
    before = tables()
    with pytest.raises(NotAllowed):
        act()
    after = tables()
    assert after.pop("audit") == before.pop("audit") + 1
    assert after == before
    last = AuditEvent.select().order_by(AuditEvent.id.desc()).get()
    assert (last.action, last.actor, last.entity_id) == ("denied", login, what)


def row(case_id: int) -> Case:
    return Case.get_by_id(case_id)


def kinds(case_id: int) -> list[str]:
    return [e.kind for e in CaseEntry.select().where(CaseEntry.case == case_id)
            .order_by(CaseEntry.seq)]


# -- the case's number and its opening deadlines --------------------------------------------------


def test_numbers_are_the_years_running_number_in_the_configured_format(
        hall: Hall, clock: FixedClock) -> None:
    """江信〔2026〕第 0001 号, 0002 …; a new year restarts at 0001. Kills: the counter keyed by
    something else than the year (no restart), ``seq`` not taken from the counter (duplicates),
    the format ignored."""
    first, second = open_case(hall), open_case(hall, "policy")
    assert [row(first).number, row(second).number] == ["江信〔2026〕第 0001 号",
                                                       "江信〔2026〕第 0002 号"]
    clock.set(datetime(2027, 1, 4, 9, 0, tzinfo=CST))
    third = open_case(hall)
    assert (row(third).year, row(third).seq, row(third).number) == (2027, 1,
                                                                     "江信〔2027〕第 0001 号")
    assert {c.year: c.last for c in CaseCounter.select()} == {2026: 2, 2027: 1}
    numbers = [c.number for c in Case.select()]
    assert len(numbers) == len(set(numbers)) == 3


@pytest.mark.parametrize(("counting", "acceptance", "handling"), [
    # Opened Fri 2026-09-18. Calendar: +15 = 10-03 (国庆) → Thu 10-08; +60 = Tue 11-17.
    ("calendar", "2026-10-08", "2026-11-17"),
    # Working: Sun 09-20 调休 (1), 09-21…24 (5), 中秋 09-25…27 off, 09-28…30 (8), 国庆 off,
    # 10-08 (9), 10-09 (10), Sat 10-10 调休 (11), 10-12…15 (15); then 10-16 (16), five a week
    # to 12-11 (56), 12-14…17 (60).
    ("working", "2026-10-15", "2026-12-17"),
])
def test_opening_deadlines_follow_the_configured_counting(
        db_url: str, clock: FixedClock, counting: str, acceptance: str, handling: str) -> None:
    """Kills: the counting read from a constant instead of ``time_limits.counting``, the
    acceptance and handling periods swapped, the due date the hall holds the case to not the
    acceptance notice's while pending."""
    config = config_with(("counting: calendar", f"counting: {counting}"))
    clock.set(datetime(2026, 9, 18, 10, 0, tzinfo=CST))
    db = open_database(db_url)
    hall = Hall(db, config, clock)
    try:
        case_id = open_case(hall)
        detail = hall.cases.detail(case_id, "mgr01")
        assert (detail.acceptance_due, detail.handling_due, detail.summary.due_on) == (
            acceptance, handling, acceptance)
        assert (detail.summary.opened_on, detail.summary.state) == ("2026-09-18", "pending")
    finally:
        db.close()


# -- every step from every state: a hand-written table --------------------------------------------

NO_REQUEST = "no request"
"""The step is allowed in the state, but refused for want of an extension request."""
TABLE: dict[str, dict[str, str]] = {
    "pending": {"accept": "accepted", "refuse": "rejected", "assign": "pending",
                "urge": "pending", "lead": "pending", "note": "pending"},
    "accepted": {"assign": "handling", "reply": "replied", "urge": "accepted",
                 "extend": "accepted", "approve_extension": NO_REQUEST,
                 "refuse_extension": NO_REQUEST, "lead": "accepted", "note": "accepted"},
    "handling": {"assign": "handling", "reply": "replied", "urge": "handling",
                 "extend": "handling", "approve_extension": NO_REQUEST,
                 "refuse_extension": NO_REQUEST, "lead": "handling", "note": "handling"},
    "replied": {"return": "handling", "followup": "followed", "urge": "replied",
                "lead": "replied", "note": "replied"},
    "followed": {"close": "closed", "urge": "followed", "lead": "followed", "note": "followed",
                 "review": "followed"},
    "closed": {"note": "closed", "review": "closed"},
    "rejected": {"note": "rejected"},
    "not_again": {"note": "not_again"},
}
"""State → the steps it allows → the state the step leaves (from the issue's state diagram and
the module docstring of hall/cases/states.py, written out by hand)."""
LABELS = {"accept": "受理告知", "refuse": "不予受理/不再受理", "assign": "交办", "reply": "答复",
          "return": "退回", "followup": "回访", "close": "办结", "urge": "督办",
          "extend": "申请延期", "approve_extension": "批准延期",
          "refuse_extension": "不批准延期", "lead": "领导包案", "note": "备注", "review": "复查"}
STATE_LABELS = {"pending": "待受理", "accepted": "已受理", "handling": "办理中",
                "replied": "已答复", "followed": "已回访", "closed": "办结",
                "rejected": "不予受理", "not_again": "不再受理"}


def step_call(cases: Any, step: str, case_id: int) -> Any:
    """Take ``step`` on the case as the manager, with valid arguments."""
    calls: dict[str, Callable[[], Any]] = {
        "accept": lambda: cases.accept(case_id, "mgr01", how="电话告知"),
        "refuse": lambda: cases.refuse(case_id, "rejected", "属于诉讼事项", "向人民法院起诉",
                                       "mgr01"),
        "refuse_again": lambda: cases.refuse(case_id, "not_again", "已复核终结",
                                             "不再受理", "mgr01"),
        "assign": lambda: cases.assign(case_id, "hrss", "mgr01", note="请人社局办理"),
        "reply": lambda: cases.reply(case_id, "已足额支付拖欠工资", "mgr01"),
        "return": lambda: cases.send_back(case_id, "答复未附支付凭证", "mgr01"),
        "followup": lambda: cases.followup(case_id, "phone", "不满意", "mgr01", note="仍有异议"),
        "close": lambda: cases.close(case_id, "mgr01"),
        "urge": lambda: cases.urge(case_id, "请尽快办理", "mgr01"),
        "extend": lambda: cases.extend(case_id, 10, "情况复杂", "mgr01"),
        "approve_extension": lambda: cases.approve_extension(case_id, "mgr01", told="电话告知"),
        "refuse_extension": lambda: cases.refuse_extension(case_id, "mgr01", note="理由不足"),
        "lead": lambda: cases.lead(case_id, "lihong", "mgr01"),
        "note": lambda: cases.note(case_id, "来电询问进展", "mgr01"),
        "review": lambda: cases.review(case_id, "mgr01", note="申请复查"),
    }
    return calls[step]()


REACH = {"pending": [], "accepted": ["accept"], "handling": ["accept", "assign"],
         "replied": ["accept", "reply"], "followed": ["accept", "reply", "followup"],
         "closed": ["accept", "reply", "followup", "close"], "rejected": ["refuse"],
         "not_again": ["refuse_again"]}


def case_in(hall: Hall, state: str) -> int:
    case_id = open_case(hall)
    for step in REACH[state]:
        step_call(hall.cases, step, case_id)
    assert row(case_id).state == state
    return case_id


def test_the_table_covers_every_step() -> None:
    """A step added to STEPS without a row here fails (so the table below stays complete)."""
    assert set(STEPS) == set(LABELS)


@pytest.mark.parametrize("state", list(TABLE))
def test_every_step_from_every_state(hall: Hall, state: str) -> None:
    """Each step is taken exactly from the states of the hand-written table, leaving the state
    the table says; every other step is refused, changes no row and names the allowed steps.
    Kills: the state check removed or inverted (``CaseBase._check``), a state added to or
    dropped from a step's ``before``, a wrong ``after``, the refusal's list of steps."""
    allowed = TABLE[state]
    case_id = case_in(hall, state)
    assert hall.cases.detail(case_id, "mgr01").allowed == tuple(
        s for s in LABELS if s in allowed)
    names = "、".join(LABELS[s] for s in LABELS if s in allowed)
    for step in LABELS:
        if step in allowed:
            continue
        message = refused(lambda step=step: step_call(hall.cases, step, case_id))
        assert message == (f"案件当前为“{STATE_LABELS[state]}”，不能{LABELS[step]}；"
                           f"可进行的操作：{names}"), step
    for step, after in allowed.items():
        fresh = case_in(hall, state)
        if after == NO_REQUEST:
            assert "没有待批准的延期申请" in refused(
                lambda step=step, fresh=fresh: step_call(hall.cases, step, fresh))
            continue
        entries = row(fresh).last_seq
        step_call(hall.cases, step, fresh)
        assert row(fresh).state == after, step
        assert row(fresh).last_seq == entries + 1, step


# -- the extension, once --------------------------------------------------------------------------


def test_an_extension_is_granted_once_and_refused_twice(hall: Hall) -> None:
    """Accepted Mon 11-23: handling due 2027-01-22 (+60 calendar days, a Friday; 2027 has no
    holiday data). 10 days more: Mon 2027-02-01. A second request while one is pending and a
    request after approval are refused, writing nothing. Kills: the once-only check removed
    (either branch), the days added to the opening date instead of handling's due date,
    ``due_on`` not moved with it."""
    case_id = open_case(hall)
    hall.cases.accept(case_id, "win07", how="电话告知")
    assert str(row(case_id).handling_due) == "2027-01-22"
    hall.cases.extend(case_id, 10, "涉及多个单位", "win07")
    assert row(case_id).extension_state == "requested"
    assert "已有待批准的申请" in refused(
        lambda: hall.cases.extend(case_id, 5, "再次申请", "win07"))
    hall.cases.approve_extension(case_id, "mgr01", told="2026-11-24 电话告知来访人")
    r = row(case_id)
    assert (str(r.handling_due), str(r.due_on), r.extension_days, r.extension_state) == (
        "2027-02-01", "2027-02-01", 10, "approved")
    assert "本案已批准延期" in refused(
        lambda: hall.cases.extend(case_id, 5, "还要延期", "win07"))
    assert "没有待批准的延期申请" in refused(
        lambda: hall.cases.approve_extension(case_id, "mgr01", told="电话"))
    approved = CaseEntry.get((CaseEntry.case == case_id)
                             & (CaseEntry.kind == "approve_extension"))
    assert json.loads(approved.detail)["told"] == "2026-11-24 电话告知来访人"


def test_approve_without_request_and_days_over_the_limit_are_refused(hall: Hall) -> None:
    """Kills: ``_requested_days`` not checking the request, the ``1 <= days <= limit`` check
    loosened (31 with a 30-day limit, 0), a refused request blocking a new one forever."""
    case_id = open_case(hall)
    hall.cases.accept(case_id, "win07", how="电话告知")
    assert "没有待批准的延期申请" in refused(
        lambda: hall.cases.approve_extension(case_id, "mgr01", told="电话"))
    assert "没有待批准的延期申请" in refused(
        lambda: hall.cases.refuse_extension(case_id, "mgr01", note="不同意"))
    for days in (0, 31, -3):
        refused(lambda days=days: hall.cases.extend(case_id, days, "情况复杂", "win07"),
                FormError)
    refused(lambda: hall.cases.extend(case_id, 10, "  ", "win07"), FormError)
    hall.cases.extend(case_id, 30, "情况复杂", "win07")  # the limit itself is allowed
    hall.cases.refuse_extension(case_id, "mgr01", note="理由不足")
    assert (row(case_id).extension_state, str(row(case_id).handling_due)) == ("refused",
                                                                              "2027-01-22")


# -- urges ----------------------------------------------------------------------------------------


def test_urge_dates_within_today_and_the_due_date(hall: Hall) -> None:
    """Accepted today: handling due 2027-01-22. An urge may hold the unit to any date from
    today on; the case's due date becomes the earlier of the urge's and the statutory one, so
    a later date neither lengthens the period nor hides an overdue case (the entry keeps the
    date asked). While pending, the acceptance notice's due date (12-08) is the limit. A past
    date is refused, writing nothing. Kills: the ``min`` with the statutory date removed, the
    past-date check removed, the pending case's urge postponing its acceptance notice."""
    pending = open_case(hall)
    hall.cases.urge(pending, "请尽快受理", "mgr01", due=date(2026, 12, 9))
    assert str(row(pending).due_on) == "2026-12-08"  # the acceptance notice's, not later
    hall.cases.urge(pending, "请尽快受理", "mgr01", due=date(2026, 12, 1))
    assert str(row(pending).due_on) == "2026-12-01"

    case_id = open_case(hall)
    hall.cases.accept(case_id, "win07", how="电话告知")
    hall.cases.urge(case_id, "请尽快办理", "mgr01", due=date(2027, 1, 23))
    assert str(row(case_id).due_on) == "2027-01-22"
    refused(lambda: hall.cases.urge(case_id, "请尽快办理", "mgr01", due=date(2026, 11, 22)),
            FormError)
    refused(lambda: hall.cases.urge(case_id, "", "mgr01"), FormError)
    hall.cases.urge(case_id, "请于本周内答复", "mgr01", due=TODAY)  # today is allowed
    assert str(row(case_id).due_on) == "2026-11-23"
    hall.cases.urge(case_id, "最后期限", "mgr01", due=date(2027, 1, 22))  # so is the due date
    urges = list(CaseEntry.select().where((CaseEntry.case == case_id)
                                          & (CaseEntry.kind == "urge")).order_by(CaseEntry.seq))
    assert [(str(e.due_on), e.note) for e in urges] == [
        ("2027-01-23", "请尽快办理"), ("2026-11-23", "请于本周内答复"),
        ("2027-01-22", "最后期限")]
    assert str(row(case_id).due_on) == "2027-01-22"


def test_urges_are_the_managers(hall: Hall) -> None:
    """督办 is ``case.supervise``: the case's own window clerk is refused (kills a step's act
    read from the wrong column)."""
    case_id = open_case(hall)
    denied(lambda: hall.cases.urge(case_id, "请尽快", "win07"), "win07", "case.supervise")


# -- follow-up, review, refusal -------------------------------------------------------------------


def replied_case(hall: Hall) -> int:
    case_id = open_case(hall)
    hall.cases.accept(case_id, "win07", how="电话告知")
    hall.cases.reply(case_id, "已责令企业支付", "win07")
    return case_id


@pytest.mark.parametrize("satisfaction", ["满意", "基本满意", "不满意"])
def test_followup_takes_the_statutory_scale(hall: Hall, satisfaction: str) -> None:
    """满意 / 基本满意 / 不满意 and the configured ways; anything else is refused writing
    nothing. Kills: the scale or the ways unchecked, the satisfaction not kept on the row."""
    case_id = replied_case(hall)
    refused(lambda: hall.cases.followup(case_id, "phone", "很满意", "win07"), FormError)
    refused(lambda: hall.cases.followup(case_id, "email", satisfaction, "win07"), FormError)
    hall.cases.followup(case_id, "sms", satisfaction, "win07", note="短信已发")
    assert (row(case_id).state, row(case_id).satisfaction) == ("followed", satisfaction)
    entry = CaseEntry.get((CaseEntry.case == case_id) & (CaseEntry.kind == "followup"))
    assert json.loads(entry.detail) == {"how": "sms", "satisfaction": satisfaction}
    shown = [e for e in hall.cases.detail(case_id, "mgr01").entries if e.kind == "followup"]
    assert shown[0].detail == {"how": "短信", "satisfaction": satisfaction}  # the way's name


def test_review_only_after_dissatisfaction_within_review_days(hall: Hall,
                                                              clock: FixedClock) -> None:
    """复查: refused after 满意; after 不满意 allowed 30 days after the follow-up (review_days),
    refused on the 31st; the review is a new case whose parent is this one. Kills: the
    satisfaction check removed, ``> limit`` → ``>= limit``, the parent link not written."""
    happy = replied_case(hall)
    hall.cases.followup(happy, "phone", "满意", "win07")
    assert "不满意" in refused(lambda: hall.cases.review(happy, "mgr01"))

    late = replied_case(hall)
    hall.cases.followup(late, "phone", "不满意", "win07")
    unhappy = replied_case(hall)
    hall.cases.followup(unhappy, "phone", "不满意", "win07")
    clock.set(datetime(2026, 12, 24, 9, 0, tzinfo=CST))  # 31 days after 11-23
    assert refused(lambda: hall.cases.review(late, "mgr01")) == "回访已超过 30 日，不能申请复查"
    clock.set(datetime(2026, 12, 23, 23, 59, tzinfo=CST))  # 30 days after
    summary = hall.cases.review(unhappy, "mgr01", note="来访人申请复查")
    assert summary.state == "pending" and summary.number == "江信〔2026〕第 0004 号"
    new = row(summary.id)
    assert (new.parent_id, new.visitor_id, new.category) == (unhappy, row(unhappy).visitor_id,
                                                             "wages")
    assert hall.cases.detail(summary.id, "mgr01").parent == row(unhappy).number
    assert hall.cases.detail(unhappy, "mgr01").reviews == (summary.number,)
    assert kinds(unhappy)[-1] == "review" and row(unhappy).state == "followed"


def test_a_note_or_review_on_a_closed_case_keeps_its_closing_date(hall: Hall,
                                                                  clock: FixedClock) -> None:
    """A remark or a review taken on a closed case is an entry; the case stays closed on the
    day it closed. Kills (and found): every entry in a closed state re-closing the case with
    today's date."""
    case_id = replied_case(hall)
    hall.cases.followup(case_id, "phone", "不满意", "win07")
    hall.cases.close(case_id, "mgr01")
    assert str(row(case_id).closed_on) == "2026-11-23"
    clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=CST))
    hall.cases.note(case_id, "来访人来电", "mgr01")
    hall.cases.review(case_id, "mgr01")
    r = row(case_id)
    assert (str(r.closed_on), r.open, r.state, r.due_on) == ("2026-11-23", False, "closed", None)


@pytest.mark.parametrize(("kind", "label"), [("rejected", "不予受理"), ("not_again", "不再受理")])
def test_refuse_closes_at_once_with_reason_and_channel(hall: Hall, kind: str,
                                                       label: str) -> None:
    """不予受理 / 不再受理: the case closes at once (not open, no due date, closed today) with
    the reason and the channel; either text empty, or an unknown kind, is refused writing
    nothing. Kills: the closing fields not set on a closed state, the required texts optional."""
    case_id = open_case(hall)
    refused(lambda: hall.cases.refuse(case_id, kind, "", "向法院起诉", "win07"), FormError)
    refused(lambda: hall.cases.refuse(case_id, kind, "不属受理范围", " ", "win07"), FormError)
    refused(lambda: hall.cases.refuse(case_id, "later", "理由", "途径", "win07"), FormError)
    summary = hall.cases.refuse(case_id, kind, "属于诉讼事项", "向人民法院起诉", "win07")
    assert (summary.state, summary.state_label, summary.due_on, summary.days_left) == (
        kind, label, "", None)
    r = row(case_id)
    assert (r.open, r.due_on, str(r.closed_on)) == (False, None, "2026-11-23")
    entry = CaseEntry.get((CaseEntry.case == case_id) & (CaseEntry.seq == 2))
    assert (entry.kind, entry.state, entry.note, json.loads(entry.detail)) == (
        kind, kind, "属于诉讼事项", {"channel": "向人民法院起诉"})


# -- the timeline and the audit log ---------------------------------------------------------------


def test_entries_are_appended_numbered_with_an_audit_event_each(hall: Hall) -> None:
    """Each step appends entry n+1 and leaves every earlier entry as it was; each writes one
    audit event ``case.<kind>`` on the case. Kills: ``seq`` not incremented (the unique index
    refuses), an entry rewritten, a step without its audit event."""
    case_id = open_case(hall)
    steps = [lambda: hall.cases.accept(case_id, "win07", how="电话告知"),
             lambda: hall.cases.urge(case_id, "请尽快", "mgr01"),
             lambda: hall.cases.assign(case_id, "housing", "mgr01"),
             lambda: hall.cases.note(case_id, "住建局已接收", "win08"),
             lambda: hall.cases.reply(case_id, "已协调支付", "win08"),
             lambda: hall.cases.send_back(case_id, "未附凭证", "mgr01"),
             lambda: hall.cases.reply(case_id, "已附凭证", "win08"),
             lambda: hall.cases.followup(case_id, "visit", "基本满意", "win08"),
             lambda: hall.cases.close(case_id, "mgr01")]
    for n, step in enumerate(steps, start=2):
        before = snapshot(CaseEntry)
        step()
        after = snapshot(CaseEntry)
        assert {k: v for k, v in after.items() if k in before} == before
        added = [v for k, v in after.items() if k not in before]
        assert [(e["case"], e["seq"]) for e in added] == [(case_id, n)]
    expected = ["opened", "accept", "urge", "assign", "note", "reply", "return", "reply",
                "followup", "close"]
    assert kinds(case_id) == expected
    assert [e.seq for e in CaseEntry.select().where(CaseEntry.case == case_id)
            .order_by(CaseEntry.seq)] == list(range(1, 11))
    events = [(e.action, e.actor) for e in AuditEvent.select()
              .where((AuditEvent.entity == "case") & (AuditEvent.entity_id == str(case_id))
                     & (AuditEvent.action != "case.view")).order_by(AuditEvent.id)]
    assert events == [("case.opened", "win07"), ("case.accept", "win07"), ("case.urge", "mgr01"),
                      ("case.assign", "mgr01"), ("case.note", "win08"), ("case.reply", "win08"),
                      ("case.return", "mgr01"), ("case.reply", "win08"),
                      ("case.followup", "win08"), ("case.close", "mgr01")]
    timeline = hall.cases.detail(case_id, "mgr01").entries
    assert [e.seq for e in timeline] == list(range(1, 11))
    assert [e.state for e in timeline][-1] == "closed"


# -- who sees and who acts ------------------------------------------------------------------------


def test_a_confidential_case_is_masked_outside_discipline_and_the_managers(hall: Hall) -> None:
    """检举控告: 纪委监委's window and the managers read the matter and the visitor; another
    department's window, listing the visitor's open cases, sees that a confidential case exists
    and nothing more, and may not open it; the leader's room that took it sees it masked.
    Kills: ``sees_matter`` true for everyone, the confidential flag not copied at opening."""
    case_id = open_case(hall, "report")
    assert row(case_id).confidential
    for viewer in ("win11", "mgr01"):
        summary = hall.cases.detail(case_id, viewer).summary
        assert (summary.masked, summary.matter, summary.visitor) == (False, "工地拖欠工资三个月",
                                                                      "张*"), viewer
    visitor = row(case_id).visitor_id
    (other,) = hall.cases.open_cases_of(visitor, "win07")
    assert (other.masked, other.matter, other.visitor, other.category) == (True, "保密事项", "",
                                                                           "")
    denied(lambda: hall.cases.detail(case_id, "win07"), "win07", "case.view")
    hall.cases.lead(case_id, "lihong", "mgr01")
    (room,) = hall.cases.list("win20")
    assert (room.id, room.masked, room.matter) == (case_id, True, "保密事项")
    detail = hall.cases.detail(case_id, "win20")
    assert detail.request == "" and detail.visits == ()
    assert all(e.note == "" and e.detail == {} for e in detail.entries)


def test_a_window_of_another_department_cannot_act_on_the_case(hall: Hall) -> None:
    """人社局's clerk (win07) on a 信访局 case: refused, only the ``denied`` event written; the
    case's own clerk may. Kills: the case's department dropped from the permission check."""
    case_id = open_case(hall, "policy")
    assert row(case_id).department == "xfj"
    denied(lambda: hall.cases.accept(case_id, "win07", how="电话"), "win07", "case.handle")
    denied(lambda: hall.cases.note(case_id, "越权备注", "win07"), "win07", "case.handle")
    assert [c.id for c in hall.cases.list("win07")] == []
    hall.cases.accept(case_id, "win01", how="电话")
    assert row(case_id).state == "accepted"


# -- opening: the unit, repeat visits -------------------------------------------------------------


def test_a_forwarding_slip_needs_the_outside_unit(hall: Hall) -> None:
    """出具转送单 without a unit is refused before anything is written (the visit stays called);
    with one, the case names it as 承办单位 and keeps the visit's department to follow it; an
    unknown department for 立案交办 is refused too. Kills: ``check_unit`` not called or not
    requiring the unit for an outside-unit outcome."""
    hall.desk.issue(form(id_number=distinct_id(9001)), actor="desk01")
    hall.windows.call_next(7, "win07")
    for outcome, unit in (("forward", ""), ("forward", "   "), ("filed", "nowhere")):
        before = tables()
        with pytest.raises(FormError):
            hall.windows.finish_visit(7, outcome, "win07", unit=unit)
        assert tables() == before
    finished = hall.windows.finish_visit(7, "forward", "win07", unit="江北区人民政府")
    assert finished.case is not None
    r = row(finished.case.case_id)
    assert (r.outside_unit, r.department, r.outcome) == ("江北区人民政府", "hrss", "forward")
    assert hall.cases.detail(r.id, "mgr01").summary.unit == "江北区人民政府"
    filed = open_case(hall, unit="housing")
    assert (row(filed).department, row(filed).outside_unit) == ("housing", "")


def test_a_finish_of_a_visit_linked_to_an_open_case_adds_an_entry(hall: Hall) -> None:
    """The visitor comes back about the same matter; the visit is linked to the open case
    (as the desk does, in its transaction); finishing it — with any outcome, one that opens a
    case too — adds a "visit" entry and opens no case. Kills: ``open_locked`` ignoring the link
    (a second case), the link ignored once the case is closed (an entry on a closed case)."""
    id_number = distinct_id(9100)
    case_id = open_case(hall, id_number=id_number)
    ticket = hall.desk.issue(form(id_number=id_number), actor="desk01")
    with hall.store.transaction():
        hall.cases.link_visit_locked(case_id, ticket.visit_id, "desk01",
                                     datetime(2026, 11, 23, 2, 0))
    hall.windows.call_next(7, "win07")
    counter = snapshot(CaseCounter)
    finished = hall.windows.finish_visit(7, "filed", "win07", note="再次来访")
    assert finished.case is not None
    assert (finished.case.case_id, finished.case.new) == (case_id, False)
    assert Case.select().count() == 1 and snapshot(CaseCounter) == counter
    assert kinds(case_id) == ["opened", "visit", "visit"]
    last = CaseEntry.get((CaseEntry.case == case_id) & (CaseEntry.seq == 3))
    assert json.loads(last.detail) == {"visit": ticket.visit_id, "outcome": "filed"}
    assert [v.visit_id for v in hall.cases.detail(case_id, "mgr01").visits][-1] == (
        ticket.visit_id)
    # Once the case is closed, linking to it is refused, writing nothing.
    hall.cases.refuse(case_id, "rejected", "不属受理范围", "向仲裁委申请仲裁", "win07")
    again = hall.desk.issue(form(id_number=id_number), actor="desk01")

    def link() -> None:
        with hall.store.transaction():
            hall.cases.link_visit_locked(case_id, again.visit_id, "desk01",
                                         datetime(2026, 11, 23, 3, 0))
    refused(link)


# -- find -----------------------------------------------------------------------------------------


def test_find_by_id_number_and_year_seq_and_nothing_else(hall: Hall) -> None:
    """The id, the full number, YEAR-SEQ; garbage is NotFound, never another error. Kills:
    a branch of ``find`` dropped; found: a superscript digit passing ``isdigit`` and crashing
    ``int`` with ValueError."""
    first, second = open_case(hall), open_case(hall)
    number = row(second).number
    assert [hall.cases.find(x) for x in (first, str(second), f" {second} ", number,
                                         "2026-2", "2026-0002")] == [first, second, second,
                                                                     second, second, second]
    for junk in ("", "0", "3", "2025-1", "2026-3", "2026-", "-1", "abc", "\x00", "1\x00",
                 "2026-1\x1b[2J", "²", "2026-²", "9" * 18, "9" * 19, "2026-" + "9" * 15,
                 "9" * 10 + "-1", "江信〔2026〕第 0001 号x", "x" * 100_000, "1" * 100_000):
        with pytest.raises(NotFound) as caught:
            hall.cases.find(junk)
        assert len(str(caught.value)) < 200, junk[:20]
        assert "\x00" not in str(caught.value) and "\x1b" not in str(caught.value)


def test_a_leader_added_to_the_roster_takes_a_case_and_a_retired_one_cannot(hall: Hall) -> None:
    """包案 goes by the roster, not only the configuration: 赵敏, added from the manager screen,
    takes an open case (her room, 领导接访室, then sees it), and once retired she is refused
    with the roster's words. Kills: ``lead`` and the case scopes reading ``config.leaders``."""
    case_id = open_case(hall)
    hall.leaders.roster.add("zhaomin", "赵敏", "mgr01", title="副区长", department="leader")
    taken = hall.cases.lead(case_id, "zhaomin", "mgr01")
    assert (taken.leader, taken.leader_label) == ("zhaomin", "赵敏副区长")
    assert case_id in {c.id for c in hall.cases.list("win20")}  # the leaders' room (韩秘书)
    # the timeline names her as the roster does (the screen and the CLI print it as given)
    lead = [e for e in hall.cases.detail(case_id, "mgr01").entries if e.kind == "lead"]
    assert lead[-1].detail["leader"] == "赵敏副区长"
    hall.leaders.roster.retire("zhaomin", "mgr01", reason="调任")
    other = open_case(hall)
    with pytest.raises(Refused, match="已停用"):
        hall.cases.lead(other, "zhaomin", "mgr01")
    with pytest.raises(NotFound, match="未知的领导"):
        hall.cases.lead(other, "nobody", "mgr01")
    assert Case.get_by_id(other).leader == ""


# -- what an entry stores and what an approval grants (mutation survivors, stop 22) ------------


def test_an_entry_stores_its_words_as_text_and_its_audit_names_seq_and_state(hall: Hall) -> None:
    """The entry's detail is JSON with the Chinese as written (a database reader, an export
    or a search sees 诉讼, not \\u escapes); a step without a note stores "" (not a
    placeholder); the audit event holds the entry's number, the state after it and the detail
    without its note, keyed exactly so. Two entries on one locked row in one transaction (a
    case opened with its leader: opened, then lead) are numbered 1 and 2."""
    case_id = open_case(hall)
    hall.cases.refuse(case_id, "rejected", "不属信访事项", "诉讼", "win07")
    entry = CaseEntry.get((CaseEntry.case == case_id) & (CaseEntry.kind == "rejected"))
    assert entry.note == "不属信访事项"
    assert json.loads(entry.detail) == {"channel": "诉讼"}
    assert "诉讼" in entry.detail and "\\u" not in entry.detail
    event = (AuditEvent.select().where((AuditEvent.entity == "case")
                                       & (AuditEvent.entity_id == str(case_id))
                                       & (AuditEvent.action == "case.rejected")).get())
    detail = json.loads(event.detail)
    assert detail == {"seq": 2, "state": "rejected", **json.loads(entry.detail)}
    assert "note" not in detail

    visitor = Visit.get_by_id(row(case_id).visit_id).visitor_id
    led = hall.cases.open_for(visitor, "wages", "欠薪积案", "hrss", "mgr01", leader="lihong")
    entries = list(CaseEntry.select().where(CaseEntry.case == led.id)
                   .order_by(CaseEntry.seq))
    assert [(e.seq, e.kind, e.note) for e in entries] == [(1, "opened", ""), (2, "lead", "")]
    assert row(led.id).last_seq == 2
    lead_event = (AuditEvent.select().where((AuditEvent.entity_id == str(led.id))
                                            & (AuditEvent.action == "case.lead")).get())
    assert json.loads(lead_event.detail) == {"seq": 2, "state": "pending", "leader": "lihong"}


def test_an_approval_grants_this_cases_latest_request(hall: Hall) -> None:
    """Case A asks 10 days (refused), then 25: the approval grants 25 (the latest request, not
    the first); case B's request of 5 days is B's alone. Accepted Mon 11-23, handling due
    2027-01-22 (a Friday): +25 days is Tue 2027-02-16 (calendar days; 2027 has no holiday
    data), +5 is Wed 2027-01-27. Without a pending request the refusal says exactly so."""
    a, b = open_case(hall), open_case(hall)
    for case_id in (a, b):
        hall.cases.accept(case_id, "win07", how="电话告知")
    hall.cases.extend(b, 5, "待补材料", "win07")
    hall.cases.extend(a, 10, "涉及多个单位", "win07")
    hall.cases.refuse_extension(a, "mgr01", note="理由不足")
    hall.cases.extend(a, 25, "需现场核查", "win07")
    hall.cases.approve_extension(a, "mgr01", told="电话告知")
    hall.cases.approve_extension(b, "mgr01", told="电话告知")
    assert (row(a).extension_days, str(row(a).handling_due)) == (25, "2027-02-16")
    assert (row(b).extension_days, str(row(b).handling_due)) == (5, "2027-01-27")
    assert refused(lambda: hall.cases.approve_extension(a, "mgr01", told="电话")) == (
        "本案没有待批准的延期申请")


def test_a_missing_case_is_named_by_its_number(hall: Hall) -> None:
    with pytest.raises(NotFound) as missing:
        hall.cases.detail(424242, "mgr01")
    assert str(missing.value) == "没有编号为 424242 的案件"
    with pytest.raises(NotFound) as missing:
        hall.cases.accept(424242, "mgr01", how="电话")
    assert str(missing.value) == "没有编号为 424242 的案件"


def test_a_visit_in_two_cases_shows_the_newest(hall: Hall) -> None:
    """Mutation testing (stop 24): ``of_visit`` without its order could name a visit's older
    case. A repeat visit linked to case A, A refused (closed), the same visit then filed at the
    window: it opens case B, and the status lookup of that visit names B."""
    person = distinct_id(next(_ids))
    older = open_case(hall, id_number=person)
    again = hall.desk.issue(form(id_number=person, category="wages", case_id=older),
                            actor="desk01")
    hall.cases.refuse(older, "rejected", "不属受理范围", "向人民法院起诉", "win07")
    hall.windows.call_next(7, "win07")
    finished = hall.windows.finish_visit(7, "filed", "win07", note="接谈")
    assert finished.case is not None and finished.case.new
    newer = finished.case.case_id
    assert [link.case_id for link in CaseVisit.select().where(CaseVisit.visit == again.visit_id)
            .order_by(CaseVisit.id)] == [older, newer]
    shown = hall.cases.of_visit(again.visit_id)
    assert shown is not None and shown[0] == row(newer).number != row(older).number


def test_the_review_window_counts_from_this_cases_own_follow_up(hall: Hall,
                                                                 clock: FixedClock) -> None:
    """Mutation testing (stop 24): the follow-up the 30 days count from was looked up without
    its case, or as any entry but a follow-up, and nothing noticed. Another case followed up
    later, or a remark on this one after its follow-up, must not reopen the window. The review's
    entry keeps its note and names the new case."""
    mine = replied_case(hall)
    hall.cases.followup(mine, "phone", "不满意", "win07")  # 11-23
    clock.set(datetime(2026, 12, 13, 9, 0, tzinfo=CST))
    other = replied_case(hall)
    hall.cases.followup(other, "phone", "不满意", "win07")  # 12-13: another case's
    hall.cases.note(mine, "来电询问进展", "win07")  # a remark after mine's follow-up
    clock.set(datetime(2026, 12, 24, 9, 0, tzinfo=CST))  # 31 days after mine's
    assert "30 日" in refused(lambda: hall.cases.review(mine, "mgr01"))
    summary = hall.cases.review(other, "mgr01", note="来访人申请复查")
    entry = CaseEntry.get((CaseEntry.case == other) & (CaseEntry.kind == "review"))
    assert (entry.note, json.loads(entry.detail)) == ("来访人申请复查", {"review": summary.number})
    assert not CaseEntry.select().where((CaseEntry.case == mine)
                                        & (CaseEntry.kind == "review")).exists()


def test_a_lead_keeps_its_note_or_none(hall: Hall) -> None:
    """Mutation testing (stop 24): 包案's note defaulted to something, or was dropped."""
    quiet, told = open_case(hall), open_case(hall)
    hall.cases.lead(quiet, "lihong", "mgr01")
    hall.cases.lead(told, "lihong", "mgr01", note="李红同志包案化解")
    notes = {case: CaseEntry.get((CaseEntry.case == case) & (CaseEntry.kind == "lead")).note
             for case in (quiet, told)}
    assert notes == {quiet: "", told: "李红同志包案化解"}


def test_an_unknown_refusal_kind_names_its_field_and_the_two_kinds(hall: Hall) -> None:
    """Mutation testing (stop 24): the refusal's field, its Chinese name and the words were not
    pinned (a screen shows ``labels`` beside the field that is wrong)."""
    case_id = open_case(hall)
    with pytest.raises(FormError) as wrong:
        hall.cases.refuse(case_id, "later", "理由", "途径", "win07")
    assert wrong.value.errors == {"kind": "应为 rejected（不予受理）或 not_again（不再受理）"}
    assert wrong.value.labels == {"kind": "类型"}
    assert row(case_id).state == "pending"


def test_a_review_carries_the_whole_matter_and_refuses_in_its_own_words(hall: Hall) -> None:
    """The review's new case carries the matter as this case leaves it: category, 事由,
    具体诉求, the outcome, the department and the outside unit it was assigned to (交办 to
    江北区住房保障中心); it opens 待受理 with its own deadlines. The refusals say exactly why.
    Kills the copied fields swapped or dropped and the words changed (mutation testing,
    stop 25)."""
    case_id = open_case(hall)
    hall.cases.accept(case_id, "win07", how="电话告知")
    hall.cases.assign(case_id, "江北区住房保障中心", "mgr01")
    hall.cases.reply(case_id, "已责令企业支付", "win07")
    satisfied = replied_case(hall)
    hall.cases.followup(satisfied, "phone", "满意", "win07")
    assert refused(lambda: hall.cases.review(satisfied, "mgr01")) == (
        "只有回访“不满意”的案件可申请复查")
    hall.cases.followup(case_id, "phone", "不满意", "win07")
    old = row(case_id)
    assert (old.department, old.outside_unit) == ("hrss", "江北区住房保障中心")
    new = row(hall.cases.review(case_id, "mgr01").id)
    assert (new.category, new.matter, new.request, new.outcome, new.department,
            new.outside_unit, new.visitor_id) == (
        old.category, old.matter, old.request, old.outcome, old.department, old.outside_unit,
        old.visitor_id)
    assert (new.state, new.open, new.parent_id, new.visit_id) == ("pending", True, case_id, None)
    assert (new.opened_by, new.leader, new.satisfaction) == ("mgr01", "", "")



def test_a_visits_case_is_named_with_its_state_and_next_due_date_while_open(hall: Hall) -> None:
    """What the desk prints for a visit linked to a case: its number, the state as the hall
    calls it, and the next due date ("" when it has none: replied, or closed). Opened
    Mon 11-23: acceptance due 12-08 (15 days); accepted: handling due 2027-01-22 (60 days).
    Kills the tuple's fields dropped or swapped (mutation testing, stop 25)."""
    case_id = open_case(hall)
    visit = row(case_id).visit_id
    number = row(case_id).number
    assert hall.cases.of_visit(visit) == (number, "待受理", "2026-12-08")
    hall.cases.accept(case_id, "win07", how="电话告知")
    assert hall.cases.of_visit(visit) == (number, "已受理", "2027-01-22")
    other = open_case(hall)
    hall.cases.accept(other, "win07", how="电话告知")
    hall.cases.reply(other, "已责令企业支付", "win07")  # open, waiting for its follow-up
    assert hall.cases.of_visit(row(other).visit_id) == (row(other).number, "已答复", "")
    other = open_case(hall)
    hall.cases.refuse(other, "rejected", "不属受理范围", "向人民法院起诉", "win07")
    assert hall.cases.of_visit(row(other).visit_id) == (row(other).number, "不予受理", "")
    assert hall.cases.of_visit(visit) == (number, "已受理", "2027-01-22")  # its own case


def test_find_refuses_in_its_own_words_and_takes_the_longest_forms(hall: Hall) -> None:
    """The refusal names what was typed (cut at 64 characters) and the three forms it takes;
    a zero-padded YEAR-SEQ of 20 characters is still found, and "2026-1-1" is not a YEAR-SEQ
    (NotFound, not a crash on unpacking). Kills the words, the cut and the bounds changed
    (mutation testing, stop 25)."""
    first, second = open_case(hall), open_case(hall)
    assert hall.cases.find("2026-" + "0" * 14 + "2") == second
    assert hall.cases.find(" " + "0" * 17 + str(first) + " ") == first  # 18 digits: the id
    for junk, shown in (("abc", "abc"), ("x" * 100, "x" * 64), ("2026-1-1", "2026-1-1"),
                        ("2026-" + "0" * 15 + "2", "2026-" + "0" * 15 + "2")):
        with pytest.raises(NotFound) as caught:
            hall.cases.find(junk)
        assert str(caught.value) == f"没有案件 {shown}（可用案件编号、序号或 年份-序号）"


def test_a_review_of_a_confidential_case_is_shown_to_the_manager_who_opened_it(hall: Hall) -> None:
    """A report to 纪委监委 followed up 不满意 and reviewed by a manager: the new case is as
    confidential as the old, and the summary the manager gets back shows it whole, as the
    manager sees it (not as nobody would). Without a note the review's entry has none. Kills
    the summary built for no viewer and the note's default changed (mutation testing,
    stop 25)."""
    case_id = open_case(hall, "report")
    hall.cases.accept(case_id, "win11", how="电话告知")
    hall.cases.reply(case_id, "已转有关部门核查", "win11")
    hall.cases.followup(case_id, "phone", "不满意", "win11")
    summary = hall.cases.review(case_id, "mgr01")
    assert (summary.masked, summary.category, summary.matter, summary.visitor) == (
        False, "report", "工地拖欠工资三个月", "张*")
    assert row(summary.id).confidential
    entry = CaseEntry.get((CaseEntry.case == case_id) & (CaseEntry.kind == "review"))
    assert entry.note == ""


def test_every_reading_of_a_case_is_audited_with_whether_it_was_masked(hall: Hall) -> None:
    """Opening a case writes ``case.view`` on that case, saying whether the reader saw it
    masked: 纪委监委's report read by a manager (whole) and by the leaders' room that took it
    (masked). Kills the event's entity, id and detail changed (mutation testing, stop 25)."""
    case_id = open_case(hall, "report")
    hall.cases.lead(case_id, "lihong", "mgr01")
    hall.cases.detail(case_id, "mgr01")
    hall.cases.detail(case_id, "win20")
    views = [(e.actor, e.entity, e.entity_id, json.loads(e.detail)) for e in AuditEvent.select()
             .where(AuditEvent.action == "case.view").order_by(AuditEvent.id)]
    assert views == [("mgr01", "case", str(case_id), {"masked": False}),
                     ("win20", "case", str(case_id), {"masked": True})]


def test_steps_refuse_in_their_own_words_and_keep_no_note_when_none_is_given(hall: Hall) -> None:
    """The refusals of 交办 and 回访, field and words as the form shows them (written out by
    hand), writing nothing; 交办, 回访 and 办结 without a note keep none; 交办 to a department
    after an outside unit clears the outside unit and names the department in the entry.
    Kills the words, labels and default notes changed (mutation testing, stop 25)."""
    case_id = replied_case(hall)
    assert refused(lambda: hall.cases.assign(case_id, "  ", "mgr01"),
                   FormError) == "承办单位：不能为空"
    assert refused(lambda: hall.cases.followup(case_id, "email", "满意", "win07"), FormError) == (
        "方式：应为：phone（电话）、visit（上门）、sms（短信）、in_person（来访面谈）")
    assert refused(lambda: hall.cases.followup(case_id, "phone", "很满意", "win07"),
                   FormError) == "满意度：应为：满意、基本满意、不满意"
    hall.cases.followup(case_id, "phone", "满意", "win07")
    hall.cases.close(case_id, "mgr01")
    other = open_case(hall)
    hall.cases.assign(other, "江北区住房保障中心", "mgr01")
    hall.cases.assign(other, "xfj", "mgr01")
    assert (row(other).department, row(other).outside_unit) == ("xfj", "")
    last = CaseEntry.select().where(CaseEntry.case == other).order_by(CaseEntry.seq.desc()).get()
    assert json.loads(last.detail) == {"unit": "xfj"}
    notes = {(e.case_id, e.kind): e.note for e in CaseEntry.select().where(
        CaseEntry.kind.in_(["followup", "close", "assign"]))}
    assert set(notes.values()) == {""}
    assert len(notes) == 3


def test_an_extension_of_one_day_up_to_the_limit_and_none_where_the_hall_allows_none(
        hall: Hall, db_url: str, clock: FixedClock) -> None:
    """延期 of 1 day is the shortest asked for; 0 or 31 days are refused naming the range
    (extension_days 30), writing nothing; a hall configured with extension_days 0 says it
    allows none. Kills the range's bounds and words changed (mutation testing, stop 25)."""
    case_id = open_case(hall)
    hall.cases.accept(case_id, "win07", how="电话告知")
    for days in (0, 31):
        assert refused(lambda d=days: hall.cases.extend(case_id, d, "待补材料", "win07"),
                       FormError) == "延期天数：应为 1 至 30 天"
    hall.cases.extend(case_id, 1, "待补材料", "win07")
    assert row(case_id).extension_state == "requested"

    strict = Hall(open_database(db_url), config_with(("extension_days: 30",
                                                      "extension_days: 0")), clock)
    try:
        other = open_case(strict)
        strict.cases.accept(other, "win07", how="电话告知")
        assert refused(lambda: strict.cases.extend(other, 1, "待补材料", "win07"),
                       FormError) == "延期天数：本厅不允许延期"
    finally:
        strict.db.close()


def test_a_visitors_open_cases_come_newest_first(hall: Hall) -> None:
    """The desk offers a visitor's open cases to link a visit to, newest first; a closed one is
    not offered. Kills the order dropped (mutation testing, stop 25)."""
    person = distinct_id(next(_ids))
    older = open_case(hall, id_number=person)
    closed = open_case(hall, id_number=person)
    newer = open_case(hall, id_number=person)
    hall.cases.refuse(closed, "rejected", "不属受理范围", "向人民法院起诉", "win07")
    visitor = row(older).visitor_id
    assert [c.id for c in hall.cases.open_cases_of(visitor, "desk01")] == [newer, older]


def test_an_extension_is_asked_once_in_so_many_words_and_defaults_keep_no_note(
        hall: Hall) -> None:
    """A second 延期 request is refused saying why: one is waiting, or one was approved.
    受理 without how or note and 批准延期 without a note keep empty texts; 受理's entry carries
    the handling due date it set. Kills the words, the defaults and the entry's due date
    changed (mutation testing, stop 25)."""
    case_id = open_case(hall)
    hall.cases.accept(case_id, "win07")
    hall.cases.extend(case_id, 10, "涉及多个单位", "win07")
    assert refused(lambda: hall.cases.extend(case_id, 5, "再延", "win07")) == (
        "延期只能申请一次：已有待批准的申请")
    hall.cases.approve_extension(case_id, "mgr01", told="电话告知")
    assert refused(lambda: hall.cases.extend(case_id, 5, "再延", "win07")) == (
        "延期只能申请一次：本案已批准延期")
    entries = {e.kind: e for e in CaseEntry.select().where(CaseEntry.case == case_id)}
    assert (entries["accept"].note, json.loads(entries["accept"].detail)) == ("", {"how": ""})
    assert entries["accept"].due_on == date(2027, 1, 22)  # the step's new due date, on its entry
    assert entries["extend"].due_on is None  # a step that sets none records none
    assert (entries["approve_extension"].note,
            json.loads(entries["approve_extension"].detail)) == ("", {"told": "电话告知"})


def test_an_urges_date_runs_from_today_to_366_days_ahead_inclusive(hall: Hall) -> None:
    """督办's new date: today and 2027-11-24 (366 days after Mon 2026-11-23) are taken; the day
    before today and 2027-11-25 are refused naming the range, writing nothing. Kills the
    bound and the words changed (mutation testing, stop 25)."""
    case_id = open_case(hall)
    for due in (date(2026, 11, 22), date(2027, 11, 25)):
        assert refused(lambda d=due: hall.cases.urge(case_id, "请加快", "mgr01", due=d),
                       FormError) == "督办期限：应在今天（2026-11-23）至 366 天内"
    hall.cases.urge(case_id, "请加快", "mgr01", due=date(2027, 11, 24))
    hall.cases.urge(case_id, "今日办结", "mgr01", due=TODAY)
    assert [e.due_on for e in CaseEntry.select().where(
        (CaseEntry.case == case_id) & (CaseEntry.kind == "urge")).order_by(CaseEntry.seq)] == [
        date(2027, 11, 24), TODAY]
