"""The case context, ``hall.cases``: open a case from the window, take its steps, read it.

    preview = hall.cases.preview(visit_id, "filed")             # what finishing would open
    hall.windows.finish(7, "filed", actor="win07", note="…")    # opens it, same transaction
    hall.cases.accept(case_id, actor="win07", how="电话告知")
    hall.cases.urge(case_id, "请于本周内答复", actor="mgr01", due=date(2026, 12, 10))
    hall.cases.detail(case_id, viewer="mgr01")                  # the timeline (audited)

Every step asks the permission table first (:mod:`hall.cases.states` names each step's act:
``case.handle`` for the handling staff of the case's department and managers, ``case.supervise``
and ``case.approve`` for managers, ``leader.case`` for 包案), then checks the text, then in one
transaction locks the case's row, checks the state allows the step (:class:`Refused` naming the
steps it does allow), appends the numbered entry, updates the row's state and dates, writes the
audit event and bumps the ``cases`` counter (the managers' top-bar mark polls it). Nothing is
edited in place or deleted: the row keeps what lists filter on, the entries keep the history.

Deadlines (:mod:`hall.cases.deadlines`, ``time_limits`` in the configuration): at opening, the
acceptance notice is due ``acceptance_days`` after the opening date and handling
``handling_days`` after it; accepting counts handling from the day of acceptance; one extension
of at most ``extension_days``, requested with a reason and approved (or refused) by a manager,
moves handling's due date on. ``due_on`` is the date the hall holds the case to next: the
acceptance notice's while pending, then handling's (or an urge's earlier date), none once
replied (the reply is in; the follow-up is the hall's own step) or closed.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import TYPE_CHECKING, Any

from hall.cases.base import CASES, MAX_URGE_DAYS, TEXT_LABELS, _required, _texts
from hall.cases.opening import Opening
from hall.cases.states import DOCUMENT_KINDS, SATISFACTION, STATES, STEPS
from hall.cases.views import CaseAlert, CaseDetail, CaseSummary
from hall.clock import to_storage
from hall.desk.registration import FormError
from hall.errors import NotFound, Refused
from hall.text import freetext
from models import Case, CaseDocument, CaseEntry, CaseVisit
from models import statements as sql

if TYPE_CHECKING:
    from hall.cases.documents import CaseDocuments
    from hall.cases.interviews import Interviews


class Cases(Opening):
    """Case acts and reads: ``hall.cases``; its documents (``hall.cases.documents``) and the
    windows' interview records and appointments (``hall.cases.interviews``) are built on
    first use."""

    @functools.cached_property
    def documents(self) -> CaseDocuments:
        """The documents printed for a case (PDF), numbered and recorded on it."""
        from hall.cases.documents import CaseDocuments

        return CaseDocuments(self)

    @functools.cached_property
    def interviews(self) -> Interviews:
        """接谈记录 written at the window, and follow-up appointments (约谈)."""
        from hall.cases.interviews import Interviews

        return Interviews(self)

    # -- steps --------------------------------------------------------------------------------

    def accept(self, case_id: int, actor: str, how: str = "", note: str = "") -> CaseSummary:
        """受理: the acceptance notice was sent (how); handling is counted from today."""
        texts = _texts(how=how, note=note)

        def change(row: Case, today: date) -> dict[str, Any]:
            handle, _ = self._due(today, self._config.time_limits.handling_days)
            return {"accepted_on": today, "handling_due": handle,
                    "due_on": handle}
        return self._step(case_id, "accept", actor, texts["note"], {"how": texts["how"]},
                          change)

    def refuse(self, case_id: int, kind: str, reason: str, channel: str,
               actor: str) -> CaseSummary:
        """不予受理 (``rejected``) or 不再受理 (``not_again``), with the reason and the channel the
        visitor was told of; the case closes at once."""
        if kind not in ("rejected", "not_again"):
            raise FormError({"kind": "应为 rejected（不予受理）或 not_again（不再受理）"},
                            {"kind": "类型"})
        texts = _required(reason=reason, channel=channel)
        return self._step(case_id, "refuse", actor, texts["reason"],
                          {"channel": texts["channel"]}, lambda row, today: {}, after=kind,
                          kind=kind)

    def assign(self, case_id: int, unit: str, actor: str, note: str = "") -> CaseSummary:
        """交办: name the handling unit (a department code, or an outside unit's name)."""
        texts = _texts(unit=unit, note=note)
        if not texts["unit"]:
            raise FormError({"unit": "不能为空"}, TEXT_LABELS)
        inside = self._config.department(texts["unit"]) is not None

        def change(row: Case, today: date) -> dict[str, Any]:
            if inside:
                return {"department": texts["unit"], "outside_unit": ""}
            return {"outside_unit": texts["unit"]}
        return self._step(case_id, "assign", actor, texts["note"], {"unit": texts["unit"]},
                          change, after_from={"accepted": "handling"})

    def reply(self, case_id: int, note: str, actor: str) -> CaseSummary:
        """答复: the unit's reply recorded."""
        texts = _required(note=note)
        return self._step(case_id, "reply", actor, texts["note"], {},
                          lambda row, today: {"due_on": None})

    def send_back(self, case_id: int, reason: str, actor: str) -> CaseSummary:
        """退回: the reply falls short; the unit handles the case again (its due date stays)."""
        texts = _required(reason=reason)
        return self._step(case_id, "return", actor, texts["reason"], {},
                          lambda row, today: {"due_on": self._handling_due(row)})

    def followup(self, case_id: int, how: str, satisfaction: str, actor: str,
                 note: str = "") -> CaseSummary:
        """回访: how the visitor was reached, what they said, and their satisfaction."""
        ways = self._config.cases.followup_ways
        if how not in ways:
            valid = "、".join(f"{k}（{v}）" for k, v in ways.items())
            raise FormError({"how": f"应为：{valid}"}, TEXT_LABELS)
        if satisfaction not in SATISFACTION:
            raise FormError({"satisfaction": "应为：" + "、".join(SATISFACTION)},
                            {"satisfaction": "满意度"})
        texts = _texts(note=note)
        return self._step(case_id, "followup", actor, texts["note"],
                          {"how": how, "satisfaction": satisfaction},
                          lambda row, today: {"satisfaction": satisfaction})

    def close(self, case_id: int, actor: str, note: str = "") -> CaseSummary:
        """办结: the followed-up case ends."""
        texts = _texts(note=note)
        return self._step(case_id, "close", actor, texts["note"], {}, lambda row, today: {})

    def urge(self, case_id: int, note: str, actor: str, due: date | None = None) -> CaseSummary:
        """督办/催办: a note, and a new date the unit is held to.

        An urge tightens, never loosens: the case's due date becomes the urge's date or the
        statutory one (the acceptance notice's while pending, handling's once accepted),
        whichever is earlier, so an urge can neither hide an overdue case nor lengthen a
        statutory period; the entry keeps the date asked for (an overdue case urged with a new
        date stays overdue, and the unit sees the date). A replied or followed-up case has no
        due date; an urge there records its date on the entry only."""
        texts = _required(note=note)
        today = self.reads.local_today()
        if due is not None and not today <= due <= date.fromordinal(
                today.toordinal() + MAX_URGE_DAYS):
            raise FormError({"due": f"应在今天（{today}）至 {MAX_URGE_DAYS} 天内"},
                            {"due": "督办期限"})

        def change(row: Case, today: date) -> dict[str, Any]:
            if due is None or row.state not in ("pending", "accepted", "handling"):
                return {}
            limit = row.acceptance_due if row.state == "pending" else self._handling_due(row)
            return {"due_on": min(due, limit)}
        return self._step(case_id, "urge", actor, texts["note"], {}, change, due_on=due)

    def extend(self, case_id: int, days: int, reason: str, actor: str) -> CaseSummary:
        """延期 requested: at most ``extension_days``, once; a manager approves it."""
        limit = self._config.time_limits.extension_days
        if not 1 <= days <= limit:
            raise FormError({"days": f"应为 1 至 {limit} 天" if limit else "本厅不允许延期"},
                            {"days": "延期天数"})
        texts = _required(reason=reason)

        def change(row: Case, today: date) -> dict[str, Any]:
            if row.extension_state in ("requested", "approved"):
                raise Refused("延期只能申请一次：" + ("已有待批准的申请"
                              if row.extension_state == "requested" else "本案已批准延期"))
            return {"extension_state": "requested"}
        return self._step(case_id, "extend", actor, texts["reason"], {"days": days}, change)

    def approve_extension(self, case_id: int, actor: str, told: str,
                          note: str = "") -> CaseSummary:
        """批准延期: handling's due date moves on by the days asked; ``told`` records how and
        when the visitor is told (the regulation requires it)."""
        texts = _required(how=told)
        extra = _texts(note=note)["note"]

        def change(row: Case, today: date) -> dict[str, Any]:
            days = self._requested_days(row)
            handle, _ = self._due(row.handling_due, days)
            return {"extension_state": "approved", "extension_days": days,
                    "handling_due": handle, "due_on": handle}
        return self._step(case_id, "approve_extension", actor, extra, {"told": texts["how"]},
                          change)

    def refuse_extension(self, case_id: int, actor: str, note: str) -> CaseSummary:
        """不批准延期: the request is refused; the due date stays."""
        texts = _required(note=note)

        def change(row: Case, today: date) -> dict[str, Any]:
            self._requested_days(row)
            return {"extension_state": "refused"}
        return self._step(case_id, "refuse_extension", actor, texts["note"], {}, change)

    def lead(self, case_id: int, leader: str, actor: str, note: str = "") -> CaseSummary:
        """包案: a leader of the roster (configured or added from the manager screen, not
        retired) takes charge of the case (permitted for the leader's room)."""
        spec = self._active_leader(leader.strip())
        texts = _texts(note=note)
        return self._step(case_id, "lead", actor, texts["note"], {"leader": spec.code},
                          lambda row, today: {"leader": spec.code}, room=spec.department)

    def note(self, case_id: int, text: str, actor: str) -> CaseSummary:
        """A remark on the case's timeline (any state)."""
        texts = _required(note=text)
        return self._step(case_id, "note", actor, texts["note"], {}, lambda row, today: {})

    def review(self, case_id: int, actor: str, note: str = "") -> CaseSummary:
        """复查: a dissatisfied visitor's request opens a new case linked to this one, within
        ``time_limits.review_days`` of the follow-up."""
        texts = _texts(note=note)
        row = self._find(case_id)
        actor_view = self._permit(actor, "review", row)
        with self._store.transaction():
            row = self._locked(case_id)
            self._check(row, "review")
            if row.satisfaction != "不满意":
                raise Refused("只有回访“不满意”的案件可申请复查")
            at = to_storage(self._store.now())
            followed = (CaseEntry.select(CaseEntry.at)
                        .where((CaseEntry.case == row.id) & (CaseEntry.kind == "followup"))
                        .order_by(CaseEntry.seq.desc()).scalar())
            limit = self._config.time_limits.review_days
            if followed is not None and (self._store.local(at).date()
                                         - self._store.local(followed).date()).days > limit:
                raise Refused(f"回访已超过 {limit} 日，不能申请复查")
            opened = self._create(row.visitor_id, None, row.category, row.matter, row.request,
                                  row.department, row.outside_unit, row.outcome, actor, at)
            Case.update(parent=row.id).where(Case.id == opened.case_id).execute()
            self._append(row, actor, at, "review", row.state, note=texts["note"],
                         detail={"review": opened.number})
            new = Case.get_by_id(opened.case_id)
            return self.reads.summaries(actor_view, [new])[0]

    def record_document(self, case_id: int, kind: str, actor: str,
                        reprint_of: str = "") -> str:
        """Number a document issued for the case (an entry and an audit event), or count a
        reprint of ``reprint_of`` (audited, no new number); the document's number."""
        row = self._find(case_id)
        self._store.permit(actor, "case.handle", departments=self._departments(row))
        with self._store.transaction():
            at = to_storage(self._store.now())
            if reprint_of:
                doc = CaseDocument.get_or_none((CaseDocument.case == row.id)
                                               & (CaseDocument.number == reprint_of))
                if doc is None:
                    raise NotFound(f"本案没有编号为 {reprint_of} 的文书")
                CaseDocument.update(printed=CaseDocument.printed + 1).where(
                    CaseDocument.id == doc.id).execute()
                self._store.audit(actor, "case.document.reprint", "case", row.id, at,
                                  {"document": doc.number, "kind": doc.kind})
                return doc.number
            row = self._locked(case_id)
            count = CaseDocument.select().where(CaseDocument.case == row.id).count()
            number = f"{row.number}-{count + 1:02d}"
            sql.insert_row(self._store.db, CaseDocument, {
                "case": row.id, "kind": kind, "number": number, "issued_at": at,
                "issued_by": actor, "printed": 1})
            self._append(row, actor, at, "document", row.state,
                         note=DOCUMENT_KINDS.get(kind, kind),
                         detail={"document": number, "kind": kind})
            self._store.bump(CASES)
            return number

    # -- reads --------------------------------------------------------------------------------

    def list(self, viewer: str, **filters: Any) -> list[CaseSummary]:
        """Cases ``viewer`` may see (see :meth:`CaseReads.list` for the filters)."""
        actor = self._store.permit(viewer, "case.view")
        return self.reads.list(actor, **filters)

    def detail(self, case_id: int, viewer: str) -> CaseDetail:
        """A case's detail and timeline; the view is written to the audit log."""
        row = self._find(case_id)
        actor = self._store.permit(viewer, "case.view", departments=self._departments(row))
        detail = self.reads.detail(actor, row)
        with self._store.transaction():
            self._store.audit(viewer, "case.view", "case", row.id,
                              to_storage(self._store.now()), {"masked": detail.summary.masked})
        return freetext.shown_in(detail)

    def alert(self) -> CaseAlert:
        """Counts of overdue and due-soon open cases (the managers' top-bar mark)."""
        return self.reads.alert()

    def open_cases_of(self, visitor_id: int, viewer: str) -> list[CaseSummary]:
        """The visitor's open cases as ``viewer`` sees them (the desk offers them to link a
        repeat visit to)."""
        actor = self._store.permit(viewer, "visitor.view")
        rows = list(Case.select().where((Case.visitor == visitor_id)
                                        & (Case.open == True))  # noqa: E712
                    .order_by(Case.id.desc()))
        return self.reads.summaries(actor, rows)

    def of_visit(self, visit_id: int) -> tuple[str, str, str] | None:
        """(number, state label, next due date or "") of the case a visit belongs to, newest
        first; no personal data (the visitor's status lookup shows it). A closed case has no
        due date (closing clears it)."""
        row = (Case.select().join(CaseVisit).where(CaseVisit.visit == visit_id)
               .order_by(Case.id.desc()).first())
        if row is None:
            return None
        return (row.number, STATES.get(row.state, row.state),
                str(row.due_on) if row.due_on else "")

    def find(self, ref: str | int) -> int:
        """A case's id from what a user types: the id, the full number, or YEAR-SEQ
        (2026-137); :class:`NotFound` otherwise."""
        text = str(ref).strip()
        year, _, seq = text.partition("-")  # seq "" without a dash
        row = None
        # isdecimal, not isdigit: "²" is a digit that int() refuses
        if text.isdecimal() and len(text) <= 18:
            row = Case.get_or_none(Case.id == int(text))
        elif year.isdecimal() and seq.isdecimal() and len(text) <= 20:
            row = Case.get_or_none((Case.year == int(year)) & (Case.seq == int(seq)))
        elif text.isprintable() and len(text) <= 64:
            row = Case.get_or_none(Case.number == text)
        if row is None:
            raise NotFound(f"没有案件 {freetext.shown(text[:64])}"
                           "（可用案件编号、序号或 年份-序号）")
        return int(row.id)

    # -- the step machinery -------------------------------------------------------------------

    def _step(self, case_id: int, step: str, actor: str, note: str, detail: dict[str, Any],
              change: Any, *, after: str | None = None, kind: str | None = None,
              after_from: dict[str, str] | None = None, due_on: date | None = None,
              room: str | None = None) -> CaseSummary:
        row = self._find(case_id)
        actor_view = self._permit(actor, step, row, room)
        with self._store.transaction():
            row = self._locked(case_id)
            self._check(row, step)
            at = to_storage(self._store.now())
            today = self._store.local(at).date()
            fields = change(row, today)
            state = after or STEPS[step].after or (after_from or {}).get(row.state, row.state)
            self._append(row, actor, at, kind or step, state, note=note, detail=detail,
                         entry_due=due_on or fields.get("due_on"), **fields)
            self._store.bump(CASES)
            return self.reads.summaries(actor_view, [self._locked(case_id)])[0]
