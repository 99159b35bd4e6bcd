"""One person, one file, kept honestly (issue 9 §3): a second ticket today needs a reason, a
rename needs a confirmation and every earlier value stays in the file's history, documents other
than the ID card key their own files, a collective visit's representatives have a name and phone
and the visit is on every top bar until it is finished."""

from __future__ import annotations

import json

import pytest

from hall import Hall
from hall.clock import FixedClock
from hall.desk.registration import NeedsConfirmation
from models import (
    AuditEvent,
    Representative,
    TicketCounter,
    TicketEvent,
    Visitor,
    VisitorChange,
)
from tests.helpers import distinct_id, form, make_id, named, only_changes, row_counts

PERSON = make_id(seq=41)


def refused(hall: Hall, **changes: object) -> NeedsConfirmation:
    """Issue, expect the confirmation to be asked for, and prove nothing was written."""
    before = row_counts()
    numbers = {d.department: d.last for d in TicketCounter.select()}
    with pytest.raises(NeedsConfirmation) as caught:
        hall.desk.issue(form(**changes), actor="desk02")
    assert row_counts() == before
    assert {d.department: d.last for d in TicketCounter.select()} == numbers
    return caught.value


# -- a second ticket the same day --------------------------------------------------------------


def test_a_second_ticket_while_one_waits_needs_a_reason(hall: Hall) -> None:
    first = hall.desk.issue(form(id_number=PERSON), actor="desk01")
    hall.desk.issue(form(id_number=distinct_id(5)), actor="desk01")  # someone else: no concern
    exc = refused(hall, id_number=PERSON, category="policy", matter="另一件事")
    assert list(exc.errors) == ["again_reason"]
    assert f"{first.number}（市人社局）" in exc.errors["again_reason"]
    assert exc.first == f"{first.number}（市人社局）"
    with only_changes(Visitor):
        again = hall.desk.issue(form(id_number=PERSON, category="policy", matter="另一件事",
                                     again_reason="另有政策咨询"), actor="desk02")
    assert again.number == "R001"
    audit = json.loads(AuditEvent.select().where(
        (AuditEvent.action == "ticket.issue")
        & (AuditEvent.entity_id == str(again.ticket_id))).get().detail)
    assert audit["again_reason"] == "另有政策咨询"
    assert audit["first"] == f"{first.number}（市人社局）"
    event = TicketEvent.get(TicketEvent.ticket == again.ticket_id)
    assert event.note == f"再次取号（今日已有 {first.number}（市人社局））：另有政策咨询"


def test_a_called_ticket_counts_a_finished_one_does_not(hall: Hall, clock: FixedClock) -> None:
    hall.desk.issue(form(id_number=PERSON), actor="desk01")
    hall.windows.call_next(7, actor="win07")
    assert "L001" in refused(hall, id_number=PERSON).errors["again_reason"]
    hall.windows.finish(7, "answered", actor="win07")
    assert hall.desk.issue(form(id_number=PERSON), actor="desk02").number == "L002"
    clock.advance(days=1)  # tomorrow, yesterday's waiting ticket is no reason to refuse
    assert hall.desk.issue(form(id_number=PERSON), actor="desk02").number == "L001"


def test_a_blank_reason_is_no_reason(hall: Hall) -> None:
    hall.desk.issue(form(id_number=PERSON), actor="desk01")
    assert "again_reason" in refused(hall, id_number=PERSON, again_reason="   ").errors


# -- renaming and the file's history -----------------------------------------------------------


def test_another_name_needs_a_confirmation_and_the_history_keeps_every_value(
        hall: Hall, clock: FixedClock) -> None:
    hall.desk.issue(form(id_number=PERSON, name="张三", phone="13812345678",
                         address="江北区一路1号"), actor="desk01")
    hall.windows.call_next(7, actor="win07")
    hall.windows.finish(7, "answered", actor="win07")
    exc = refused(hall, id_number=PERSON, name="张叁")
    assert list(exc.errors) == ["name"] and "“张三”" in exc.errors["name"]
    assert exc.file_name == "张三"
    clock.advance(minutes=10)
    visitor = Visitor.get(Visitor.id_number == PERSON)
    with only_changes(Visitor, visitor.id):
        hall.desk.issue(form(id_number=PERSON, name="张叁", phone="13900000000", rename=True),
                        actor="desk02")
    assert Visitor.get_by_id(visitor.id).name == "张叁"
    clock.advance(minutes=10)
    hall.windows.call_next(7, actor="win07")
    hall.windows.finish(7, "answered", actor="win07")
    hall.desk.issue(form(id_number=PERSON, name="张叁", address="江南区二路2号"), actor="desk01")
    history = hall.desk.file_history(visitor.id, viewer="mgr01")
    assert [(c.field, c.old, c.new, c.actor) for c in history] == [
        ("address", "江北区一路1号", "江南区二路2号", "desk01"),
        ("name", "张三", "张叁", "desk02"),
        ("phone", "13812345678", "13900000000", "desk02"),
    ]
    assert [c.field_label for c in history] == ["住址", "姓名", "电话"]
    assert VisitorChange.select().count() == 3
    # The audit log still names fields only, never the personal values.
    everything = " ".join(a.detail for a in AuditEvent.select())
    for personal in ("张三", "张叁", "13812345678", "江南区二路2号"):
        assert personal not in everything


def test_the_same_name_and_nothing_new_writes_no_history(hall: Hall) -> None:
    hall.desk.issue(form(id_number=PERSON, name="张三", phone="13812345678"), actor="desk01")
    hall.desk.issue(form(id_number=PERSON, name=" 张三 ", phone="", again_reason="补登"),
                    actor="desk01")
    assert VisitorChange.select().count() == 0


def test_rename_and_a_second_ticket_are_asked_at_once(hall: Hall) -> None:
    hall.desk.issue(form(id_number=PERSON, name="张三"), actor="desk01")
    assert set(refused(hall, id_number=PERSON, name="李四").errors) == {"name", "again_reason"}
    assert set(refused(hall, id_number=PERSON, name="李四", rename=True).errors) == {
        "again_reason"}
    assert set(refused(hall, id_number=PERSON, name="李四", again_reason="x").errors) == {"name"}


# -- documents other than the ID card ----------------------------------------------------------


def test_other_documents_open_their_own_files(hall: Hall) -> None:
    hall.desk.issue(form(document_type="passport", id_number="e1234 5678", name="John Smith"),
                    actor="desk01")
    hall.desk.issue(form(document_type="taiwan", id_number="12345678", name="陈美玲"),
                    actor="desk01")
    hall.desk.issue(form(document_type="hk_macao", id_number="H1234567801", name="黄大文"),
                    actor="desk01")
    files = sorted(Visitor.select(Visitor.doc_type, Visitor.id_number, Visitor.sex,
                                  Visitor.birth_date).tuples())
    assert files == [("hk_macao", "H12345678", "", None), ("passport", "E12345678", "", None),
                     ("taiwan", "12345678", "", None)]
    # The same number under another type is another person's file; under its own, the same one.
    assert hall.desk.visitor_file("12345678", "passport", viewer="mgr01") is None
    file = hall.desk.visitor_file("12345678", "taiwan", viewer="mgr01")
    assert file is not None and file.name == "陈美玲"
    renewed = hall.desk.issue(form(document_type="hk_macao", id_number="H1234567802",
                                   name="黄大文", again_reason="换证"), actor="desk01")
    assert renewed.repeat is True
    assert Visitor.select().count() == 3


def test_an_unknown_document_type_is_refused(hall: Hall) -> None:
    from hall.desk.registration import FormError

    before = row_counts()
    with pytest.raises(FormError) as caught:
        hall.desk.issue(form(document_type="library_card", id_number="123"), actor="desk01")
    assert list(caught.value.errors) == ["document_type"]
    assert row_counts() == before


# -- collective visits -------------------------------------------------------------------------


def test_representatives_are_kept_with_name_and_phone(hall: Hall) -> None:
    reps = [f"{make_id(seq=9)},王五,13800000001", f"{make_id(seq=11)}，赵六，0571-87654321"]
    ticket = hall.desk.issue(form(id_number=PERSON, people=8, representatives=reps),
                             actor="desk01")
    rows = list(Representative.select().where(Representative.visit == ticket.visit_id)
                .order_by(Representative.position).tuples())
    assert [r[2:] for r in rows] == [(1, make_id(seq=9), "王五", "13800000001"),
                                     (2, make_id(seq=11), "赵六", "0571-87654321")]


@pytest.mark.parametrize(("entry", "expected"), [
    (f"{make_id(seq=9)}", "第1位代表的姓名必须填写；联系电话必须填写"),
    (f"{make_id(seq=9)},王五", "第1位代表的联系电话必须填写"),
    (f"{make_id(seq=9)},王五,123", "第1位代表的联系电话应为11位手机号"),
    (f"{make_id(seq=9)},王5,13800000001", "第1位代表的姓名不应包含数字"),
])
def test_a_representative_without_name_or_phone_is_refused(hall: Hall, entry: str,
                                                           expected: str) -> None:
    from hall.desk.registration import FormError

    before = row_counts()
    with pytest.raises(FormError) as caught:
        hall.desk.issue(form(id_number=PERSON, people=6, representatives=[entry]), "desk01")
    assert caught.value.errors["representatives"].startswith(expected)
    assert row_counts() == before


def test_a_collective_visit_is_alerted_until_it_is_finished(hall: Hall) -> None:
    assert hall.desk.collective_alerts() == []
    hall.desk.issue(form(id_number=distinct_id(1), people=4), actor="desk01")  # not collective
    crowd = hall.desk.issue(form(id_number=PERSON, people=12,
                                 representatives=named([make_id(seq=9), make_id(seq=11)])),
                            actor="desk01")
    alerts = hall.desk.collective_alerts()
    assert [(a.number, a.department_name, a.people, a.representatives, a.since)
            for a in alerts] == [(crowd.number, "市人社局", 12, 2, "09:00")]
    hall.windows.call_next(7, actor="win07")  # the first in line (not the crowd) is called
    hall.windows.finish(7, "answered", actor="win07")
    assert [a.number for a in hall.desk.collective_alerts()] == [crowd.number]
    hall.windows.call_next(7, actor="win07")
    assert [a.number for a in hall.desk.collective_alerts()] == [crowd.number]  # at a window
    hall.windows.finish(7, "answered", actor="win07")
    assert hall.desk.collective_alerts() == []


def test_a_booked_visitor_checks_in_without_a_reason(hall: Hall) -> None:
    """The booking is the appointment itself: its check-in is not a second ticket to justify."""
    from datetime import date

    hall.desk.issue(form(id_number=PERSON), actor="desk01")
    day = hall.leaders.add_day("lihong", date(2026, 11, 23), "09:00", "11:30", 2, actor="mgr01")
    booking = hall.leaders.bookings.book(day.id, PERSON, actor="desk01").booking
    assert hall.leaders.bookings.check_in(booking.id, actor="desk01").number == "D001"
