"""The Hall facade at the desk: visitor files, numbering, queues, query codes, audit, rollover.

Every test runs on SQLite, and on PostgreSQL too when HALL_TEST_PG_URL is set.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from base64 import b32encode
from datetime import date, datetime

import peewee as pw
import pytest

from hall import Hall
from hall.clock import FixedClock
from hall.desk.registration import FormError
from hall.errors import NotFound
from models import AuditEvent, Ticket, TicketCounter, TicketEvent, Visit, Visitor
from tests.conftest import CST
from tests.helpers import distinct_id, form, make_id, named, row_counts

DESK = "desk01"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=CST)


def audit_rows() -> list[AuditEvent]:
    return list(AuditEvent.select().order_by(AuditEvent.id))


# -- the visitor's file (一人一档) --------------------------------------------------------------


def test_new_visitor_gets_a_file(hall: Hall) -> None:
    number = "11010519491231002X"
    assert hall.desk.visitor_file(number, viewer="mgr01") is None
    ticket = hall.desk.issue(form(name="李秀英", id_number=number.lower(), phone="13812345678",
                             address="江北区滨江路1号", district="jiangbei"), actor=DESK)
    assert ticket.repeat is False
    assert [v.visit_id for v in ticket.visits] == [ticket.visit_id]
    file = hall.desk.visitor_file(number, viewer="mgr01")
    assert file is not None
    assert (file.name, file.sex, file.birth_date) == ("李秀英", "F", "1949-12-31")
    assert (file.phone, file.address, file.district) == ("13812345678", "江北区滨江路1号",
                                                         "jiangbei")
    assert file.visit_count == 1
    assert file.last_visit is not None and file.last_visit.number == ticket.number
    assert Visitor.select().count() == 1
    actions = [(a.action, a.actor) for a in audit_rows()]
    assert actions == [("visitor.create", DESK), ("ticket.issue", DESK),
                       ("visitor.view", "mgr01")]  # reading the file is audited too


def test_legacy_15_digit_number_finds_the_same_file(hall: Hall) -> None:
    hall.desk.issue(form(id_number="11010519491231002X"), actor=DESK)
    ticket = hall.desk.issue(form(id_number="110105491231002", again_reason="换窗口"), actor=DESK)
    assert ticket.repeat is True
    assert Visitor.select().count() == 1


def test_known_visitor_is_found_and_the_visit_marked_repeat(hall: Hall,
                                                            clock: FixedClock) -> None:
    person = make_id("19800101", seq=3)
    clock.set(at(20, 9))
    first = hall.desk.issue(form(id_number=person, name="王五", phone="13812345678",
                            address="江南区一路1号", district="jiangnan"), actor=DESK)
    assert first.number == "L001"
    hall.windows.call_next(7, actor="win07")
    hall.windows.finish(7, "answered", actor="win07", note="已告知劳动监察投诉渠道")
    clock.set(at(21, 10))
    second = hall.desk.issue(form(id_number=person, name="王五", category="arrears",
                             matter="工程款", district=""), actor=DESK)
    assert second.number == "Z001"
    clock.set(at(23, 9, 30))

    # The desk looks the ID up before issuing: the file prefills the form.
    file = hall.desk.visitor_file(person, viewer="mgr01")
    assert file is not None
    assert (file.name, file.phone, file.address) == ("王五", "13812345678", "江南区一路1号")
    assert file.visit_count == 2
    last = file.last_visit
    assert last is not None
    assert (last.date, last.department, last.department_name) == ("2026-11-21", "housing",
                                                                  "市住建局")
    assert last.outcome_label == "未接谈"  # a past day's ticket nobody called

    # Empty fields on the form leave the file as it was.
    third = hall.desk.issue(form(id_number=person, name="王五", phone="", address="", district=""),
                       actor=DESK)
    assert third.repeat is True
    assert len(third.visits) == 3
    assert [v.date for v in third.visits] == ["2026-11-23", "2026-11-21", "2026-11-20"]
    assert [v.department for v in third.visits] == ["hrss", "housing", "hrss"]
    assert [v.outcome_label for v in third.visits] == ["候谈", "未接谈", "当场答复"]
    assert third.visits[2].outcome == "answered"
    assert third.visits[0].visit_id == third.visit_id
    visitor = Visitor.get(Visitor.id_number == person)
    assert (visitor.phone, visitor.address, visitor.district) == ("13812345678", "江南区一路1号",
                                                                  "jiangnan")
    assert not [a for a in audit_rows() if a.action == "visitor.update"]
    repeat_flags = [v.is_repeat for v in Visit.select().order_by(Visit.id)]
    assert repeat_flags == [False, True, True]


def test_changed_details_update_the_file_and_the_audit_names_only_fields(hall: Hall) -> None:
    person = make_id(seq=5)
    hall.desk.issue(form(id_number=person, name="赵六", phone="13812345678"), actor=DESK)
    hall.desk.issue(form(id_number=person, name="赵六", phone="13987654321",
                    address="城东区二路2号", again_reason="另一事项"), actor="desk02")
    visitor = Visitor.get(Visitor.id_number == person)
    assert (visitor.phone, visitor.address) == ("13987654321", "城东区二路2号")
    updates = [a for a in audit_rows() if a.action == "visitor.update"]
    assert len(updates) == 1
    assert updates[0].actor == "desk02"
    assert updates[0].entity_id == str(visitor.id)
    assert json.loads(updates[0].detail) == {"fields": ["address", "phone"]}
    everything = " ".join(a.detail for a in audit_rows())
    for personal in ("13812345678", "13987654321", "城东区二路2号", "赵六", person):
        assert personal not in everything


# -- numbering and the queue ------------------------------------------------------------------


def test_numbers_per_department_per_day(hall: Hall) -> None:
    numbers = [hall.desk.issue(form(id_number=distinct_id(i), category=category), actor=DESK).number
               for i, category in enumerate(
                   ["wages", "labour", "policy", "wages", "litigation", "reform"])]
    assert numbers == ["L001", "L002", "R001", "L003", "F001", "R002"]
    assert {(c.department, c.last) for c in TicketCounter.select()} == {
        ("hrss", 3), ("xfj", 2), ("court", 1)}
    lengths = {q.department: (q.waiting, q.issued) for q in hall.board.queue_lengths()}
    assert lengths["hrss"] == (3, 3)
    assert lengths["xfj"] == (2, 2)
    assert lengths["police"] == (0, 0)


def test_people_ahead_honour_priority_then_issue_time(hall: Hall, clock: FixedClock) -> None:
    def issue(n: int, **changes: object) -> str:
        clock.advance(minutes=1)
        changes.setdefault("id_number", distinct_id(n))
        return hall.desk.issue(form(**changes), actor=DESK).number

    plain1 = issue(1)
    plain2 = issue(2)
    elderly = issue(3, id_number=make_id("19500101"))  # 76: elderly by age
    appointment = issue(4, priority="appointment")
    disabled = issue(5, priority="disabled")
    plain3 = issue(6)
    other_queue = issue(7, category="policy")
    ahead = {n: hall.desk.ticket_status(n).ahead for n in
             (plain1, plain2, elderly, appointment, disabled, plain3)}
    assert ahead == {elderly: 0, disabled: 1, appointment: 2, plain1: 3, plain2: 4, plain3: 5}
    assert hall.desk.ticket_status(other_queue).ahead == 0
    assert hall.desk.ticket(plain3).ahead == 5
    # Called tickets no longer count.
    hall.windows.call_next(7, actor="win07")
    assert hall.desk.ticket_status(elderly).status == "called"
    assert hall.desk.ticket_status(elderly).ahead == 0
    assert hall.desk.ticket_status(plain3).ahead == 4


def test_same_time_issues_queue_in_issue_order(hall: Hall) -> None:
    numbers = [hall.desk.issue(form(id_number=distinct_id(n)), actor=DESK).number for n in range(4)]
    assert [hall.desk.ticket_status(n).ahead for n in numbers] == [0, 1, 2, 3]


def test_the_issued_ticket_view(hall: Hall, config) -> None:
    ticket = hall.desk.issue(form(category="policy", people=2), actor=DESK)
    assert ticket.number == "R001"
    assert ticket.department == "xfj"
    assert ticket.department_name == "信访局综合接待"
    assert ticket.windows == ("1号窗口", "2号窗口", "3号窗口")
    assert (ticket.status, ticket.ahead, ticket.people) == ("waiting", 0, 2)
    assert ticket.issued_at == "2026-11-23 09:00"
    assert ticket.business_day == "2026-11-23"
    assert ticket.qr == config.tickets.qr_template.format(code=ticket.query_code)
    assert ticket.query_code in ticket.qr


# -- query codes ------------------------------------------------------------------------------


def test_query_codes_are_unique_and_find_their_ticket(hall: Hall) -> None:
    tickets = [hall.desk.issue(form(id_number=distinct_id(n), category=c), actor=DESK)
               for n, c in enumerate(["wages", "wages", "policy", "litigation"] * 3)]
    codes = [t.query_code for t in tickets]
    assert len(set(codes)) == len(codes)
    for t in tickets:
        assert len(t.query_code) == 12
        assert t.number not in t.query_code
        by_code = hall.desk.ticket_status(t.query_code)
        by_lower = hall.desk.ticket_status(f"  {t.query_code.lower()} ")
        by_number = hall.desk.ticket_status(t.number.lower())
        assert by_code == by_lower == by_number
        assert (by_code.number, by_code.department) == (t.number, t.department)
        assert by_code.status == "waiting"


def test_forged_or_altered_codes_are_refused(hall: Hall) -> None:
    ticket = hall.desk.issue(form(), actor=DESK)
    # One character changed.
    last = ticket.query_code[-1]
    altered = ticket.query_code[:-1] + ("A" if last != "A" else "B")
    # Made the right way, but without this hall's secret.
    message = f"jcs|{ticket.business_day}|{ticket.number}".encode()
    forged = b32encode(hmac.new(b"guess" * 8, message, hashlib.sha256).digest()).decode()[:12]
    for bad in (altered, forged, "", "L001X", "AAAAAAAAAAAA", ticket.query_code + "A"):
        with pytest.raises(NotFound) as caught:
            hall.desk.ticket_status(bad)
        assert "无效" in str(caught.value) or "没有票号" in str(caught.value)


def test_a_stored_code_that_was_tampered_with_is_refused(hall: Hall) -> None:
    ticket = hall.desk.issue(form(), actor=DESK)
    other = hall.desk.issue(form(id_number=distinct_id(9)), actor=DESK)
    # Someone with database access points a code at a different ticket: the HMAC no longer fits.
    Ticket.update(query_code="TAMPEREDCODE").where(Ticket.id == ticket.ticket_id).execute()
    Ticket.update(number="L009").where(Ticket.id == other.ticket_id).execute()
    with pytest.raises(NotFound):
        hall.desk.ticket_status("TAMPEREDCODE")
    with pytest.raises(NotFound):
        hall.desk.ticket_status(other.query_code)


def test_status_by_number_on_another_day(hall: Hall, clock: FixedClock) -> None:
    ticket = hall.desk.issue(form(), actor=DESK)
    clock.set(at(24, 9))
    with pytest.raises(NotFound) as caught:
        hall.desk.ticket_status(ticket.number)
    assert "2026-11-24 没有票号 L001" in str(caught.value)
    assert hall.desk.ticket_status(ticket.number, date(2026, 11, 23)).number == "L001"
    # The query code needs no date: it names one ticket for ever.
    assert hall.desk.ticket_status(ticket.query_code).business_day == "2026-11-23"


# -- nothing half-written ---------------------------------------------------------------------


def test_a_form_error_writes_nothing_and_consumes_no_number(hall: Hall) -> None:
    before = row_counts()
    version = hall.change_version()
    bad_forms = [
        form(id_number="110105194912310021"),
        form(name=""),
        form(people=5),  # collective without representatives
        form(category="wages", department="nasa"),
        form(phone="123"),
    ]
    for bad in bad_forms:
        with pytest.raises(FormError):
            hall.desk.issue(bad, actor=DESK)
    assert row_counts() == before
    assert row_counts()["visitor"] == 0
    assert TicketCounter.select().count() == 0
    assert hall.change_version() == version
    assert hall.desk.issue(form(), actor=DESK).number == "L001"
    with pytest.raises(FormError):
        hall.desk.issue(form(id_number=distinct_id(2), matter=""), actor=DESK)
    assert hall.desk.issue(form(id_number=distinct_id(3)), actor=DESK).number == "L002"


def test_a_failure_inside_the_transaction_rolls_everything_back(hall: Hall,
                                                                monkeypatch) -> None:
    hall.desk.issue(form(), actor=DESK)
    before = row_counts()

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(hall.store, "bump", broken)  # the very last write of an issue
    with pytest.raises(RuntimeError):
        hall.desk.issue(form(id_number=distinct_id(7)), actor=DESK)
    monkeypatch.undo()
    assert row_counts() == before
    assert Visitor.get_or_none(Visitor.id_number == distinct_id(7)) is None
    assert hall.desk.issue(form(id_number=distinct_id(8)), actor=DESK).number == "L002"


# -- audit and change counter -----------------------------------------------------------------


def test_every_change_is_audited_and_bumps_the_change_version(hall: Hall) -> None:
    start = hall.change_version()
    person = make_id(seq=7)
    hall.desk.issue(form(id_number=person), actor="desk01")
    assert hall.change_version() == start + 1
    hall.desk.issue(form(id_number=person, phone="13812345678", people=5, again_reason="集体访",
                    representatives=named([make_id(seq=9), make_id(seq=11)])), actor="desk02")
    assert hall.change_version() == start + 2
    rows = audit_rows()
    assert [(a.action, a.actor) for a in rows] == [
        ("visitor.create", "desk01"), ("ticket.issue", "desk01"),
        ("visitor.update", "desk02"), ("ticket.issue", "desk02")]
    issue = json.loads(rows[-1].detail)
    ticket = Ticket.get(Ticket.id == int(rows[-1].entity_id))
    assert issue["number"] == ticket.number == "L002"
    assert issue["repeat"] is True and issue["people"] == 5
    events = list(TicketEvent.select().where(TicketEvent.ticket == ticket))
    assert [(e.kind, e.actor, e.department) for e in events] == [("issued", "desk02", "hrss")]
    assert [r.id_number for r in ticket.visit.representatives.order_by(
        pw.SQL("position"))] == [make_id(seq=9), make_id(seq=11)]
    assert ticket.visit.registered_by == "desk02"


def test_a_second_terminal_sees_the_change_version_move(hall: Hall, config, db_url) -> None:
    """Two Hall objects over one database: the poller sees the writer's bump."""
    other = Hall(hall.db, config, hall.clock)
    seen = other.change_version()
    hall.desk.issue(form(), actor=DESK)
    assert other.change_version() == seen + 1


# -- the business day -------------------------------------------------------------------------


def test_day_rollover_at_the_configured_hour(hall: Hall, clock: FixedClock) -> None:
    clock.set(at(23, 9))
    assert hall.today() == date(2026, 11, 23)
    assert hall.desk.issue(form(id_number=distinct_id(1)), actor=DESK).number == "L001"
    clock.set(at(23, 23, 59))
    assert hall.desk.issue(form(id_number=distinct_id(2)), actor=DESK).number == "L002"
    # 02:30 on the 24th still belongs to the 23rd's business day and continues its numbering.
    clock.set(at(24, 2, 30))
    assert hall.today() == date(2026, 11, 23)
    late = hall.desk.issue(form(id_number=distinct_id(3)), actor=DESK)
    assert (late.number, late.business_day) == ("L003", "2026-11-23")
    assert late.issued_at == "2026-11-24 02:30"
    clock.set(at(24, 2, 59))
    assert hall.desk.issue(form(id_number=distinct_id(4)), actor=DESK).number == "L004"
    # 03:00: a new business day, numbering restarts.
    clock.set(at(24, 3))
    assert hall.today() == date(2026, 11, 24)
    fresh = hall.desk.issue(form(id_number=distinct_id(5)), actor=DESK)
    assert (fresh.number, fresh.business_day) == ("L001", "2026-11-24")
    assert fresh.ahead == 0  # yesterday's waiting tickets are not in today's queue
    assert hall.desk.issue(form(id_number=distinct_id(6), category="policy"),
                      actor=DESK).number == "R001"
    # Yesterday's rows are all still there.
    yesterday = [t.number for t in Ticket.select().where(
        Ticket.business_day == date(2026, 11, 23)).order_by(Ticket.seq)]
    assert yesterday == ["L001", "L002", "L003", "L004"]
    assert Visit.select().where(Visit.business_day == date(2026, 11, 23)).count() == 4
    assert Ticket.select().count() == 6
    assert hall.desk.ticket_status("L003", date(2026, 11, 23)).status == "waiting"
    assert hall.desk.ticket_status("L001").business_day == "2026-11-24"


def test_rollover_follows_the_hall_time_zone_not_utc(hall: Hall, clock: FixedClock) -> None:
    # 19:30 UTC on the 23rd is 03:30 on the 24th in Shanghai: already the 24th's business day.
    clock.set(datetime.fromisoformat("2026-11-23T19:30:00+00:00"))
    assert hall.today() == date(2026, 11, 24)
    clock.set(datetime.fromisoformat("2026-11-23T18:59:00+00:00"))
    assert hall.today() == date(2026, 11, 23)


def test_age_priority_uses_the_business_day(hall: Hall, clock: FixedClock) -> None:
    # Turns 70 on the 24th; at 02:30 that morning it is still the 23rd's business day.
    person = make_id("19561124", seq=1)
    clock.set(at(24, 2, 30))
    assert hall.desk.issue(form(id_number=person), actor=DESK).priority == ""
    clock.set(at(24, 3))
    assert hall.desk.issue(form(id_number=person), actor=DESK).priority == "elderly"


def test_numbers_are_never_reused(hall: Hall, clock: FixedClock) -> None:
    issued = []
    for n in range(12):
        clock.advance(minutes=3)
        if n % 4 == 3:
            with pytest.raises(FormError):
                hall.desk.issue(form(id_number=distinct_id(n), name=""), actor=DESK)
            continue
        issued.append(hall.desk.issue(form(id_number=distinct_id(n)), actor=DESK).number)
    assert issued == [f"L{i:03d}" for i in range(1, 10)]
    # The unique constraint stands behind the counter.
    first = Ticket.get(Ticket.number == "L001")
    with pytest.raises(pw.IntegrityError), hall.db.atomic():
        Ticket.create(visit=Visit.create(
            visitor=first.visit.visitor, business_day=first.business_day,
            registered_at=first.issued_at, registered_by=DESK, category="wages",
            suggested_department="hrss", department="hrss", matter="x"),
            business_day=first.business_day, number="L001", seq=1, origin_department="hrss",
            department="hrss", priority_rank=4, issued_at=first.issued_at, query_code="DUP")
    assert Ticket.select().where(Ticket.number == "L001").count() == 1
