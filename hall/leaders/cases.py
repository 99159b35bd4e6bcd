"""包案: a leader takes personal charge of a visitor's matter, as a step of a case (信访事项).

    hall.leaders.take_case("11010519491231002X", "lihong", "欠薪积案", actor="mgr01")
    hall.leaders.take_case(id_number, "lihong", "", actor="mgr01", case="2026-137")  # an open one
    hall.leaders.cases_of(visitor_id)        # the visitor's file: every 包案, newest first

Since issue 12 a 包案 is a case with a leader (:mod:`hall.cases`), not a line of its own:

- with ``case`` (the case's id, number or YEAR-SEQ, :meth:`hall.cases.Cases.find`), the leader
  leads that case of the visitor's (``hall.cases.lead``: the step's entry, the state unchanged);
- without, a new case is opened for the matter (``hall.cases.open_for``), with the leader in
  charge from its first entry. Its category is the one given, else the visitor's latest visit's,
  else ``policy``; its handling unit (承办单位) is the leader's reception room's department: the
  leader's room answers for it, as it did for the old 包案, and a manager names the competent
  unit with 交办 (``hall cases assign``) when the case goes there. So the permission is the same
  as before: managers, and the leader's own room (``leader.case`` for that department).

The 包案 recorded before cases existed (``leader_case`` rows) stay as they were and are listed
with the cases, as history (no number, no state). A confidential case's matter reads 「保密事项」
in the list: the visitor's file it fills is seen by the desk, outside the handling department.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

import peewee as pw

from hall.errors import Refused
from hall.leaders.bookings import typed_text
from hall.leaders.shared import LeaderState, RosterEntry
from hall.views import CaseSummary
from models import Case, CaseEntry, LeaderCase, Visit

if TYPE_CHECKING:
    from hall.cases import Cases

DEFAULT_CATEGORY = "policy"
"""A new 包案's category when the visitor has no visit to take it from (政策咨询)."""


class LeaderCases:
    """包案 over the case context: ``hall.leaders.take_case`` and ``cases_of`` call this."""

    def __init__(self, state: LeaderState, cases: Callable[[], Cases]) -> None:
        self.state = state
        self._store = state.store
        self._cases = cases

    def take(self, id_number: str, leader: str, matter: str, actor: str, *,
             category: str = "", case: str | int = "") -> CaseSummary:
        """A leader takes charge of a registered visitor's matter: a new case, or the visitor's
        open case ``case``. Checked in this order: the leader (retired: refused), the
        permission, the ID number, the matter (required for a new case), the file."""
        spec = self.state.active(leader)
        self._store.permit(actor, "leader.case", spec.department)
        person = self.state.person(id_number)
        if not str(case).strip() and not matter.strip():
            raise Refused("包案须写明所包的事项")
        matter = typed_text("matter", matter)
        visitor = self.state.visitor(person.value)
        cases = self._cases()
        if str(case).strip():
            case_id = cases.find(case)
            row = Case.get_by_id(case_id)
            if row.visitor_id != visitor.id:
                raise Refused(f"案件 {row.number} 不是该来访人的案件")
            summary = cases.lead(case_id, spec.code, actor, note=matter)
        else:
            summary = cases.open_for(visitor.id, category or self._latest_category(visitor.id),
                                     matter, spec.department, actor, leader=spec.code)
        return self._views([Case.get_by_id(summary.id)], [])[0]

    def of_visitor(self, visitor_id: int) -> list[CaseSummary]:
        """A visitor's 包案, newest first: the cases with a leader, and the older records."""
        led = list(Case.select().where((Case.visitor == visitor_id) & (Case.leader != "")))
        old = list(LeaderCase.select().where(LeaderCase.visitor == visitor_id))
        return self._views(led, old)

    def _views(self, led: list[Case], old: list[LeaderCase]) -> list[CaseSummary]:
        if not led and not old:
            return []
        from hall.accounts.visibility import CONFIDENTIAL_LABEL
        from hall.cases.states import STATES

        roster = self.state.roster()
        taken = self._taken_on([r.id for r in led])
        views = [(taken.get(r.id, r.opened_on), 1, r.id, CaseSummary(
            r.id, str(taken.get(r.id, r.opened_on)), r.leader, _label(roster, r.leader),
            CONFIDENTIAL_LABEL if r.confidential else r.matter, number=r.number,
            state=r.state, state_label=STATES.get(r.state, r.state),
            due_on=str(r.due_on) if r.open and r.due_on else "")) for r in led]
        views += [(c.taken_on, 0, c.id, CaseSummary(c.id, str(c.taken_on), c.leader,
                                                    _label(roster, c.leader), c.matter))
                  for c in old]
        views.sort(key=lambda v: v[:3], reverse=True)
        return [v[3] for v in views]

    def _taken_on(self, case_ids: list[int]) -> dict[int, date]:
        """The local day each case's latest 包案 entry was made (one query)."""
        if not case_ids:
            return {}
        rows = (CaseEntry.select(CaseEntry.case, pw.fn.MAX(CaseEntry.at))
                .where(CaseEntry.case.in_(case_ids) & (CaseEntry.kind == "lead"))
                .group_by(CaseEntry.case).tuples())
        return {case: self._store.local(at).date() for case, at in rows if at is not None}

    @staticmethod
    def _latest_category(visitor_id: int) -> str:
        latest = (Visit.select(Visit.category).where(Visit.visitor == visitor_id)
                  .order_by(Visit.registered_at.desc(), Visit.id.desc()).scalar())
        return latest or DEFAULT_CATEGORY


def _label(roster: dict[str, RosterEntry], code: str) -> str:
    entry = roster.get(code)
    return entry.spec.label if entry else code
