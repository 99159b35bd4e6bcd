"""Reading cases: lists by state, unit, leader and due date, a case's detail, the top-bar alert.

Built by :class:`hall.cases.Cases` and used through it. Every list is one query on the case table
with its indexes (open, due date; department; leader; visitor): no row of another table is read
per case, so listing the overdue among 100,000 cases costs what the page of rows costs. The
viewer's roles decide what is listed: managers see every case; a window clerk, a leader's room
and the duty lawyer see the cases of their departments (a leader's room: the cases its leaders
took, 包案); a confidential case's matter reads 「保密事项」 outside its department.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING

import peewee as pw

from hall.accounts.permissions import SCOPED, SEES_EVERYTHING
from hall.accounts.visibility import CONFIDENTIAL_LABEL
from hall.cases import deadlines
from hall.cases.states import CLOSED, DOCUMENT_KINDS, ENTRY_LABELS, STATES, allowed_steps
from hall.cases.views import (
    CaseAlert,
    CaseDetail,
    CaseEntryView,
    CaseSummary,
    CaseVisitView,
)
from hall.text.masking import mask_name
from models import Account, Case, CaseDocument, CaseEntry, CaseVisit, Visit, Visitor

if TYPE_CHECKING:
    from config.leaders import Leader
    from hall.accounts.actor import Actor
    from hall.store import Store

LIST_LIMIT = 500
"""The most cases one list returns (newest due first); filters narrow it."""
SUMMARY_FIELDS = (Case.id, Case.number, Case.state, Case.category, Case.matter, Case.visitor,
                  Case.department, Case.outside_unit, Case.confidential, Case.opened_on,
                  Case.due_on, Case.leader, Case.extension_state, Case.satisfaction)
"""The columns a list reads: what :meth:`CaseReads.summary` shows (half the row: a page of 500
builds in half the time)."""


def overdue_cases(today: date) -> pw.Expression:
    """Open cases past their due date on the hall's local date ``today``: the rule of the
    overdue list, the top-bar alert and the statistics' 当前逾期 (:func:`deadlines.overdue`
    per case, as a condition on the (open, due date) index)."""
    return (Case.open == True) & (Case.due_on < today)  # noqa: E712  peewee builds SQL from ==


class CaseReads:
    """The reads of ``hall.cases`` (lists, detail, alert), as a viewer may see them."""

    def __init__(self, store: Store,
                 leaders: Callable[[], Mapping[str, Leader]] | None = None) -> None:
        self._store = store
        self._config = store.config
        self._leaders = leaders or (lambda: {x.code: x for x in self._config.leaders})
        """Leader code → the leader (the roster: configured and added ones, retired too)."""

    # -- what a viewer may see ----------------------------------------------------------------

    def sees_case(self, actor: Actor, row: Case) -> bool:
        """Whether ``actor`` may see case ``row`` at all (managers: every case; scoped roles:
        their departments' cases and, for a leader's room, the cases its leaders took)."""
        if actor.role not in SCOPED:
            return True
        return row.department in actor.departments or self._leader_room(row.leader) in (
            actor.departments)

    def sees_matter(self, actor: Actor, row: Case) -> bool:
        """Whether ``actor`` reads a confidential case's matter (its department, managers)."""
        return (not row.confidential or actor.role in SEES_EVERYTHING
                or row.department in actor.departments)

    def _leader_room(self, leader: str) -> str:
        spec = self._leaders().get(leader) if leader else None
        return spec.department if spec is not None else ""

    def _scope(self, actor: Actor) -> pw.Expression | None:
        """The cases a scoped viewer may list (None: every case)."""
        if actor.role not in SCOPED:
            return None
        departments = sorted(actor.departments)
        leaders = sorted(code for code, x in self._leaders().items()
                         if x.department in actor.departments)
        where = Case.department.in_(departments or [""])
        if leaders:
            where |= Case.leader.in_(leaders)
        return where

    # -- lists --------------------------------------------------------------------------------

    def list(self, actor: Actor, *, state: str | None = None, overdue: bool = False,
             due_within: int | None = None, unit: str | None = None,
             leader: str | None = None, visitor: int | None = None,
             open_only: bool = False, limit: int = LIST_LIMIT) -> list[CaseSummary]:
        """Cases ``actor`` may see, filtered; open cases by due date, then the closed newest
        first."""
        today = self.local_today()
        query = Case.select(*SUMMARY_FIELDS)
        where: list[pw.Expression] = []
        scope = self._scope(actor)
        if scope is not None:
            where.append(scope)
        if state:
            where.append(Case.state == state)
        if overdue:
            where.append(overdue_cases(today))
        elif due_within is not None or open_only:
            where.append(Case.open == True)  # noqa: E712  peewee builds SQL from ==
        if due_within is not None:
            where.append(Case.due_on <= date.fromordinal(today.toordinal() + due_within))
            if not overdue:
                where.append(Case.due_on >= today)
        if unit:
            where.append((Case.department == unit) | (Case.outside_unit == unit))
        if leader:
            where.append(Case.leader == leader)
        if visitor is not None:
            where.append(Case.visitor == visitor)
        for clause in where:
            query = query.where(clause)
        query = query.order_by(Case.open.desc(), Case.due_on.asc(nulls="LAST"),
                               Case.id.desc()).limit(limit)
        return self.summaries(actor, list(query), today)

    def alert(self) -> CaseAlert:
        """Open cases past their due date, and due within ``time_limits.due_soon_days``: two
        counts from the (open, due date) index."""
        today = self.local_today()
        soon = date.fromordinal(today.toordinal() + self._config.time_limits.due_soon_days)
        base = Case.select().where(Case.open == True)  # noqa: E712
        return CaseAlert(overdue=Case.select().where(overdue_cases(today)).count(),
                         due_soon=base.where((Case.due_on >= today) & (Case.due_on <= soon))
                         .count())

    def local_today(self) -> date:
        """The hall's local calendar date now (a due date is a whole local day; not the business
        day, whose rollover hour is for tickets)."""
        return self._store.now().astimezone(self._store.tz).date()

    # -- views --------------------------------------------------------------------------------

    def summaries(self, actor: Actor, rows: list[Case], today: date | None = None
                  ) -> list[CaseSummary]:
        """Rows as ``actor`` sees them (one query for the visitors' names)."""
        today = today or self.local_today()
        names = dict(Visitor.select(Visitor.id, Visitor.name)
                     .where(Visitor.id.in_({r.visitor_id for r in rows}))
                     .tuples()) if rows else {}
        leaders = self._leaders() if any(r.leader for r in rows) else {}
        return [self.summary(actor, row, today, names.get(row.visitor_id, ""), leaders)
                for row in rows]

    def summary(self, actor: Actor, row: Case, today: date, name: str,
                leaders: Mapping[str, Leader] | None = None) -> CaseSummary:
        """One row as ``actor`` sees it (``leaders``: the roster, read once for a list)."""
        category = self._config.category(row.category)
        shown = self.sees_matter(actor, row)
        if row.leader and leaders is None:
            leaders = self._leaders()
        leader = (leaders or {}).get(row.leader) if row.leader else None
        is_open = row.state not in CLOSED
        due = row.due_on if is_open else None
        left = deadlines.days_left(due, today) if due is not None else None
        return CaseSummary(
            id=row.id, number=row.number, state=row.state,
            state_label=STATES.get(row.state, row.state),
            category=row.category if shown else "",
            category_name=(category.name if category else row.category) if shown
            else CONFIDENTIAL_LABEL,
            matter=row.matter if shown else CONFIDENTIAL_LABEL,
            visitor=mask_name(name) if shown else "",
            unit=self.unit_label(row.department, row.outside_unit),
            department=row.department, opened_on=str(row.opened_on),
            due_on=str(due) if due else "", days_left=left,
            overdue=deadlines.overdue(due, today),
            due_soon=left is not None and 0 <= left <= self._config.time_limits.due_soon_days,
            leader=row.leader, leader_label=leader.label if leader else row.leader,
            extension_state=row.extension_state, satisfaction=row.satisfaction,
            confidential=row.confidential, masked=not shown)

    def unit_label(self, department: str, outside_unit: str = "") -> str:
        """承办单位 as shown: the outside unit (转送), else the department's name."""
        if outside_unit:
            return outside_unit
        spec = self._config.department(department)
        return spec.name if spec is not None else department

    def detail(self, actor: Actor, row: Case) -> CaseDetail:
        """The case with its dates, visits, documents and timeline, as ``actor`` sees it."""
        today = self.local_today()
        name = Visitor.get_by_id(row.visitor_id).name
        summary = self.summary(actor, row, today, name)
        shown = not summary.masked
        entries = list(CaseEntry.select().where(CaseEntry.case == row.id)
                       .order_by(CaseEntry.seq))
        outcome = self._config.outcome(row.outcome)
        parent = Case.get_by_id(row.parent_id).number if row.parent_id else ""
        reviews = tuple(n for (n,) in Case.select(Case.number).where(Case.parent == row.id)
                        .order_by(Case.id).tuples())
        documents = tuple((d.kind, d.number, self._local(d.issued_at))
                          for d in CaseDocument.select().where(CaseDocument.case == row.id)
                          .order_by(CaseDocument.id))
        return CaseDetail(
            summary=summary, outcome=row.outcome,
            outcome_name=outcome.name if outcome else row.outcome,
            request=row.request if shown else "",
            acceptance_due=str(row.acceptance_due),
            accepted_on=str(row.accepted_on or ""), handling_due=str(row.handling_due),
            extension_days=row.extension_days, parent=parent, reviews=reviews,
            visits=tuple(self.visits(row.id)) if shown else (),
            entries=tuple(self.entries(entries, shown)),
            allowed=tuple(allowed_steps(row.state)), documents=documents)

    def visits(self, case_id: int) -> Iterable[CaseVisitView]:
        """The visits about a case, oldest first, with what each window recorded."""
        rows = (Visit.select().join(CaseVisit, on=(CaseVisit.visit == Visit.id))
                .where(CaseVisit.case == case_id).order_by(Visit.registered_at))
        for v in rows:
            dept = self._config.department(v.department)
            outcome = self._config.outcome(v.outcome) if v.outcome else None
            yield CaseVisitView(
                visit_id=v.id, date=str(v.business_day), department=v.department,
                department_name=dept.name if dept else v.department, outcome=v.outcome,
                outcome_name=outcome.name if outcome else v.outcome, note=v.outcome_note,
                reason=v.outcome_reason, channel=v.outcome_channel)

    def entries(self, rows: list[CaseEntry], shown: bool = True) -> Iterable[CaseEntryView]:
        """The timeline's entries; a masked case keeps its steps and dates, not their notes."""
        names = dict(Account.select(Account.login, Account.name)
                     .where(Account.login.in_({e.actor for e in rows})).tuples()) if rows else {}
        details = [json.loads(e.detail or "{}") for e in rows]
        leaders = self._leaders() if any("leader" in d for d in details) else {}
        for e, detail in zip(rows, details, strict=True):
            yield CaseEntryView(
                seq=e.seq, at=self._local(e.at, seconds=True), actor=e.actor,
                actor_name=names.get(e.actor, e.actor), kind=e.kind,
                kind_label=ENTRY_LABELS.get(e.kind, e.kind), state=e.state,
                state_label=STATES.get(e.state, e.state), note=e.note if shown else "",
                due_on=str(e.due_on or ""),
                detail={k: self._shown_detail(k, v, leaders) for k, v in detail.items()}
                if shown else {})

    def _shown_detail(self, key: str, value: object, leaders: Mapping[str, Leader]) -> str:
        """An entry's detail as people read it: a unit's, a leader's (the roster's), a
        follow-up way's name, not its code; a document's title."""
        text = str(value)
        if key == "unit":
            return self.unit_label(text) if self._config.department(text) else text
        if key == "leader":
            spec = leaders.get(text)
            return spec.label if spec is not None else text
        if key == "how":
            return self._config.cases.followup_ways.get(text, text)
        if key == "kind":
            return DOCUMENT_KINDS.get(text, text)
        return text

    def _local(self, stored: object, seconds: bool = False) -> str:
        local = self._store.local(stored)  # type: ignore[arg-type]
        return local.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
