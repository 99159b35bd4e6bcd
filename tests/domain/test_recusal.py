"""回避: declaring and withdrawing a recusal, and what it does to a window's calls.

Every test runs on SQLite, and on PostgreSQL when HALL_TEST_PG_URL is set (the ``hall`` fixture).
A write is checked to touch only what it must (tests.helpers.only_changes); a refusal to change
nothing at all (tests.domain.test_windows.unchanged).
"""

from __future__ import annotations

import json

import pytest

from hall import Hall
from hall.desk.registration import FormError
from hall.errors import NotAllowed, NotFound, Refused
from models import Account, AuditEvent, Recusal, Ticket, Visit, Visitor, WindowState
from tests.domain.test_windows import issue, unchanged
from tests.helpers import distinct_id, form, make_id, only_changes

REASON = "来访人系本人表兄"


def visitor_of(n: int) -> int:
    return Visitor.get(Visitor.id_number == distinct_id(n)).id


def audits(action: str) -> list[AuditEvent]:
    return list(AuditEvent.select().where(AuditEvent.action == action).order_by(AuditEvent.id))


# -- declare and withdraw ---------------------------------------------------------------------


def test_declare_records_one_recusal_and_touches_nothing_else(hall: Hall) -> None:
    issue(hall, 1)
    issue(hall, 2)
    version = hall.change_version()
    with only_changes(Ticket), only_changes(Visitor), only_changes(Visit), \
            only_changes(Account), only_changes(WindowState):
        made = hall.recusals.declare(distinct_id(1), "", f"  {REASON}  ", actor="win01")
    row = Recusal.get()
    assert Recusal.select().count() == 1
    assert (row.account.login, row.visitor_id, row.reason, row.actor, row.withdrawn_at) == (
        "win01", visitor_of(1), REASON, "win01", None)
    assert (made.visitor_id, made.reason, made.name_masked, made.withdrawn_at) == (
        visitor_of(1), REASON, "张*", "")
    assert made.id_number_masked == "110105********" + distinct_id(1)[-4:]
    [event] = audits("recusal.declare")
    assert (event.actor, event.entity, event.entity_id) == ("win01", "visitor", str(visitor_of(1)))
    assert REASON not in event.detail  # the reason stays in the recusal row
    assert hall.change_version() == version + 1  # windows redraw their flag
    assert hall.recusals.is_recused("win01", visitor_of(1))
    assert not hall.recusals.is_recused("win02", visitor_of(1))
    assert not hall.recusals.is_recused("win01", visitor_of(2))


def test_a_reason_is_required_and_checked(hall: Hall) -> None:
    issue(hall, 1)
    for reason, expected in (("", "请填写回避理由"), ("   ", "请填写回避理由"),
                             ("亲属\x1b[2J", "ESC"), ("理" * 501, "最多500个字")):
        message = unchanged(hall, lambda r=reason: hall.recusals.declare(
            distinct_id(1), "", r, actor="win01"), FormError)
        assert expected in message, (reason, message)
    with pytest.raises(FormError) as caught:
        hall.recusals.declare(distinct_id(1), "", "", actor="win01")
    assert set(caught.value.errors) == {"reason"}
    assert caught.value.labels["reason"] == "回避理由"


def test_bad_documents_are_named_before_anything_is_written(hall: Hall) -> None:
    issue(hall, 1)
    with pytest.raises(FormError) as caught:
        hall.recusals.declare("11010519491231002", "", "", actor="win01")
    assert set(caught.value.errors) == {"id_number", "reason"}  # every field at once
    with pytest.raises(FormError) as caught:
        hall.recusals.declare(distinct_id(1), "driving_licence", REASON, actor="win01")
    assert set(caught.value.errors) == {"document_type"}
    message = unchanged(hall, lambda: hall.recusals.declare(make_id(seq=9), "", REASON,
                                                            actor="win01"), NotFound)
    assert "登记后" in message
    assert Recusal.select().count() == 0


def test_the_number_is_normalised_and_the_document_type_counts(hall: Hall) -> None:
    passport = hall.desk.issue(form(id_number="E12345678", document_type="passport",
                                    category="policy"), actor="desk01")
    assert passport.number == "R001"
    visitor = Visit.get_by_id(passport.visit_id).visitor_id
    with pytest.raises(FormError):  # the same characters as an ID card: not a valid one
        hall.recusals.declare("E12345678", "", REASON, actor="win01")
    made = hall.recusals.declare(" e1234 5678 ", "passport", REASON, actor="win01")
    assert made.visitor_id == visitor and made.doc_type == "passport"


def test_declaring_twice_is_refused_and_withdraw_keeps_the_row(hall: Hall) -> None:
    issue(hall, 1)
    hall.recusals.declare(distinct_id(1), "", REASON, actor="win01")
    unchanged(hall, lambda: hall.recusals.declare(distinct_id(1), "", "又一次", actor="win01"),
              Refused, "无需重复申请")
    first = Recusal.get()
    version = hall.change_version()
    with only_changes(Recusal, first.id) as diff, only_changes(Ticket), only_changes(Visitor):
        gone = hall.recusals.withdraw(distinct_id(1), "", actor="win01")
    assert set(diff.changed[first.id]) == {"withdrawn_at", "withdrawn_by"}
    assert gone.withdrawn_at == "2026-11-23 09:00"
    assert hall.change_version() == version + 1
    assert [e.actor for e in audits("recusal.withdraw")] == ["win01"]
    assert json.loads(audits("recusal.withdraw")[0].detail) == {"recusal": first.id}
    assert hall.recusals.of_actor("win01") == ()
    assert [r.id for r in hall.recusals.of_actor("win01", withdrawn=True)] == [first.id]
    assert not hall.recusals.is_recused("win01", visitor_of(1))
    unchanged(hall, lambda: hall.recusals.withdraw(distinct_id(1), "", actor="win01"),
              Refused, "无可撤回")
    again = hall.recusals.declare(distinct_id(1), "", REASON, actor="win01")  # a new row
    assert again.id != first.id and Recusal.select().count() == 2


def test_a_withdrawal_is_the_actors_own(hall: Hall) -> None:
    issue(hall, 1)
    hall.recusals.declare(distinct_id(1), "", REASON, actor="win01")
    unchanged(hall, lambda: hall.recusals.withdraw(distinct_id(1), "", actor="win02"), Refused)
    assert hall.recusals.is_recused("win01", visitor_of(1))


def test_of_actor_lists_only_the_actors_recusals_newest_first(hall: Hall, clock) -> None:
    for n in (1, 2, 3):
        issue(hall, n)
    hall.recusals.declare(distinct_id(1), "", REASON, actor="win01")
    clock.advance(minutes=5)
    hall.recusals.declare(distinct_id(2), "", "曾为同事", actor="win01")
    hall.recusals.declare(distinct_id(3), "", REASON, actor="win02")
    mine = hall.recusals.of_actor("win01")
    assert [(r.visitor_id, r.reason, r.at) for r in mine] == [
        (visitor_of(2), "曾为同事", "2026-11-23 09:05"),
        (visitor_of(1), REASON, "2026-11-23 09:00")]
    assert [r.visitor_id for r in hall.recusals.of_actor("win02")] == [visitor_of(3)]
    assert hall.recusals.of_actor("nobody") == ()


@pytest.mark.parametrize("login", ["kiosk01", "board01", "nobody"])
def test_who_may_not_declare_writes_nothing_but_the_refusal(hall: Hall, login: str) -> None:
    issue(hall, 1)
    with pytest.raises(NotAllowed):
        hall.recusals.declare(distinct_id(1), "", REASON, actor=login)
    with pytest.raises(NotAllowed):
        hall.recusals.withdraw(distinct_id(1), "", actor=login)
    assert Recusal.select().count() == 0
    assert [e.actor for e in audits("denied")] == [login, login]


# -- the window's calls -------------------------------------------------------------------------


def test_a_recused_clerk_never_calls_the_visitor_another_window_does(hall: Hall) -> None:
    issue(hall, 1)  # R001, first in line
    issue(hall, 2)  # R002
    hall.recusals.declare(distinct_id(1), "", REASON, actor="win01")
    assert hall.windows.call_next(1, "win01").number == "R002"  # type: ignore[union-attr]
    assert hall.windows.call_next(2, "win02").number == "R001"  # type: ignore[union-attr]


def test_the_recusal_follows_the_person_not_the_window(hall: Hall) -> None:
    issue(hall, 1)
    issue(hall, 2)
    hall.recusals.declare(distinct_id(1), "", REASON, actor="win01")
    assert hall.windows.call_next(2, "win01").number == "R002"  # type: ignore[union-attr]
    assert hall.windows.call_next(1, "win02").number == "R001"  # type: ignore[union-attr]


def test_only_recused_visitors_waiting_calls_nobody_and_writes_nothing(hall: Hall) -> None:
    issue(hall, 1)
    issue(hall, 2, priority="disabled")
    hall.recusals.declare(distinct_id(1), "", REASON, actor="win01")
    hall.recusals.declare(distinct_id(2), "", REASON, actor="win01")
    assert hall.windows.call_next(1, "win01") is None  # window 1's state row exists now
    with only_changes(Ticket), only_changes(WindowState), only_changes(AuditEvent):
        assert hall.windows.call_next(1, "win01") is None
    assert [q.number for q in hall.board.queue(["xfj"])] == ["R002", "R001"]  # still waiting


def test_a_withdrawn_recusal_calls_the_visitor_again(hall: Hall) -> None:
    issue(hall, 1)
    hall.recusals.declare(distinct_id(1), "", REASON, actor="win01")
    assert hall.windows.call_next(1, "win01") is None
    hall.recusals.withdraw(distinct_id(1), "", actor="win01")
    assert hall.windows.call_next(1, "win01").number == "R001"  # type: ignore[union-attr]


def test_calling_the_recused_visitors_number_is_refused(hall: Hall) -> None:
    issue(hall, 1)
    hall.recusals.declare(distinct_id(1), "", REASON, actor="win01")
    message = unchanged(hall, lambda: hall.windows.call_number(1, "R001", "win01"), Refused)
    assert "回避" in message and "其他窗口" in message
    assert hall.windows.call_number(2, "r001", "win02").number == "R001"


def test_the_view_flags_the_recused_viewers_visitors_only(hall: Hall) -> None:
    for n in (1, 2, 3):
        issue(hall, n)
    hall.windows.call_next(1, "win02")  # R001, by a colleague before the shift changed
    hall.recusals.declare(distinct_id(1), "", REASON, actor="win01")
    hall.recusals.declare(distinct_id(3), "", REASON, actor="win01")
    hall.recusals.declare(distinct_id(2), "", REASON, actor="win03")
    assert hall.recusals.recused_from("win01") == {visitor_of(1), visitor_of(3)}
    mine = hall.windows.view(1, viewer="win01")
    assert mine.current.recused  # type: ignore[union-attr]
    assert [(e.number, e.recused) for e in mine.waiting] == [("R002", False), ("R003", True)]
    for other in (hall.windows.view(1, viewer="win02"), hall.windows.view(1, viewer="mgr01")):
        assert not other.current.recused  # type: ignore[union-attr]
        assert [e.recused for e in other.waiting] == [False, False]


# -- handing the current visitor back -----------------------------------------------------------


def test_hand_back_recuses_and_returns_the_ticket_to_its_place(hall: Hall, clock) -> None:
    issue(hall, 1)
    issue(hall, 2)
    issue(hall, 3)
    hall.windows.call_next(1, "win01")  # R001
    r001 = Ticket.get(Ticket.number == "R001")
    clock.advance(minutes=3)
    with only_changes(Ticket, r001.id) as tickets, only_changes(WindowState, 1), \
            only_changes(Visitor), only_changes(Visit):
        assert hall.recusals.hand_back(1, REASON, actor="win01") == "R001"
    assert set(tickets.changed[r001.id]) == {"status", "window", "called_at"}
    back = Ticket.get_by_id(r001.id)
    assert (back.status, back.window, back.called_at, back.recalls) == ("waiting", None, None, 0)
    assert (back.issued_at, back.priority_rank) == (r001.issued_at, r001.priority_rank)
    assert WindowState.get(WindowState.number == 1).current_id is None
    assert hall.desk.ticket_status("R001").ahead == 0  # the original place, first in line
    assert [q.number for q in hall.board.queue(["xfj"])] == ["R001", "R002", "R003"]
    assert hall.recusals.is_recused("win01", visitor_of(1))
    assert [e.kind for e in back.events.order_by(1)] == ["issued", "called", "recused"]
    assert [a.action for a in AuditEvent.select().order_by(AuditEvent.id)][-2:] == [
        "recusal.declare", "ticket.recused"]
    assert hall.windows.call_next(1, "win01").number == "R002"  # type: ignore[union-attr]
    assert hall.windows.call_next(2, "win02").number == "R001"  # type: ignore[union-attr]


def test_hand_back_needs_a_reason_unless_already_recused(hall: Hall) -> None:
    issue(hall, 1)
    hall.windows.call_next(1, "win02")
    message = unchanged(hall, lambda: hall.recusals.hand_back(1, "", actor="win01"), FormError)
    assert "回避理由" in message
    unchanged(hall, lambda: hall.recusals.hand_back(1, "亲属\x07", actor="win01"), FormError)
    hall.recusals.declare(distinct_id(1), "", REASON, actor="win01")
    assert hall.recusals.hand_back(1, "", actor="win01") == "R001"
    assert Recusal.select().count() == 1  # the one in force, not a second


def test_hand_back_refusals_write_nothing(hall: Hall) -> None:
    issue(hall, 1)
    unchanged(hall, lambda: hall.recusals.hand_back(1, REASON, actor="win01"), Refused,
              "当前没有来访")
    unchanged(hall, lambda: hall.recusals.hand_back(99, REASON, actor="win01"), NotFound)
    hall.windows.call_next(1, "win01")
    with pytest.raises(NotAllowed):  # 人社局's clerk is not window 1's staff
        hall.recusals.hand_back(1, REASON, actor="win07")
    assert Recusal.select().count() == 0
    assert Ticket.get(Ticket.number == "R001").status == "called"


def test_the_claim_keeps_its_plan(sqlite_hall: Hall) -> None:
    """The recusal check inside the claim is index lookups per candidate ticket: the queue index
    still serves the search, the recusal(visitor, account) index the check (SQLite's plan)."""
    from models import statements as sql

    issue(sqlite_hall, 1)
    sqlite_hall.windows.call_next(1, "win01")
    text = next(t for k, t in getattr(sqlite_hall.db, sql._CACHE).items() if k == ("claim", 1))
    plan = " | ".join(r[-1] for r in sqlite_hall.db.execute_sql(
        f"EXPLAIN QUERY PLAN {text}", (sqlite_hall.today(), "xfj", "waiting", "win01")))
    assert "ticket_business_day_department_status_priority_rank_issued_at" in plan, plan
    assert "recusal_visitor_id_account_id" in plan, plan
    assert "SCAN" not in plan, plan
