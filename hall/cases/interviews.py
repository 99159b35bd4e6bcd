"""接谈记录 (the interview record) written at the window, and what the window shows of a case.

    view = hall.cases.interviews.save(7, "win07", stated="…", asked="…", answered="…",
                                      materials="劳动合同复印件 1 份")
    hall.cases.interviews.latest(view.visit_id, viewer="win07")   # the latest version, or None

The window records the interview as it goes, on its **current** visit (a called or serving
ticket; the window's row is locked, so a finish cannot slip between): what the visitor stated,
what was asked, what was answered, the materials received. Each save is a new version
(:class:`~models.case.InterviewRecord`, numbered 1, 2, 3 … per visit); the latest is the record
and nothing said is overwritten. Saving takes ``window.start`` for one of the window's
departments (recording the interview is part of the interview that act begins: whoever may
start it at this window may write it down), and is audited (``interview.save``).

Reading back (:meth:`Interviews.latest`) needs ``visitor.view``; a confidential visit's record
(检举控告) is shown only to its department and the managers: anyone else gets it withheld
(``masked``, texts empty). Each read is audited (``interview.view``). The printed 接谈记录 for the
visitor to confirm is :mod:`hall.cases.documents`'.

Follow-up appointments (约谈) are :mod:`hall.cases.appointments`; :class:`Interviews` carries
both (``hall.cases.interviews``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hall.accounts import visibility
from hall.cases.appointments import Appointments
from hall.cases.base import CASES
from hall.clock import to_storage
from hall.desk.registration import FormError
from hall.errors import NotFound
from hall.text import freetext
from hall.views import CurrentCase
from models import Case, CaseVisit, InterviewRecord, Visit
from models import statements as sql

if TYPE_CHECKING:
    from hall.accounts.actor import Actor

LABELS = {"stated": "来访人陈述", "asked": "询问", "answered": "答复", "materials": "收到材料"}
"""The four parts of a 接谈记录, as the dialog and the printed record call them."""
_LIMITS = {"stated": (freetext.TEXT, True), "asked": (freetext.TEXT, True),
           "answered": (freetext.TEXT, True), "materials": (freetext.NOTE, True)}


@dataclass(frozen=True)
class InterviewView:
    """The latest 接谈记录 of a visit as the viewer may see it."""

    visit_id: int
    version: int  # 1, 2, 3 …: how many times it was saved
    at: str  # local time of this version, YYYY-MM-DD HH:MM:SS
    actor: str
    stated: str
    asked: str
    answered: str
    materials: str
    masked: bool = False  # a confidential visit outside the viewer's department: texts withheld


def interview_errors(**texts: str) -> dict[str, str]:
    """What is wrong with a record's texts, by key (the dialog shows these before it saves)."""
    errors = freetext.errors_of({k: _LIMITS[k] for k in texts}, texts)
    if not errors and not any((v or "").strip() for v in texts.values()):
        errors["stated"] = "接谈记录不能全部为空：至少填写一项"
    return errors


class Interviews(Appointments):
    """``hall.cases.interviews``: the window's 接谈记录 and 约谈 (built by :class:`Cases`)."""

    def save(self, window: int, actor: str, stated: str = "", asked: str = "",
             answered: str = "", materials: str = "") -> InterviewView:
        """Save a new version of the 接谈记录 of ``window``'s current visit.

        :class:`FormError` naming the fields (control characters, length, all four empty),
        :class:`~hall.errors.Refused` when the window serves nobody now,
        :class:`~hall.errors.NotAllowed` outside the window's departments."""
        spec = self._window(window)
        self._store.permit(actor, "window.start", departments=spec.departments)
        raw = {"stated": stated, "asked": asked, "answered": answered, "materials": materials}
        errors = interview_errors(**raw)
        if errors:
            raise FormError(errors, LABELS)
        texts = freetext.cleaned_or_raise(_LIMITS, raw, lambda e: FormError(e, LABELS))
        with self._store.transaction():
            at = to_storage(self._store.now())
            ticket = self._current_ticket(spec, at, "记录接谈")
            version = (InterviewRecord.select(InterviewRecord.version)
                       .where(InterviewRecord.visit == ticket.visit_id)
                       .order_by(InterviewRecord.version.desc()).scalar() or 0) + 1
            sql.insert_row(self._store.db, InterviewRecord, {
                "visit": ticket.visit_id, "version": version, "at": at, "actor": actor,
                **texts})
            self._store.audit(actor, "interview.save", "visit", ticket.visit_id, at,
                              {"version": version, "window": spec.number,
                               "ticket": ticket.number})
            self._store.bump(CASES)
        return InterviewView(ticket.visit_id, version, self._local(at), actor, **texts)

    def latest(self, visit_id: int, viewer: str) -> InterviewView | None:
        """The latest 接谈记录 of visit ``visit_id`` as ``viewer`` may see it (None: none yet);
        the read is audited."""
        actor = visibility.viewer(self._store, viewer)
        visit = Visit.get_or_none(Visit.id == visit_id)
        if visit is None:
            raise NotFound(f"没有编号为 {visit_id} 的来访")
        row = (InterviewRecord.select().where(InterviewRecord.visit == visit_id)
               .order_by(InterviewRecord.version.desc()).first())
        if row is None:
            return None
        shown = self.sees_visit(actor, visit)
        with self._store.transaction():
            self._store.audit(viewer, "interview.view", "visit", visit_id,
                              to_storage(self._store.now()),
                              {"version": row.version, "masked": not shown})
        if not shown:
            return InterviewView(visit_id, row.version, self._local(row.at), row.actor,
                                 "", "", "", "", masked=True)
        return freetext.shown_in(InterviewView(
            visit_id, row.version, self._local(row.at), row.actor, row.stated, row.asked,
            row.answered, row.materials))

    def version_of(self, visit_id: int) -> int:
        """How many versions the visit's 接谈记录 has (0: none): the window's panel says so."""
        return int(InterviewRecord.select(InterviewRecord.version)
                   .where(InterviewRecord.visit == visit_id)
                   .order_by(InterviewRecord.version.desc()).scalar() or 0)

    def window_case(self, visit_id: int, actor: Actor) -> CurrentCase | None:
        """The case visit ``visit_id`` is about (the newest linked; None: none), with the case's
        other visits and what their windows recorded, as ``actor`` may see it (the window's
        view: the current visit is already checked visible to ``actor``)."""
        row = (Case.select().join(CaseVisit, on=(CaseVisit.case == Case.id))
               .where(CaseVisit.visit == visit_id).order_by(Case.open.desc(), Case.id.desc())
               .first())
        if row is None:
            return None
        reads = self._cases.reads
        summary = reads.summary(actor, row, reads.local_today(), "")
        earlier = () if summary.masked else tuple(
            v for v in reads.visits(row.id) if v.visit_id != visit_id)
        return CurrentCase(row.id, row.number, summary.state_label, summary.unit,
                           summary.due_on, summary.days_left, summary.overdue, earlier,
                           summary.masked)

    def sees_visit(self, actor: Actor, visit: Any) -> bool:
        """Whether ``actor`` reads what was said at ``visit`` (a confidential one: its
        department and the managers)."""
        return visibility.sees_details(
            actor, visibility.is_confidential(self._config, visit.category), visit.department)
