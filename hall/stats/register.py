"""The visit register (来访登记簿 / 台账): one row per visit of a period, as the hall hands it over.

    register = hall.stats.register("desk01", month_period(2026, 11), file="11月登记簿.xlsx")
    register.table.rows      # 登记时间, 号码, 姓名 … 状态, oldest first
    register.masked          # True: ID numbers and phones are masked in it

Who reads it (``register.export``): the managers and the desk the whole hall's; a window clerk
only the visits of their own departments (a department filter must be one of theirs, else
:class:`~hall.errors.NotAllowed`, the refusal audited). A department filter naming no configured
department is a :class:`~hall.desk.registration.FormError`.

The columns (:data:`COLUMNS`): the registration time in the hall's local time (YYYY-MM-DD HH:MM),
the ticket's number, the visitor's name, sex, ID number and phone, the visit's district (属地),
people, category, matter (事由) and request (诉求); 初访 / 重复访（同一事项） (a repeat visit linked
to a case opened from an earlier visit, as the figures count it, :mod:`hall.stats.visits`) /
重复访（其他事项）; the department it was routed to (now, after transfers), the window that called
it, the outcome (办理方式), the case's number and the state: the case's (待受理, 办理中 …) when
the visit has one, else the ticket's (候谈, 已办结, 过号 …).

What each reader sees:

- ID numbers and phones in full for the managers (:data:`~hall.accounts.permissions.
  SEES_EVERYTHING`), masked for everyone else (110105********002X, 138****5678);
- a confidential visit (检举控告) that the reader may not see in full
  (:func:`hall.accounts.visibility.sees_details`: only its department's staff and the managers)
  is a row with its time and 「保密事项」 (in the 类别 column) and nothing else: no name, no
  number, no department;
- every register read is an export and is audited (:meth:`hall.stats.Stats.exported`: who,
  period, department, rows, masked, the file's name), and each confidential visit shown in full
  gets its own ``visit.confidential`` event, as a visitor's file does.

The rows come from one joined query (visit, visitor, ticket, the case link), ordered by the
registration time: a month of some 20,000 visits is one round trip.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import peewee as pw

from hall.accounts.permissions import SCOPED, SEES_EVERYTHING
from hall.accounts.visibility import CONFIDENTIAL_LABEL, sees_details
from hall.cases.states import STATES
from hall.clock import from_storage
from hall.stats.views import Cell, Table
from hall.text.masking import mask_id_number, mask_phone
from hall.views import STATUS_LABELS
from models import Case, CaseVisit, Ticket, Visit, Visitor

if TYPE_CHECKING:
    from datetime import tzinfo

    from hall.accounts.actor import Actor
    from hall.stats.period import Period
    from hall.store import Store

__all__ = ["COLUMNS", "FIRST", "REPEAT_OTHER", "REPEAT_SAME", "Register", "read"]

COLUMNS: tuple[str, ...] = (
    "登记时间", "号码", "姓名", "性别", "证件号码", "联系电话", "属地", "人数", "类别", "事由",
    "诉求", "初访/重复访", "部门", "窗口", "办理方式", "案件编号", "状态")
"""The register's columns, in the order the hall keeps them."""

FIRST = "初访"
REPEAT_SAME = "重复访（同一事项）"
REPEAT_OTHER = "重复访（其他事项）"
SEXES = {"M": "男", "F": "女"}


@dataclass(frozen=True)
class Register:
    """The register of ``period`` (``department``: "" for all the reader may see): its
    :class:`~hall.stats.views.Table` (key ``register``, title 「来访登记簿」), and whether ID
    numbers and phones are masked in it."""

    table: Table
    masked: bool
    period: Period
    department: str = ""


@dataclass(frozen=True)
class Read:
    """What :func:`read` found: the register, and the confidential visits shown in full as
    ``(visit id, visitor id)`` pairs (each to be audited)."""

    register: Register
    confidential_shown: tuple[tuple[int, int], ...]
    scope: tuple[str, ...]  # the departments a scoped reader was limited to; () for all


def scope_of(actor: Actor, department: str) -> tuple[str, ...] | None:
    """The departments the register of ``actor`` covers: ``(department,)`` when asked for one,
    a scoped role's (a window clerk's) own departments, None for the whole hall."""
    if department:
        return (department,)
    if actor.role in SCOPED:
        return tuple(sorted(actor.departments))
    return None


def read(store: Store, actor: Actor, period: Period, department: str = "") -> Read:
    """The register of ``period`` as ``actor`` may read it (permission, department and filter
    checked by the caller, :meth:`hall.stats.Stats.register`)."""
    scope = scope_of(actor, department)
    cond = (Visit.business_day >= period.start) & (Visit.business_day <= period.end)
    if scope is not None:
        cond &= Visit.department.in_(list(scope))
    query = (Visit.select(Visit.id, Visit.visitor, Visit.registered_at, Visitor.name,
                          Visitor.sex, Visitor.id_number, Visitor.phone, Visit.district,
                          Visit.people, Visit.category, Visit.matter, Visit.request,
                          Visit.is_repeat, Visit.department, Ticket.number, Ticket.window,
                          Ticket.status, Visit.outcome, CaseVisit.case, Case.visit,
                          Case.number, Case.state)
             .join_from(Visit, Visitor, on=(Visit.visitor == Visitor.id))
             .join_from(Visit, Ticket, pw.JOIN.LEFT_OUTER, on=(Ticket.visit == Visit.id))
             .join_from(Visit, CaseVisit, pw.JOIN.LEFT_OUTER, on=(CaseVisit.visit == Visit.id))
             .join_from(CaseVisit, Case, pw.JOIN.LEFT_OUTER, on=(Case.id == CaseVisit.case))
             .where(cond)
             # a visit linked to two cases (rare: its case closed before the window opened
             # another) is one row, the newest case's: its rows come together, newest first
             .order_by(Visit.registered_at, Visit.id, CaseVisit.case.desc()))
    masked = actor.role not in SEES_EVERYTHING
    # the driver's rows as they come (peewee's per-field conversion would cost more than the
    # query): only the time needs it, SQLite's text (:func:`_local`)
    rows, shown = _rows(store, actor, store.db.execute(query).fetchall(), masked)
    table = Table("register", "来访登记簿", COLUMNS, tuple(rows), None,
                  f"登记时间为{store.config.hall.timezone}时间；"
                  + ("证件号码与联系电话已按权限遮盖" if masked else "含完整个人信息，注意保密"))
    return Read(Register(table, masked, period, department), tuple(shown),
                scope if scope is not None and not department else ())


def _rows(store: Store, actor: Actor, query: Iterable[tuple],
          masked: bool) -> tuple[list[tuple[Cell, ...]], list[tuple[int, int]]]:
    """The register's rows from the joined query (one or, rarely, more rows per visit)."""
    config, tz = store.config, store.tz
    names: dict[tuple[str, str], str] = {}
    times: dict[object, str] = {}

    def name(kind: str, code: str) -> str:
        key = (kind, code)
        if key not in names:
            found = getattr(config, kind)(code) if code else None
            names[key] = getattr(found, "title" if kind == "window" else "name", code) \
                if found is not None else (code or "")
        return names[key]

    confidential = {c.code for c in config.categories if c.confidential}
    rows: list[tuple[Cell, ...]] = []
    shown: list[tuple[int, int]] = []
    last_id = None
    for (visit_id, visitor_id, at, person, sex, id_number, phone, district, people, category,
         matter, request, repeat, department, number, window, status, outcome, case_id,
         case_visit, case_number, case_state) in query:
        same = bool(repeat) and case_id is not None and case_visit != visit_id
        if visit_id == last_id:  # a further case link of the same visit: same matter if any is
            if same and rows[-1][11] == REPEAT_OTHER:
                rows[-1] = (*rows[-1][:11], REPEAT_SAME, *rows[-1][12:])
            continue
        last_id = visit_id
        minute = at[:16] if isinstance(at, str) else at  # SQLite's text: many share a minute
        when = times.get(minute) or times.setdefault(minute, _local(at, tz))
        secret = category in confidential
        if secret and not sees_details(actor, True, department):
            rows.append((when, *([""] * 7), CONFIDENTIAL_LABEL, *([""] * 8)))
            continue
        if secret:
            shown.append((visit_id, visitor_id))
        visit_kind = REPEAT_SAME if same else REPEAT_OTHER if repeat else FIRST
        state = (STATES.get(case_state, case_state) if case_id is not None
                 else STATUS_LABELS.get(status, status or ""))
        rows.append((
            when, number or "", person, SEXES.get(sex, ""),
            mask_id_number(id_number) if masked else id_number,
            mask_phone(phone) if masked else phone,
            name("district", district), int(people), name("category", category), matter,
            request, visit_kind, name("department", department),
            name("window", window) if window is not None else "", name("outcome", outcome),
            case_number or "", state))
    return rows, shown


def _local(at: datetime | str, tz: tzinfo) -> str:
    """A stored (naive UTC) time as the hall's local YYYY-MM-DD HH:MM (SQLite: its text)."""
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    return from_storage(at, tz).strftime("%Y-%m-%d %H:%M")

