"""The visit register (来访登记簿, issue 13 §3) through the facade, on SQLite and PostgreSQL.

The hall is tests/stats/test_visit_figures.py's (:func:`build`: its module docstring lists every
visit); the rows below are written out by hand from that list. Every role reads it (or is
refused), ID numbers and phones are masked but for the managers, a confidential visit (v10, a
report to 市纪委监委) is 「保密事项」 and nothing else for whoever may not see it, every read is
audited (one export event, one ``visit.confidential`` event per confidential visit shown in
full), and nothing else is written.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from datetime import date, datetime

import peewee as pw
import pytest

from hall import Hall
from hall.clock import FixedClock
from hall.desk.registration import FormError
from hall.errors import NotAllowed
from hall.stats import range_period
from models import AuditEvent, Visit
from models.migrations import MODELS
from tests.helpers import form, only_changes
from tests.stats.test_visit_figures import CST, IDS, PERIOD, PHONES, build

COLUMNS = ("登记时间", "号码", "姓名", "性别", "证件号码", "联系电话", "属地", "人数", "类别",
           "事由", "诉求", "初访/重复访", "部门", "窗口", "办理方式", "案件编号", "状态")
WAGES = "工地拖欠工资三个月"  # the form's matter unless the visit says otherwise
K1, K2 = "江信〔2026〕第 0001 号", "江信〔2026〕第 0002 号"


def _row(time: str, number: str, who: str, sex: str, district: str, people: int, category: str,
         matter: str, request: str, kind: str, department: str, window: str, outcome: str,
         case: str, state: str) -> tuple[object, ...]:
    return (time, number, f"来访人{who}", sex, IDS[who], PHONES[who], district, people,
            category, matter, request, kind, department, window, outcome, case, state)


V2 = _row("2026-12-01 07:30", "L001", "C", "男", "城东区", 1, "农民工工资", WAGES, "", "初访",
          "市中级人民法院", "", "", "", "候谈")
V3 = _row("2026-12-01 09:10", "L002", "A", "男", "江北区", 1, "农民工工资", WAGES,
          "尽快支付欠薪", "重复访（同一事项）", "市人社局", "", "", K1, "待受理")
V4 = _row("2026-12-01 10:20", "M001", "B", "女", "江南区", 1, "民政救助", WAGES, "",
          "重复访（其他事项）", "市民政局", "12号窗口", "当场答复", "", "已办结")
V5 = _row("2026-12-01 14:05", "Z001", "D", "女", "临河县", 8, "城建与征收拆迁",
          "安置房质量问题集体反映", "", "初访", "市住建局", "", "", "", "候谈")
V6 = _row("2026-12-02 09:00", "R001", "E", "女", "城东区", 1, "政策咨询", WAGES, "", "初访",
          "信访局综合接待", "1号窗口", "", "", "过号")
V7 = _row("2026-12-02 11:00", "T001", "A", "男", "江北区", 1, "土地使用与违法用地", "宅基地被占",
          "", "重复访（其他事项）", "市自然资源局", "9号窗口", "立案交办", K2, "待受理")
V10 = _row("2026-12-02 15:00", "W001", "H", "男", "青山县", 1, "检举控告（反映干部问题）",
           "反映某干部问题", "", "初访", "市纪委监委", "", "", "", "候谈")
V8 = _row("2026-12-03 02:30", "L001", "F", "男", "高新区", 1, "农民工工资", WAGES, "", "初访",
          "市人社局", "", "", "", "候谈")
SECRET = ("2026-12-02 15:00", "", "", "", "", "", "", "", "保密事项", "", "", "", "", "", "",
          "", "")
"""v10 for a reader who may not see it: its time and 「保密事项」, nothing else."""


def masked(row: tuple[object, ...]) -> tuple[object, ...]:
    """``row`` as a reader who is no manager sees it: ID 110105********1234, phone 139****0001."""
    id_number, phone = str(row[4]), str(row[5])
    return (*row[:4], id_number[:6] + "*" * 8 + id_number[-4:], phone[:3] + "****" + phone[-4:],
            *row[6:])


@pytest.fixture
def built(hall: Hall, clock: FixedClock) -> Hall:
    build(hall, clock)
    return hall


def _visit_id(matter: str) -> int:
    return Visit.get(Visit.matter == matter).id


def _last_audit() -> int:
    return AuditEvent.select(AuditEvent.id).order_by(AuditEvent.id.desc()).scalar() or 0


def _audit_since(last: int) -> list[tuple[str, str, str, str, dict[str, object]]]:
    return [(a.actor, a.action, a.entity, a.entity_id, json.loads(a.detail)) for a in
            AuditEvent.select().where(AuditEvent.id > last).order_by(AuditEvent.id)]


@contextlib.contextmanager
def nothing_written_but_the_audit() -> Iterator[None]:
    """Every table but the audit log the same, row for row (tests/helpers.py only_changes; the
    tables keyed by several columns compared whole)."""
    composite = [m for m in MODELS if isinstance(m._meta.primary_key, pw.CompositeKey)]
    before = {m: sorted(map(repr, m.select().tuples())) for m in composite}
    with contextlib.ExitStack() as stack:
        for model in MODELS:
            if model is not AuditEvent and model not in composite:
                stack.enter_context(only_changes(model))
        yield
    assert {m: sorted(map(repr, m.select().tuples())) for m in composite} == before


def _export_event(actor: str, rows: int, masked: bool, **more: object) -> tuple:
    return (actor, "export", "stats", "register.xlsx",
            {"period": {"start": "2026-12-01", "end": "2026-12-02", "kind": "range",
                        "label": "2026年12月1日至12月2日"},
             "filters": more.pop("filters", {}), "rows": rows, "masked": masked, **more})


def test_the_manager_reads_every_visit_in_full(built: Hall) -> None:
    last = _last_audit()
    with nothing_written_but_the_audit():
        register = built.stats.register("mgr01", PERIOD, file="12月登记簿.xlsx")
    assert (register.table.key, register.table.title) == ("register", "来访登记簿")
    assert register.table.columns == COLUMNS
    assert (register.masked, register.period, register.department) == (False, PERIOD, "")
    # the period's edges: v1 (Dec 1 01:00, business day Nov 30) is out, v8 (Dec 3 02:30) in
    assert register.table.rows == (V2, V3, V4, V5, V6, V7, V10, V8)
    h = _visit_id("反映某干部问题")
    visitor = Visit.get_by_id(h).visitor_id
    assert _audit_since(last) == [
        _export_event("mgr01", 8, False, file="12月登记簿.xlsx"),
        ("mgr01", "visit.confidential", "visit", str(h), {"visitor": visitor,
                                                          "via": "register"})]


def test_the_desk_reads_masked_and_not_the_confidential_visit(built: Hall) -> None:
    last = _last_audit()
    with nothing_written_but_the_audit():
        register = built.stats.register("desk01", PERIOD, what="register.csv")
    assert register.masked
    assert register.table.rows == (*(masked(r) for r in (V2, V3, V4, V5, V6, V7)), SECRET,
                                   masked(V8))
    event = _export_event("desk01", 8, True)
    assert _audit_since(last) == [(*event[:3], "register.csv", event[4])]


def test_a_window_clerk_reads_their_own_department_only(built: Hall) -> None:
    """周涛 (win07, 人社局): v3 and v8; not v2, which he transferred to the court."""
    last = _last_audit()
    register = built.stats.register("win07", PERIOD)
    assert register.masked
    assert register.table.rows == (masked(V3), masked(V8))
    assert built.stats.register("win07", PERIOD, "hrss").table.rows == (masked(V3), masked(V8))
    assert _audit_since(last) == [
        _export_event("win07", 2, True, scope=["hrss"]),
        _export_event("win07", 2, True, filters={"department": "hrss"})]


def test_a_window_clerk_is_refused_another_department(built: Hall) -> None:
    last = _last_audit()
    with nothing_written_but_the_audit(), pytest.raises(NotAllowed):
        built.stats.register("win07", PERIOD, "court")
    assert [e[:4] for e in _audit_since(last)] == [("win07", "denied", "act",
                                                   "register.export")]
    assert _audit_since(last)[0][4]["department"] == "court"
    assert built.stats.register("win04", PERIOD).table.rows == (masked(V2),)  # the court's


def test_the_confidential_department_sees_its_visit(built: Hall) -> None:
    """卫清廉 (win11, 纪委监委) reads v10 in full but masked ID and phone; audited as seen."""
    last = _last_audit()
    register = built.stats.register("win11", PERIOD)
    assert register.table.rows == (masked(V10),)
    h = _visit_id("反映某干部问题")
    assert [e[:4] for e in _audit_since(last)] == [
        ("win11", "export", "stats", "register.xlsx"),
        ("win11", "visit.confidential", "visit", str(h))]


def test_a_department_filter(built: Hall) -> None:
    assert built.stats.register("mgr01", PERIOD, "discipline").table.rows == (V10,)
    assert built.stats.register("desk01", PERIOD, "discipline").table.rows == (SECRET,)
    assert built.stats.register("mgr01", PERIOD, "court").table.rows == (V2,)
    assert built.stats.register("mgr01", PERIOD, "hrss").department == "hrss"


@pytest.mark.parametrize("login", ["kiosk01", "board01", "admin", "win13"])
def test_roles_without_the_register_are_refused(built: Hall, login: str) -> None:
    """The kiosk, the board, the administrator and the duty lawyer: NotAllowed, nothing written
    but the refusal's audit event."""
    last = _last_audit()
    with nothing_written_but_the_audit(), pytest.raises(NotAllowed):
        built.stats.register(login, PERIOD)
    assert [e[:4] for e in _audit_since(last)] == [(login, "denied", "act", "register.export")]


def test_bad_input(built: Hall) -> None:
    last = _last_audit()
    with nothing_written_but_the_audit():
        with pytest.raises(FormError) as caught:
            built.stats.register("mgr01", PERIOD, "nope")
        assert set(caught.value.errors) == {"department"}
        with pytest.raises(FormError):
            built.stats.register("win07", PERIOD, "nope")  # unknown before not theirs
    assert _audit_since(last) == []


def test_other_periods(built: Hall) -> None:
    nov30 = range_period(date(2026, 11, 30), date(2026, 11, 30), date(2026, 12, 3))
    rows = built.stats.register("mgr01", nov30).table.rows
    assert [(r[0], r[1], r[2]) for r in rows] == [("2026-11-30 10:00", "L001", "来访人A"),
                                                   ("2026-12-01 01:00", "R001", "来访人B")]
    assert rows[0][-3:] == ("立案交办", K1, "待受理")
    empty = range_period(date(2026, 10, 1), date(2026, 10, 31), date(2026, 12, 3))
    assert built.stats.register("mgr01", empty).table.rows == ()


def test_the_same_matter_column_agrees_with_the_figures(built: Hall) -> None:
    rows = built.stats.register("mgr01", PERIOD).table.rows
    figures = built.stats.figures("mgr01", PERIOD)
    kinds = [r[11] for r in rows]
    assert kinds.count("重复访（同一事项）") == figures.value("repeat_same") == 1
    assert kinds.count("重复访（其他事项）") == figures.value("repeat_other") == 2
    assert kinds.count("初访") == figures.value("first_visits") == 5


def test_a_visit_linked_to_two_cases_is_one_row(hall: Hall, clock: FixedClock) -> None:
    """A repeat visit linked to case K1 at the desk; K1 closes (不予受理) before the window
    finishes the visit, whose 立案交办 then opens K2 from it: one row, the newest case, and the
    same matter (it is about K1, opened from an earlier visit), as the figures count it."""
    clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=CST))
    hall.desk.issue(form(id_number=IDS["A"]), actor="desk01")
    hall.windows.call_next(7, "win07")
    k1 = hall.windows.finish_visit(7, "filed", "win07", note="立案").case
    assert k1 is not None
    clock.set(datetime(2026, 12, 2, 9, 0, tzinfo=CST))
    hall.desk.issue(form(id_number=IDS["A"], case_id=k1.case_id), actor="desk01")
    hall.cases.refuse(k1.case_id, "rejected", "不属于信访事项", "劳动仲裁", "mgr01")
    hall.windows.call_next(7, "win07")
    k2 = hall.windows.finish_visit(7, "filed", "win07", note="另行立案").case
    assert k2 is not None and k2.new
    dec2 = range_period(date(2026, 12, 2), date(2026, 12, 2), date(2026, 12, 3))
    rows = hall.stats.register("mgr01", dec2).table.rows
    assert [(r[1], r[11], r[15], r[16]) for r in rows] == [
        ("L001", "重复访（同一事项）", K2, "待受理")]
    assert hall.stats.figures("mgr01", dec2).value("repeat_same") == 1
