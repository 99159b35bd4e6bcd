"""Who may do what, enforced by the facade (issue 11 §3, §5): every role × every act, generated
from the permission table (hall/accounts/permissions.py), on SQLite and PostgreSQL.

For each role one hall is built and every act of :data:`ACTS` is tried once through the facade,
as that role's staff member: the act must succeed exactly when ``PERMISSIONS`` grants it, and a
refused act must raise :class:`NotAllowed`, write nothing (every table compared row for row) but
the one ``denied`` audit event. :data:`SCENES` maps every act to the facade call that does it (a
test fails when an act is added to the table without one). Besides the generated table: the
window clerk of 人社局 at another department's window, a disabled account, an unknown login, a
hand-written oracle of the table's key rows, and every writing method of the facade refused to
the hall board (so none forgot its check).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from config import HallConfig
from hall import Hall
from hall.accounts.permissions import ACTS, PERMISSIONS, ROLES, allowed, markdown_table
from hall.clock import FixedClock
from hall.errors import NotAllowed
from hall.incidents import NewIncident
from hall.stats import named_period
from models import Account, AuditEvent, open_database
from models.migrations import MODELS
from tests.helpers import add_account, cheap_hasher, distinct_id, form

TODAY = date(2026, 11, 23)  # the fixed clock's Monday (tests/conftest.py)
LOGIN = {"admin": "admin", "manager": "mgr01", "desk": "desk01", "window": "win01",
         "leader": "leader01", "lawyer": "win13", "kiosk": "kiosk01", "board": "board01"}
"""The staff member tried for each role (leader01 is added: the shipped roster has none)."""
HOME = {"window": 1, "lawyer": 13, "leader": 20}
"""The window a scoped role works (its own department's); the other roles try window 1."""
QUEUE = {1: {"category": "policy"}, 13: {"category": "legal_advice"},
         20: {"category": "policy", "department": "leader"}}
"""How the desk sends a visitor to each home window's queue."""
PERMIT_ONLY = {"visitor.reveal", "board.view", "config.check"}
"""Acts without a facade call of their own that takes any login: the reveal needs a window with
its current visitor (tests/domain/test_confidential.py tries it), the board's view is public in
the hall, the configuration check is a CLI command; tried through Store.permit itself."""

Act = Callable[[str], Any]


class Scene:
    """One hall set up for the acts: a reception day today in the leader's room and at the
    lawyer seat (walk-ins), fresh visitors, and a ready window on demand."""

    def __init__(self, hall: Hall, window: int) -> None:
        self.hall = hall
        self.window = window
        self.ids = (distinct_id(n) for n in itertools.count(500))
        self.codes = itertools.count(1)
        add_account("leader01", "leader", "leader", name="韩秘书")
        hall.accounts.hasher = cheap_hasher()  # an added account's one-time password
        leaders = hall.leaders
        leaders.add_day("shenlv", TODAY, "09:00", "17:00", 50, actor="mgr01", walk_ins=True)
        self.day = leaders.add_day("lihong", TODAY, "09:00", "11:30", 50, actor="mgr01",
                                   walk_ins=True).id

    def visitor(self) -> str:
        """A registered visitor's ID number (a ticket issued for the 人社局 queue)."""
        id_number = next(self.ids)
        self.hall.desk.issue(form(id_number=id_number), actor="desk01")
        return id_number

    def ready(self) -> int:
        """The home window unpaused, free, and with a visitor waiting in its queue."""
        windows = self.hall.windows
        view = windows.view(self.window, viewer="mgr01")
        if view.paused:
            windows.resume(self.window, "mgr01")
        if view.current is not None:
            windows.finish(self.window, "answered", "mgr01")
        self.hall.desk.issue(form(id_number=next(self.ids), **QUEUE[self.window]),
                             actor="desk01")
        return self.window

    def called(self, recalls: int = 0) -> int:
        """The home window with a visitor called (by the manager), recalled ``recalls`` times."""
        window = self.ready()
        self.hall.windows.call_next(window, "mgr01")
        for _ in range(recalls):
            self.hall.windows.recall(window, "mgr01")
        return window

    def no_show(self) -> str:
        """The number of a no-show ticket of the home window's queue."""
        window = self.called(recalls=2)
        return self.hall.windows.no_show(window, "mgr01")

    def case(self, extension: bool = False) -> int:
        """A case of the home window's department (finished 立案交办 by the manager); accepted
        with an extension requested when ``extension``."""
        window = self.called()
        finished = self.hall.windows.finish_visit(window, "filed", "mgr01", note="立案交办")
        assert finished.case is not None
        case_id = finished.case.case_id
        if extension:
            self.hall.cases.accept(case_id, "mgr01", how="电话告知")
            self.hall.cases.extend(case_id, 10, "情况复杂", "mgr01")
        return case_id

    def incident(self) -> int:
        return self.hall.incidents.log(NewIncident("illness", "候谈区", "晕倒"), "mgr01").id

    def booking(self) -> int:
        return self.hall.leaders.bookings.book(self.day, self.visitor(), "desk01").booking.id


def _scenes(s: Scene) -> dict[str, Callable[[], Act]]:
    """Act → a setup (done by the desk and the manager) that returns the act for one login."""
    h = s.hall
    w = s.window
    return {
        "ticket.issue": lambda: lambda who: h.desk.issue(form(id_number=next(s.ids)), who),
        "visitor.save": lambda: lambda who: h.desk.save_file(form(id_number=next(s.ids)), who),
        "window.call": lambda: (s.ready(), lambda who: h.windows.call_next(w, who))[1],
        "window.recall": lambda: (s.called(), lambda who: h.windows.recall(w, who))[1],
        "window.start": lambda: (s.called(), lambda who: h.windows.start_interview(w, who))[1],
        "window.no_show": lambda: (s.called(2), lambda who: h.windows.no_show(w, who))[1],
        "window.transfer": lambda: (s.called(),
                                    lambda who: h.windows.transfer(w, "court", who))[1],
        "window.finish": lambda: (s.called(),
                                  lambda who: h.windows.finish(w, "answered", who))[1],
        "window.pause": lambda: (s.ready(), lambda who: h.windows.pause(w, who))[1],
        "ticket.requeue": lambda: (lambda n: lambda who: h.windows.requeue(n, who))(s.no_show()),
        "leader.day": lambda: (lambda on: lambda who: h.leaders.add_day(
            "zhangwei", on, "14:00", "16:00", 5, who))(TODAY + timedelta(days=next(s.codes))),
        "leader.plan": lambda: lambda who: h.leaders.plan.publish_due(who),
        "leader.roster": lambda: (lambda code: lambda who: h.leaders.roster.add(
            code, "周某", who, department="leader"))(f"extra{next(s.codes)}"),
        "leader.case": lambda: (lambda p: lambda who: h.leaders.take_case(
            p, "lihong", "欠薪问题包案", who))(s.visitor()),
        "booking.manage": lambda: (lambda p: lambda who: h.leaders.bookings.book(
            s.day, p, who))(s.visitor()),
        "booking.check_in": lambda: (lambda b: lambda who: h.leaders.bookings.check_in(
            b, who))(s.booking()),
        "incident.log": lambda: lambda who: h.incidents.log(
            NewIncident("illness", "候谈区", "胸闷"), who),
        "incident.act": lambda: (lambda i: lambda who: h.incidents.act(i, "dissuade", who))(
            s.incident()),
        "incident.correct": lambda: (lambda i: lambda who: h.incidents.correct(
            i, 1, "时间应为九点", who))(s.incident()),
        "incident.close": lambda: (lambda i: lambda who: h.incidents.close(
            i, "已送医", who))(s.incident()),
        "incident.view": lambda: (lambda i: lambda who: h.incidents.detail(i, who))(
            s.incident()),
        "incident.report": lambda: lambda who: h.incidents.report(TODAY, who),
        "token.manage": lambda: lambda who: h.accounts.create_token("kiosk01", who),
        "account.manage": lambda: (lambda login: lambda who: h.accounts.add(
            login, "新同事", "desk", ["xfj"], who))(f"new{next(s.codes)}"),
        "visitor.view": lambda: (lambda p: lambda who: h.desk.visitor_file(p, viewer=who))(
            s.visitor()),
        "recusal.declare": lambda: (lambda p: lambda who: h.recusals.declare(
            p, "", "与来访人系近亲属", who))(s.visitor()),
        "audit.read": lambda: lambda who: h.audit.events(viewer=who),
        "case.view": lambda: (lambda c: lambda who: h.cases.detail(c, who))(s.case()),
        "case.handle": lambda: (lambda c: lambda who: h.cases.accept(c, who, how="电话"))(
            s.case()),
        "case.supervise": lambda: (lambda c: lambda who: h.cases.urge(c, "请尽快办理", who))(
            s.case()),
        "case.approve": lambda: (lambda c: lambda who: h.cases.approve_extension(
            c, who, told="电话告知"))(s.case(extension=True)),
        "stats.read": lambda: lambda who: h.stats.figures(who, named_period("today", TODAY)),
        "stats.export": lambda: lambda who: h.stats.export(who, "stats.xlsx",
                                                           named_period("month", TODAY)),
        "register.export": lambda: lambda who: h.stats.register(who, named_period("month", TODAY),
                                                                file="登记簿.xlsx"),
        **{act: (lambda act=act: lambda who: h.store.permit(who, act)) for act in PERMIT_ONLY},
    }


@pytest.fixture
def role_hall(db_url: str, config: HallConfig, clock: FixedClock) -> Iterator[Hall]:
    db = open_database(db_url)
    yield Hall(db, config, clock)
    if not db.is_closed():
        db.close()


def _tables() -> dict[str, list[str]]:
    """Every row of every table but the audit log (composite keys too), to compare."""
    return {m._meta.table_name: sorted(map(repr, m.select().tuples()))
            for m in MODELS if m is not AuditEvent}


def _last_audit() -> int:
    return AuditEvent.select(AuditEvent.id).order_by(AuditEvent.id.desc()).scalar() or 0


def _refused_writes_nothing(act: Act, login: str, name: str) -> str:
    """Try a refused act; "" when it raised NotAllowed and wrote only its denied event."""
    before, last = _tables(), _last_audit()
    try:
        act(login)
    except NotAllowed:
        pass
    else:
        return f"{name}: allowed, the table says refused"
    added = [(a.action, a.actor, a.entity_id) for a in
             AuditEvent.select().where(AuditEvent.id > last).order_by(AuditEvent.id)]
    if added != [("denied", login, name)]:
        return f"{name}: audit {added}"
    changed = [t for t, rows in _tables().items() if rows != before[t]]
    return f"{name}: wrote to {changed}" if changed else ""


@pytest.mark.parametrize("role", list(ROLES))
def test_every_act_is_allowed_exactly_when_the_table_says(role_hall: Hall, role: str) -> None:
    scene = Scene(role_hall, HOME.get(role, 1))
    scenes = _scenes(scene)
    assert set(scenes) == set(ACTS), "an act without its facade call in SCENES"
    login = LOGIN[role]
    problems = []
    for name in ACTS:
        act = scenes[name]()
        if allowed(role, name):
            try:
                act(login)
            except Exception as exc:  # reported with the act's name
                problems.append(f"{name}: refused ({type(exc).__name__}: {exc})")
        else:
            problems.append(_refused_writes_nothing(act, login, name))
    assert [p for p in problems if p] == []


def test_the_table_names_only_known_roles_and_acts() -> None:
    assert set(PERMISSIONS) == set(ROLES)
    assert set().union(*PERMISSIONS.values()) <= set(ACTS)
    assert set(LOGIN) == set(ROLES)


def test_the_readme_shows_the_table() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## 谁可以做什么 / Roles and permissions", 1)[1].split("\n## ", 1)[0]
    assert markdown_table() in section, "README out of date: paste markdown_table()'s text"
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    assert len(rows) == len(ACTS) + 1  # the header and one row per act, nothing else


def test_key_rows_by_hand() -> None:
    """An oracle other than the table's own code: what the issue says, read by hand."""
    assert allowed("kiosk", "ticket.issue") and not allowed("kiosk", "window.call")
    assert [act for act in ACTS if allowed("board", act)] == ["board.view"]
    assert [role for role in ROLES if allowed(role, "incident.close")] == ["manager"]
    assert not allowed("admin", "ticket.issue")
    assert {role for role in ROLES if allowed(role, "incident.log")} == {
        "admin", "manager", "desk", "window", "leader", "lawyer"}  # everyone but machines
    assert not allowed("window", "leader.day") and not allowed("desk", "window.call")


def test_an_unknown_role_or_act_is_refused_not_an_error() -> None:
    """A role the table does not know (an account row written by hand, a role retired in a later
    release) may do nothing, and asking is no crash: the check says no."""
    assert allowed("intern", "ticket.issue") is False
    assert allowed("intern", "board.view") is False
    assert allowed("manager", "no.such.act") is False


def test_a_window_clerk_acts_only_at_windows_of_their_department(hall: Hall) -> None:
    """周涛 (win07) of 人社局: refused at window 5 (检察院), allowed at window 7 (人社局)."""
    hall.desk.issue(form(category="procuratorial", id_number=distinct_id(1)), actor="desk01")
    hall.desk.issue(form(id_number=distinct_id(2)), actor="desk01")
    before, last = _tables(), _last_audit()
    with pytest.raises(NotAllowed, match="周涛（win07）不属于市人民检察院"):
        hall.windows.call_next(5, "win07")
    assert _tables() == before
    (denied,) = AuditEvent.select().where(AuditEvent.id > last)
    assert (denied.action, denied.actor, denied.entity_id) == ("denied", "win07", "window.call")
    with pytest.raises(NotAllowed):
        hall.windows.pause(5, "win07")
    called = hall.windows.call_next(7, "win07")
    assert called is not None and called.window == 7
    # A requeue goes by the ticket's department: 人社局's own, not another's.
    hall.windows.call_next(5, "win05")
    hall.windows.recall(5, "win05")
    hall.windows.recall(5, "win05")
    number = hall.windows.no_show(5, "win05")
    with pytest.raises(NotAllowed):
        hall.windows.requeue(number, "win07")
    assert hall.windows.requeue(number, "win05") == number


def test_a_window_of_several_departments_takes_a_clerk_of_any_of_them(hall: Hall) -> None:
    add_account("env01", "window", "environment")
    hall.desk.issue(form(category="pollution", id_number=distinct_id(3)), actor="desk01")
    called = hall.windows.call_next(3, "env01")  # window 3: 信访局 and 生态环境局
    assert called is not None and called.window == 3
    with pytest.raises(NotAllowed):
        hall.windows.call_next(1, "env01")  # window 1: 信访局 only


def test_a_disabled_account_is_refused_at_its_next_act(hall: Hall) -> None:
    hall.desk.issue(form(id_number=distinct_id(4)), actor="desk02")
    Account.update(active=False).where(Account.login == "desk02").execute()
    before = _tables()
    with pytest.raises(NotAllowed, match="不存在或已停用"):
        hall.desk.issue(form(id_number=distinct_id(5)), actor="desk02")
    assert _tables() == before


def test_an_unknown_login_is_refused(hall: Hall) -> None:
    before = _tables()
    with pytest.raises(NotAllowed, match="账号“nobody”不存在或已停用"):
        hall.desk.issue(form(), actor="nobody")
    with pytest.raises(NotAllowed):
        hall.incidents.log(NewIncident("illness", "候谈区", "晕倒"), "nobody")
    assert _tables() == before
    assert [a.actor for a in AuditEvent.select().where(AuditEvent.action == "denied")] == [
        "nobody", "nobody"]


def _every_writer(h: Hall) -> dict[str, Callable[[str], Any]]:
    """Every public writing method of the facade, called as ``who`` with plausible arguments."""
    lead, book, inc = h.leaders, h.leaders.bookings, h.incidents
    return {
        "desk.issue": lambda who: h.desk.issue(form(), who),
        "desk.save_file": lambda who: h.desk.save_file(form(), who),
        **{f"windows.{m}": _window_act(h, m)
           for m in ("call_next", "recall", "start_interview", "no_show", "pause", "resume")},
        "windows.call_number": lambda who: h.windows.call_number(1, "R001", who),
        "windows.transfer": lambda who: h.windows.transfer(1, "court", who),
        "windows.finish": lambda who: h.windows.finish(1, "answered", who),
        "windows.requeue": lambda who: h.windows.requeue("R001", who),
        "leaders.add_day": lambda who: lead.add_day("lihong", TODAY, "09:00", "10:00", 1, who),
        "leaders.edit_day": lambda who: lead.edit_day(1, who, capacity=3),
        "leaders.cancel_day": lambda who: lead.cancel_day(1, "公务", who),
        "leaders.take_case": lambda who: lead.take_case(distinct_id(1), "lihong", "事项", who),
        "plan.add_rule": lambda who: lead.plan.add_rule("lihong", _rule(), who),
        "plan.retire_rule": lambda who: lead.plan.retire_rule(1, who),
        "plan.month": lambda who: lead.plan.month(2026, 12, who),
        "plan.publish_due": lambda who: lead.plan.publish_due(who),
        "plan.publish_day": lambda who: lead.plan.publish_day(1, who),
        "roster.add": lambda who: lead.roster.add("newone", "某", who),
        "roster.edit": lambda who: lead.roster.edit("lihong", who, title="局长"),
        "roster.retire": lambda who: lead.roster.retire("lihong", who),
        "roster.reinstate": lambda who: lead.roster.reinstate("lihong", who),
        "bookings.book": lambda who: book.book(1, distinct_id(1), who),
        "bookings.book_form": lambda who: book.book_form(1, form(), who),
        "bookings.cancel": lambda who: book.cancel(1, who),
        "bookings.reschedule": lambda who: book.reschedule(1, 2, who),
        "bookings.check_in": lambda who: book.check_in(1, who),
        "incidents.log": lambda who: inc.log(NewIncident("illness", "候谈区", "晕倒"), who),
        "incidents.act": lambda who: inc.act(1, "dissuade", who),
        "incidents.correct": lambda who: inc.correct(1, 1, "更正", who),
        "incidents.close": lambda who: inc.close(1, "结论", who),
        "incidents.reopen": lambda who: inc.reopen(1, "理由", who),
        "incidents.detail": lambda who: inc.detail(1, who),
        "incidents.report": lambda who: inc.report(TODAY, who),
    }


def _window_act(h: Hall, method: str) -> Callable[[str], Any]:
    return lambda who: getattr(h.windows, method)(1, who)


def _rule() -> Any:
    from config.leaders import ScheduleRule

    return ScheduleRule(every="week", weekday=3, start="09:00", end="11:00", capacity=5)


def test_every_writing_method_checks_before_anything_else(hall: Hall) -> None:
    """The hall board may do nothing but read the board: every writer refuses it first, before
    it looks for the window, the day, the ticket or the incident (none of which exists)."""
    writers = _every_writer(hall)
    before = _tables()
    for name, write in writers.items():
        with pytest.raises(NotAllowed):
            write("board01")
        assert _tables() == before, name
    denied = AuditEvent.select().where(AuditEvent.action == "denied").count()
    assert denied == len(writers)
