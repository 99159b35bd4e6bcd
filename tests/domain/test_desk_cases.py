"""The desk and cases: other channels and an earlier opinion on the form, a repeat visit linked to
one of the visitor's open cases, and the window's finish adding to that case.

Oracles: hand-written expected values (the stored columns, the case's entries), and the rows a
refused or linking act must not touch compared before and after (:func:`only_changes`).
"""

from __future__ import annotations

import pytest

from hall import Hall
from hall.desk.registration import FormError, validate
from hall.errors import Refused
from models import Case, CaseEntry, CaseVisit, Ticket, Visit, Visitor
from tests.helpers import distinct_id, form, only_changes, row_counts

WAGES_WINDOW = 7  # 市人社局, where the shipped hall routes 农民工工资 (``wages``)


def opened_case(hall: Hall, id_number: str, category: str = "wages") -> int:
    """A visit of ``id_number`` finished 立案交办 at its department's window: the case's id."""
    hall.desk.issue(form(id_number=id_number, category=category), actor="desk01")
    window = {"wages": WAGES_WINDOW, "report": 11}[category]
    hall.windows.call_next(window, "mgr01")
    finished = hall.windows.finish_visit(window, "filed", "mgr01", note="立案交办")
    assert finished.case is not None and finished.case.new
    return finished.case.case_id


# -- the form ------------------------------------------------------------------------------------

def test_channels_are_read_as_codes_or_names_each_once_in_the_configured_order(config) -> None:
    clean = validate(form(other_channels="online，来信、letter other_body"), config,
                     config_today())
    assert clean.other_channels == ("letter", "online", "other_body")
    assert validate(form(other_channels=["phone", "letter"]), config,
                    config_today()).other_channels == ("letter", "phone")
    assert validate(form(), config, config_today()).other_channels == ()


def config_today():  # the day does not matter to these fields
    from datetime import date

    return date(2026, 11, 23)


@pytest.mark.parametrize(("value", "expected"), [
    ("letter,fax", "未知的渠道“fax”"),
    ("微信", "未知的渠道“微信”"),
    ("letter\x1b[2J", "终端控制序列"),
    ("x" * 201, "200"),
])
def test_channels_refused_name_what_is_wrong(config, value: str, expected: str) -> None:
    with pytest.raises(FormError) as raised:
        validate(form(other_channels=value), config, config_today())
    assert set(raised.value.errors) == {"other_channels"}
    assert expected in raised.value.errors["other_channels"]
    if "未知" in expected:  # and which channels there are
        assert "letter（来信）" in raised.value.errors["other_channels"]


@pytest.mark.parametrize(("value", "expected"), [
    ("原判决维持\x07", "控制字符"),
    ("意" * 2001, "2000"),
    ("\u202e见意理处", "方向"),
])
def test_an_earlier_opinion_obeys_the_free_text_rules(config, value: str, expected: str) -> None:
    with pytest.raises(FormError) as raised:
        validate(form(earlier_opinion=value), config, config_today())
    assert set(raised.value.errors) == {"earlier_opinion"}
    assert expected in raised.value.errors["earlier_opinion"]


def test_an_earlier_opinion_is_one_line(config) -> None:
    clean = validate(form(earlier_opinion="  区人社局2026年9月答复：\n责令限期支付  "), config,
                     config_today())
    assert clean.earlier_opinion == "区人社局2026年9月答复： 责令限期支付"


@pytest.mark.parametrize("value", ["abc", "-3", "0", "１２", "9" * 30, True])
def test_a_case_id_that_is_no_positive_number_is_refused(config, value: object) -> None:
    with pytest.raises(FormError) as raised:
        validate(form(case_id=value), config, config_today())
    assert set(raised.value.errors) == {"case_id"}


# -- storing -------------------------------------------------------------------------------------

def test_channels_and_the_opinion_are_stored_with_the_visit(hall: Hall) -> None:
    hall.desk.issue(form(other_channels="online,letter", earlier_opinion="街道已调解未果"),
                    actor="desk01")
    visit = Visit.get()
    assert (visit.other_channels, visit.earlier_opinion) == ("letter,online", "街道已调解未果")
    assert not visit.is_repeat


def test_a_refused_form_writes_nothing(hall: Hall) -> None:
    before = row_counts()
    with pytest.raises(FormError):
        hall.desk.issue(form(other_channels="fax", earlier_opinion="x"), actor="desk01")
    assert row_counts() == before


# -- linking a repeat visit to an open case ------------------------------------------------------

def test_the_file_offers_the_visitor_s_open_cases_and_nobody_else_s(hall: Hall) -> None:
    mine = opened_case(hall, distinct_id(1))
    opened_case(hall, distinct_id(2))  # another visitor's
    file = hall.desk.visitor_file(distinct_id(1), viewer="desk01")
    assert file is not None
    assert [c.id for c in file.open_cases] == [mine]
    assert file.open_cases[0].state_label == "待受理"
    assert file.open_cases[0].due_on == "2026-12-08"  # 15 calendar days for the acceptance
    assert hall.desk.visitor_file(distinct_id(3), viewer="desk01") is None


def test_a_linked_visit_is_a_repeat_visit_and_an_entry_on_the_case(hall: Hall) -> None:
    case_id = opened_case(hall, distinct_id(1))
    other = opened_case(hall, distinct_id(2))
    entries = CaseEntry.select().where(CaseEntry.case == case_id).count()
    with only_changes(Case, case_id), only_changes(Visitor, *()):
        ticket = hall.desk.issue(form(id_number=distinct_id(1), case_id=case_id,
                                      other_channels="letter"), actor="desk01")
    visit = Visit.get_by_id(ticket.visit_id)
    assert visit.is_repeat and ticket.repeat
    assert visit.other_channels == "letter"
    links = [(link.case_id, link.visit_id, link.linked_by) for link in CaseVisit.select()
             .where(CaseVisit.visit == ticket.visit_id)]
    assert links == [(case_id, ticket.visit_id, "desk01")]
    added = list(CaseEntry.select().where(CaseEntry.case == case_id).order_by(CaseEntry.seq))
    assert len(added) == entries + 1 and added[-1].kind == "visit"
    assert Case.get_by_id(case_id).state == "pending"  # a visit changes no state
    assert CaseEntry.select().where(CaseEntry.case == other).count() == 1  # opened, nothing else
    # the issue's audit names the case it was linked to; an unlinked issue names none
    cases = {e.entity_id: e.detail.get("case", "none")
             for e in hall.audit.events(viewer="mgr01") if e.action == "ticket.issue"}
    assert cases[str(ticket.ticket_id)] == case_id
    assert list(cases.values()).count("none") == len(cases) - 1


def test_a_visit_about_another_matter_is_an_ordinary_repeat_visit(hall: Hall) -> None:
    case_id = opened_case(hall, distinct_id(1))
    with only_changes(Case), only_changes(CaseVisit), only_changes(CaseEntry):
        ticket = hall.desk.issue(form(id_number=distinct_id(1), category="demolition",
                                      matter="拆迁补偿"), actor="desk01")
    assert ticket.repeat  # the file's earlier visit
    assert hall.cases.of_visit(ticket.visit_id) is None
    assert [c.id for c in hall.desk.visitor_file(
        distinct_id(1), viewer="desk01").open_cases] == [case_id]  # type: ignore[union-attr]


@pytest.mark.parametrize("whose", ["closed", "another visitor's", "missing", "new visitor"])
def test_a_case_the_visitor_has_not_open_is_refused_writing_nothing(hall: Hall,
                                                                    whose: str) -> None:
    case_id = opened_case(hall, distinct_id(1))
    other = opened_case(hall, distinct_id(2))
    target, id_number = {"closed": (case_id, distinct_id(1)),
                         "another visitor's": (other, distinct_id(1)),
                         "missing": (99999, distinct_id(1)),
                         "new visitor": (case_id, distinct_id(3))}[whose]
    if whose == "closed":
        hall.cases.refuse(case_id, "rejected", "不属于信访事项", "向法院起诉", "mgr01")
    before = row_counts()
    with pytest.raises(FormError) as raised:
        hall.desk.issue(form(id_number=id_number, case_id=target), actor="desk01")
    assert set(raised.value.errors) == {"case_id"}
    assert "不能关联" in raised.value.errors["case_id"]
    assert row_counts() == before


def test_a_case_closed_after_the_check_is_refused_by_the_link(hall: Hall) -> None:
    """The desk checks before its transaction; the link locks the case and checks again."""
    case_id = opened_case(hall, distinct_id(1))
    offered = hall.desk.links.offered

    def stale(visitor: int, viewer: str):  # the list as read before another desk closed it
        found = offered(visitor, viewer)
        hall.cases.refuse(case_id, "rejected", "不属于信访事项", "向法院起诉", "mgr01")
        return found

    hall.desk.links.offered = stale  # type: ignore[method-assign]
    counts = {m: m.select().count() for m in (Visit, Ticket, CaseVisit)}
    with pytest.raises(Refused):
        hall.desk.issue(form(id_number=distinct_id(1), case_id=case_id), actor="desk01")
    assert {m: m.select().count() for m in (Visit, Ticket, CaseVisit)} == counts


def test_a_confidential_case_is_not_offered_to_the_desk_of_another_department(
        hall: Hall) -> None:
    report = opened_case(hall, distinct_id(1), category="report")  # 纪委监委's 检举控告
    assert Case.get_by_id(report).confidential
    file = hall.desk.visitor_file(distinct_id(1), viewer="desk01")  # a 信访局 desk
    assert file is not None and file.open_cases == ()
    assert [c.id for c in hall.desk.visitor_file(
        distinct_id(1), viewer="mgr01").open_cases] == [report]  # type: ignore[union-attr]
    before = row_counts()
    with pytest.raises(FormError):
        hall.desk.issue(form(id_number=distinct_id(1), case_id=report), actor="desk01")
    assert row_counts() == before


def test_the_window_finishing_a_linked_visit_adds_to_the_case_instead_of_a_new_one(
        hall: Hall) -> None:
    case_id = opened_case(hall, distinct_id(1))
    ticket = hall.desk.issue(form(id_number=distinct_id(1), case_id=case_id,
                                  earlier_opinion="已立案，待答复"), actor="desk01")
    cases = Case.select().count()
    hall.windows.call_next(WAGES_WINDOW, "mgr01")
    finished = hall.windows.finish_visit(WAGES_WINDOW, "filed", "mgr01", note="再次反映")
    assert finished.case is not None
    assert (finished.case.case_id, finished.case.new) == (case_id, False)
    assert Case.select().count() == cases  # no second case
    detail = hall.cases.detail(case_id, "mgr01")
    assert ticket.visit_id in [v.visit_id for v in detail.visits]
    kinds = [(e.kind, e.actor) for e in detail.entries]
    assert kinds == [("opened", "mgr01"), ("visit", "desk01"), ("visit", "mgr01")]


def test_a_linked_visit_is_a_repeat_visit_even_as_the_file_s_first(hall: Hall) -> None:
    """A leader's 包案 opened on a file without visits: the first visit about it is a repeat."""
    file = hall.desk.save_file(form(id_number=distinct_id(1)), actor="desk01")
    case = hall.cases.open_for(file.visitor_id, "wages", "欠薪", "hrss", "mgr01", leader="lihong")
    ticket = hall.desk.issue(form(id_number=distinct_id(1), case_id=case.id), actor="desk01")
    assert ticket.repeat and Visit.get_by_id(ticket.visit_id).is_repeat
    plain = hall.desk.issue(form(id_number=distinct_id(2)), actor="desk01")
    assert not plain.repeat
