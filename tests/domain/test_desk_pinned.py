"""What the desk reads back and audits, pinned where mutation testing found no test (issue 15).

Each test here kills mutants of hall/desk/desk.py that passed the rest of the suite: a ticket read
back (``hall ticket``, a reprint, the desk's ticket screen) that is not the one issued on the day
asked for, or that loses its ids, priority, repeat mark, people or the visitor's visit dates; a
slip missing the hall, the queue, the people ahead, the time or the query code; an audited view of
a visitor's file that does not say which path it came through; a file saved without a visit that
takes a birth date after today, or retries a lost race too often or not at all. Every test runs
on SQLite, and on
PostgreSQL when HALL_TEST_PG_URL is set (the ``hall`` fixture).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import peewee as pw
import pytest

from hall import Hall
from hall.clock import FixedClock
from hall.desk.registration import FormError, NeedsConfirmation
from hall.printing import TicketPrint
from models import Visit
from tests.helpers import form, make_id, row_counts

VISITOR = make_id("19800101", 21)
OTHER = make_id("19800101", 22)
FIRST_DAY = date(2026, 11, 23)


def test_a_ticket_is_read_back_as_issued_on_the_day_asked_for(hall: Hall,
                                                                clock: FixedClock) -> None:
    """Numbers start again every day: L001 of the 23rd is another ticket than today's L001, and
    reading it back by number and day (``hall ticket L001 --date``) gives the one issued then."""
    first = hall.desk.issue(form(id_number=VISITOR, priority="disabled", people=3),
                            actor="desk01")
    clock.advance(days=1)
    hall.desk.issue(form(id_number=OTHER), actor="desk01")  # today's L001: another visitor
    again = hall.desk.issue(form(id_number=VISITOR, matter="工资仍未发放"), actor="desk01")
    assert (first.number, again.number) == ("L001", "L002")

    then = hall.desk.ticket("L001", FIRST_DAY)
    assert (then.ticket_id, then.visit_id, then.number, then.business_day, then.status,
            then.priority, then.priority_name, then.repeat, then.people, then.query_code,
            then.issued_at) == (
        first.ticket_id, first.visit_id, "L001", "2026-11-23", "waiting", "disabled", "残疾人",
        False, 3, first.query_code, "2026-11-23 09:00")
    assert hall.desk.ticket("L001").ticket_id != first.ticket_id  # today's L001

    now = hall.desk.ticket("L002")
    assert (now.ticket_id, now.visit_id, now.priority, now.priority_name, now.repeat,
            now.people, now.ahead) == (again.ticket_id, again.visit_id, "", "", True, 1, 1)
    # The visitor's visits, newest first, as a slip may show them: dates only, nothing else.
    assert [(v.visit_id, v.date, v.masked, v.number, v.matter) for v in now.visits] == [
        (again.visit_id, "2026-11-24", True, "", ""),
        (first.visit_id, "2026-11-23", True, "", "")]


def test_the_slip_shows_the_hall_the_queue_and_the_ticket(hall: Hall) -> None:
    hall.desk.issue(form(id_number=OTHER), actor="desk01")
    issued = hall.desk.issue(form(id_number=VISITOR), actor="desk01")
    ticket = hall.desk.ticket(issued.number)
    assert hall.desk.print_view(ticket) == TicketPrint(
        hall_name="江川市联合接访中心", number="L002", department_name="市人社局",
        windows=("7号窗口",), ahead=1, issued_at="2026-11-23 09:00",
        query_code=issued.query_code, qr_payload=issued.qr)


def test_a_files_history_and_visits_are_audited_with_the_path_they_came_through(
        hall: Hall) -> None:
    """The audit list tells an auditor where each view of a file came from: the history of its
    changes (``visitor.history``, via history) or its visits (``visitor.view``, via visits), the
    latter with the confidential visits shown in full, each also audited on its own."""
    report = hall.desk.issue(form(id_number=VISITOR, category="report",
                                  matter="举报某局干部收受贿赂"), actor="desk01")
    visitor = Visit.get_by_id(report.visit_id).visitor_id
    hall.desk.file_history(visitor, viewer="desk01")
    hall.desk.visits_of(visitor, viewer="mgr01")
    views = [(e.actor, e.action_label, e.entity, e.entity_id, e.detail)
             for e in hall.audit.events(viewer="mgr01")
             if e.action in ("visitor.history", "visitor.view", "visit.confidential")]
    assert views == [
        ("desk01", "查看档案变更", "visitor", str(visitor), {"via": "history"}),
        ("mgr01", "查看来访人档案", "visitor", str(visitor),
         {"via": "visits", "confidential": [report.visit_id]}),
        ("mgr01", "查看保密事项", "visit", str(report.visit_id),
         {"visitor": visitor, "via": "visits"})]


def test_a_new_file_is_audited_on_the_visitor_it_opened(hall: Hall) -> None:
    """The first ticket of a person opens a file, audited as ``visitor.create`` on that file
    (entity ``visitor``, its id) with an empty detail: the file's contents are in the file,
    not in the log. A second ticket with a new phone opens none; it updates the file, audited
    as ``visitor.update`` naming the field (the values are in the file's history). Kills the
    events' entity, id and detail changed (mutation testing, stop 25)."""
    other = hall.desk.issue(form(id_number=OTHER), actor="desk01")
    issued = hall.desk.issue(form(id_number=VISITOR), actor="desk01")
    hall.desk.issue(form(id_number=VISITOR, again_reason="补交材料", phone="13900001111"),
                    actor="desk02")
    first, visitor = (Visit.get_by_id(t.visit_id).visitor_id for t in (other, issued))
    created = [(e.actor, e.entity, e.entity_id, e.detail) for e in hall.audit.events(
        viewer="mgr01") if e.action == "visitor.create"]
    assert first != visitor
    assert sorted(created) == sorted([("desk01", "visitor", str(first), {}),
                                      ("desk01", "visitor", str(visitor), {})])
    updated = [(e.actor, e.entity, e.entity_id, e.detail) for e in hall.audit.events(
        viewer="mgr01") if e.action == "visitor.update"]
    assert updated == [("desk02", "visitor", str(visitor), {"fields": ["phone"]})]


def test_a_file_is_refused_a_birth_date_after_the_halls_today(hall: Hall) -> None:
    """Opening a file without a visit (a booking's first-time visitor) checks the ID number's
    birth date against the hall's day, as issuing does."""
    before = row_counts()
    with pytest.raises(FormError) as refused:
        hall.desk.save_file(form(id_number=make_id("20261124", 5)), actor="desk01")
    assert refused.value.errors == {
        "id_number": "身份证号中的出生日期20261124晚于今天（2026-11-23）"}
    assert row_counts() == before


def losing_races(real: Callable[..., Any], attempts: list[int]) -> Callable[[int], Any]:
    """``losing(times)``: ``real`` as a desk that loses the race for a new file ``times``
    times (the unique ID number broken) before it runs; each attempt is counted in
    ``attempts``."""
    def losing(times: int) -> Any:
        def attempt(*args: Any, **kwargs: Any) -> Any:
            attempts.append(1)
            if len(attempts) <= times:
                raise pw.IntegrityError("UNIQUE constraint failed: visitor.id_number")
            return real(*args, **kwargs)
        return attempt
    return losing


def test_saving_a_file_retries_a_lost_race_and_gives_up_after_five(
        hall: Hall, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two desks opening the same new file at once: the loser's insert breaks the unique ID
    number, and it tries again (finding the winner's file), five attempts in all; a sixth race
    is not run, the fifth loss is raised."""
    attempts: list[int] = []
    losing = losing_races(hall.desk.save_file_locked, attempts)
    monkeypatch.setattr(hall.desk, "save_file_locked", losing(4))
    saved = hall.desk.save_file(form(id_number=VISITOR), actor="desk01")
    assert (saved.id_number, len(attempts)) == (VISITOR, 5)
    attempts.clear()
    monkeypatch.setattr(hall.desk, "save_file_locked", losing(5))
    with pytest.raises(pw.IntegrityError):
        hall.desk.save_file(form(id_number=OTHER), actor="desk01")
    assert len(attempts) == 5


def test_issuing_retries_a_lost_race_and_gives_up_after_five(
        hall: Hall, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two desks issuing to the same new visitor at once (PostgreSQL): the loser's insert of
    the file breaks the unique ID number, and it issues again, finding the winner's file: five
    attempts in all; after a fifth loss the error is raised and nothing is written. Kills the
    retry's bound changed (mutation testing, stop 25: issue's ``attempt == _RETRIES - 1``)."""
    attempts: list[int] = []
    losing = losing_races(hall.desk.issue_locked, attempts)
    monkeypatch.setattr(hall.desk, "issue_locked", losing(4))
    issued = hall.desk.issue(form(id_number=VISITOR), actor="desk01")
    assert (issued.number, len(attempts)) == ("L001", 5)
    attempts.clear()
    before = row_counts()
    monkeypatch.setattr(hall.desk, "issue_locked", losing(5))
    with pytest.raises(pw.IntegrityError):
        hall.desk.issue(form(id_number=OTHER), actor="desk01")
    assert len(attempts) == 5
    assert row_counts() == before


def test_the_desk_suggests_where_a_category_goes_in_the_district_typed(hall: Hall) -> None:
    """The desk's live suggestion (as the form is typed): a category's department, another in a
    district the hall routes it elsewhere in (高新区 has no contracted land left), none for an
    unknown category."""
    assert hall.desk.suggest_department("land_contract") == "rural"
    assert hall.desk.suggest_department("land_contract", "jiangbei") == "rural"
    assert hall.desk.suggest_department("land_contract", "gaoxin") == "land"
    assert hall.desk.suggest_department("nosuch", "gaoxin") is None


def test_what_the_desk_must_confirm_is_said_in_full(hall: Hall) -> None:
    """A name that differs from the file's and a second ticket while one is open: the desk's
    form shows each message beside its field, in full, and nothing is written."""
    hall.desk.issue(form(id_number=VISITOR), actor="desk01")  # L001, 张三
    before = row_counts()
    with pytest.raises(NeedsConfirmation) as asked:
        hall.desk.issue(form(id_number=VISITOR, name="张山", category="policy"), actor="desk01")
    assert asked.value.errors == {
        "name": "与档案中的姓名“张三”不同：确认为同一人改名后才能出票，否则请核对证件号码",
        "again_reason": "此人今天已有票号 L001（市人社局），尚未办结：确需再次取号，"
                        "须说明原因（将记录在案）"}
    with pytest.raises(NeedsConfirmation) as asked:
        hall.desk.save_file(form(id_number=VISITOR, name="张山"), actor="desk01")
    assert asked.value.errors == {
        "name": "与档案中的姓名“张三”不同：确认为同一人改名后才能保存档案，否则请核对证件号码"}
    assert row_counts() == before


def test_the_file_as_the_desk_reads_it(hall: Hall) -> None:
    """一人一档 at the desk: the person's details as on file, their visits, the document it is
    filed under ("" meaning the ID card), the view audited as coming from the file."""
    issued = hall.desk.issue(form(id_number=VISITOR, phone="13800000021", address="江北区一路1号",
                                  district="jiangbei"), actor="desk01")
    for doc_type in ("id_card", ""):
        file = hall.desk.visitor_file(VISITOR, doc_type, viewer="desk01")
        assert file is not None
        assert (file.id_number, file.name, file.sex, file.birth_date, file.phone, file.address,
                file.district, file.doc_type) == (
            VISITOR, "张三", "M", "1980-01-01", "13800000021", "江北区一路1号", "jiangbei",
            "id_card")
        assert [(v.visit_id, v.number, v.matter) for v in file.visits] == [
            (issued.visit_id, "L001", "工地拖欠工资三个月")]
    assert hall.desk.visitor_file(VISITOR, "passport", viewer="desk01") is None
    visitor = Visit.get_by_id(issued.visit_id).visitor_id
    assert file.visitor_id == visitor
    views = [(e.actor, e.entity_id, e.detail)
             for e in hall.audit.events(viewer="mgr01", action="visitor.view")]
    assert views == [("desk01", str(visitor), {"via": "file"})] * 2


def test_a_passport_holders_file_says_passport_and_has_no_birth_date(hall: Hall) -> None:
    hall.desk.save_file(form(name="John Smith", id_number="e12345678",
                             document_type="passport"), actor="desk01")
    file = hall.desk.visitor_file("E12345678", "passport", viewer="desk01")
    assert file is not None
    assert (file.id_number, file.doc_type, file.sex, file.birth_date) == (
        "E12345678", "passport", "", "")
    assert hall.desk.visitor_file("E12345678", viewer="desk01") is None  # not an ID card


def test_a_visit_without_a_ticket_shows_no_status(hall: Hall) -> None:
    """A visit with no ticket (the schema allows it; the file keeps it) has no number, status
    or outcome in the file: empty texts, not None."""
    issued = hall.desk.issue(form(id_number=VISITOR), actor="desk01")
    data = dict(Visit.get_by_id(issued.visit_id).__data__)
    del data["id"]
    unticketed = int(Visit.insert({**data, "matter": "没有取号的来访"}).execute())
    file = hall.desk.visitor_file(VISITOR, viewer="desk01")
    assert file is not None
    shown = {v.visit_id: (v.number, v.status, v.outcome, v.outcome_label) for v in file.visits}
    assert shown == {unticketed: ("", "", "", ""), issued.visit_id: ("L001", "waiting", "", "候谈")}


def test_the_file_shows_a_visit_without_district_and_a_category_since_removed(hall: Hall) -> None:
    """A visit registered with no district shows none; a visit of a category the hall's
    configuration no longer lists is shown by its stored code (nothing is lost from the file)."""
    plain = hall.desk.issue(form(id_number=VISITOR, district=""), actor="desk01")
    again = hall.desk.issue(form(id_number=VISITOR, category="policy",
                                 again_reason="另一事项"), actor="desk01")
    Visit.update(category="old_policy").where(Visit.id == again.visit_id).execute()
    file = hall.desk.visitor_file(VISITOR, viewer="desk01")
    assert file is not None
    shown = {v.visit_id: (v.district, v.category, v.category_name) for v in file.visits}
    assert shown == {plain.visit_id: ("", "wages", "农民工工资"),
                     again.visit_id: ("jiangbei", "old_policy", "old_policy")}


def test_an_earlier_confidential_visit_makes_a_repeat_visit_to_its_own_department(
        hall: Hall, clock: FixedClock) -> None:
    """Mutation testing (stop 24): with the department left out of the repeat check, a
    confidential earlier visit counted for no department, so a second report to 纪委监委 was not
    marked 重复访. It counts for its own department (and, test_confidential shows, only there).
    The issue's audit event names the department and the visit."""
    first = hall.desk.issue(form(id_number=VISITOR, category="report",
                                 matter="举报某局干部收受贿赂"), actor="desk01")
    assert first.repeat is False
    hall.windows.call_next(11, "win11")
    hall.windows.finish(11, "answered", "win11")
    clock.advance(hours=1)
    again = hall.desk.issue(form(id_number=VISITOR, category="report",
                                 matter="举报某局干部收受贿赂，补充材料"), actor="desk01")
    assert again.repeat is True
    assert Visit.get_by_id(again.visit_id).is_repeat
    issued = [e for e in hall.audit.events(viewer="mgr01") if e.action == "ticket.issue"]
    assert [(e.entity, e.entity_id, e.detail) for e in issued] == [
        ("ticket", str(t.ticket_id),
         {"number": t.number, "department": "discipline", "visit": t.visit_id,
          "routed": "discipline", "repeat": t is again, "people": 1, "priority": ""})
        for t in (first, again)]
    # the issued ticket's own line in the visitor's visits: this visit, waiting, as registered
    visit = Visit.get_by_id(again.visit_id)
    this = again.visits[0]
    assert (this.visit_id, this.number, this.status, this.outcome, this.outcome_label,
            this.district, this.matter) == (
        again.visit_id, again.number, "waiting", "", "候谈", visit.district,
        "举报某局干部收受贿赂，补充材料")
    assert visit.district  # the form's district, not an empty one
