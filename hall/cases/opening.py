"""Opening cases: from a window's finish (same transaction), for a leader's 包案, and linking a
repeat visit to an open case at the desk.

    hall.cases.preview(visit_id, "filed")      # what the finish dialog shows before finishing
    hall.windows.finish(7, "filed", "win07")    # calls :meth:`Opening.open_locked` inside

A case's number is the year's next (``case_counter``, taken atomically), in the configured
format; its deadlines are counted from the hall's local date of opening.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from hall.accounts.visibility import is_confidential
from hall.cases.base import CASES, TEXT_LABELS, CaseBase, Opened, _required, _texts
from hall.cases.states import CLOSED
from hall.cases.views import CasePreview, CaseSummary
from hall.clock import to_storage
from hall.desk.registration import FormError
from hall.errors import NotFound, Refused
from models import Case, CaseVisit, Visit
from models import statements as sql
from models.locks import locked_case

if TYPE_CHECKING:
    from config.schema import Outcome


class Opening(CaseBase):
    """Opening a case, and linking a visit to one."""

    # -- opening ------------------------------------------------------------------------------

    def preview(self, visit_id: int, outcome: str, unit: str = "") -> CasePreview:
        """What finishing visit ``visit_id`` with ``outcome`` would open (the finish dialog)."""
        spec = self._config.outcome(outcome)
        visit = Visit.get_or_none(Visit.id == visit_id)
        if spec is None or visit is None:
            raise NotFound("没有这个来访或办理方式")
        linked = self._open_case_of_visit(visit_id)
        if not spec.opens_case:
            return CasePreview(False, spec.name, "", False, "", "", linked.number if linked
                               else "")
        today = self.reads.local_today()
        accept, _ = self._due(today, self._config.time_limits.acceptance_days)
        handle, _ = self._due(today, self._config.time_limits.handling_days)
        shown_unit = unit.strip() if spec.outside_unit else self.reads.unit_label(
            unit.strip() or visit.department)
        return CasePreview(True, spec.name, shown_unit, spec.outside_unit, str(accept),
                           str(handle), linked.number if linked else "")

    def check_unit(self, outcome: Outcome, unit: str) -> str:
        """The unit a finish names, checked before the transaction: an outside unit's name for
        转送 (required), else a department code of the hall or nothing (the visit's)."""
        if not outcome.opens_case:
            return ""
        text = _texts(unit=unit)["unit"]
        if outcome.outside_unit and not text:
            raise FormError({"unit": f"“{outcome.name}”须写明转送的承办单位"}, TEXT_LABELS)
        if text and not outcome.outside_unit and self._config.department(text) is None:
            valid = "、".join(d.code for d in self._config.departments)
            raise FormError({"unit": f"没有部门“{text}”（现有：{valid}）"}, TEXT_LABELS)
        return text

    def open_locked(self, visit_id: int, outcome: Outcome, unit: str, actor: str,
                    at: datetime) -> Opened | None:
        """Inside the window's finish transaction: open the case ``outcome`` opens, or add the
        visit to the open case it is about; None when the outcome opens none and the visit is
        about no case. ``unit`` comes from :meth:`check_unit`."""
        linked = self._open_case_of_visit(visit_id)
        if linked is not None:
            row = locked_case(self._store.db, linked.id)
            assert row is not None
            self._append(row, actor, at, "visit", row.state, note=outcome.name,
                         detail={"visit": visit_id, "outcome": outcome.code})
            return Opened(row.id, row.number, False)
        if not outcome.opens_case:
            return None
        visit = Visit.get_by_id(visit_id)
        department = visit.department if outcome.outside_unit or not unit else unit
        return self._create(visit.visitor_id, visit, visit.category, visit.matter, visit.request,
                            department, unit if outcome.outside_unit else "", outcome.code,
                            actor, at)

    def open_for(self, visitor_id: int, category: str, matter: str, department: str,
                 actor: str, leader: str = "") -> CaseSummary:
        """Open a case not from a window's finish (a leader's 包案 of a matter with no case yet:
        ``hall case``), with the leader in charge when given."""
        actor_view = self._store.permit(actor, "leader.case" if leader else "case.supervise",
                                        department)
        text = _required(matter=matter)["matter"]
        if self._config.category(category) is None:
            raise FormError({"category": f"没有诉求类别“{category}”"}, {"category": "诉求类别"})
        with self._store.transaction():
            at = to_storage(self._store.now())
            opened = self._create(visitor_id, None, category, text, "", department, "", "",
                                  actor, at)
            row = locked_case(self._store.db, opened.case_id)
            assert row is not None
            if leader:
                self._append(row, actor, at, "lead", row.state, detail={"leader": leader},
                             leader=leader)
            self._store.bump(CASES)
            return self.reads.summaries(actor_view, [self._locked(row.id)])[0]

    def link_visit_locked(self, case_id: int, visit_id: int, actor: str, at: datetime) -> None:
        """Inside the desk's issue transaction: the new visit is about open case ``case_id``
        (a repeat visit on the same matter)."""
        row = locked_case(self._store.db, case_id)
        if row is None or row.state in CLOSED:
            raise Refused("所选案件不存在或已办结，不能关联")
        sql.insert_row(self._store.db, CaseVisit, {"case": row.id, "visit": visit_id,
                                                   "linked_at": at, "linked_by": actor})
        self._append(row, actor, at, "visit", row.state, detail={"visit": visit_id})
        self._store.bump(CASES)

    def _create(self, visitor_id: int, visit: Visit | None, category: str, matter: str,
                request: str, department: str, outside_unit: str, outcome: str, actor: str,
                at: datetime) -> Opened:
        today = self._store.local(at).date()
        limits = self._config.time_limits
        accept, _ = self._due(today, limits.acceptance_days)
        handle, _ = self._due(today, limits.handling_days)
        seq = sql.next_case_seq(self._store.db, year=today.year)
        number = self._config.cases.number_format.format(year=today.year, seq=seq)
        case_id = sql.insert_row(self._store.db, Case, {
            "year": today.year, "seq": seq, "number": number, "visitor": visitor_id,
            "visit": visit.id if visit else None, "category": category, "matter": matter,
            "request": request, "outcome": outcome, "department": department,
            "outside_unit": outside_unit,
            "confidential": is_confidential(self._config, category), "state": "pending",
            "open": True, "opened_on": today, "opened_at": at, "opened_by": actor,
            "acceptance_due": accept, "handling_due": handle, "due_on": accept,
            "last_seq": 1, "updated_at": at})  # its opening entry, appended below
        if visit is not None:
            sql.insert_row(self._store.db, CaseVisit, {"case": case_id, "visit": visit.id,
                                                       "linked_at": at, "linked_by": actor})
        # the row was just written as the opening entry leaves it: no read back, no update
        row = Case(id=case_id, state="pending", last_seq=0)
        self._append(row, actor, at, "opened", "pending", entry_due=accept, written=True,
                     detail={"unit": outside_unit or department, "outcome": outcome})
        self._store.bump(CASES)
        return Opened(case_id, number, True)

    def _open_case_of_visit(self, visit_id: int) -> Case | None:
        # the id and number only: every finish asks, and the row is locked when there is one
        return (Case.select(Case.id, Case.number).join(CaseVisit, on=(CaseVisit.case == Case.id))
                .where((CaseVisit.visit == visit_id) & (Case.open == True))  # noqa: E712
                .order_by(Case.id.desc()).first())
