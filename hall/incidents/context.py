"""Special situations (特殊情况): log an incident, record its steps, close, reopen, review.

The :class:`Incidents` context, ``hall.incidents``, so the incident form, the manager screen,
the CLI and the tests share one code path:

    new = hall.incidents.log(NewIncident("dangerous", "3号窗口", "携带水果刀", ticket="R007"),
                             actor="win03")
    hall.incidents.act(new.id, "dissuade", actor="win03", result="已交出刀具")
    hall.incidents.close(new.id, "公安带离，移交派出所", actor="mgr01")

The record is append-only: every step is a new numbered entry; a correction is an entry pointing
at the one it corrects; nothing is edited in place or deleted. A closed incident takes no more
actions until it is reopened with a reason (corrections stay possible: the record of a closed
case may still be put right). Every write locks the incident's row (SQLite: ``BEGIN IMMEDIATE``;
PostgreSQL: ``SELECT … FOR UPDATE``) before it takes the next entry number, so two terminals
recording at the same instant are both kept, one after the other. Every view of an incident's
detail (screen, ``hall incident show``, the daily report) is written to the audit log. Every
act asks the permission table first: everyone signed in as a person logs an incident and records
its steps; only managers close, reopen, read an incident's detail and the daily report.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Any

from hall.clock import to_storage
from hall.errors import NotFound, Refused
from hall.incidents.form import FindTicket, NewIncident, clean_texts, validate
from hall.incidents.timeline import Timeline
from hall.incidents.views import (
    INCIDENT_STATUS_LABELS,
    IncidentAlert,
    IncidentDetail,
    IncidentEntryView,
    IncidentReport,
    IncidentSummary,
    VisitorIncident,
)
from hall.text.freetext import shown_in
from models import Incident, IncidentEntry
from models.locks import locked_incident

if TYPE_CHECKING:
    from hall.store import Store

INCIDENTS = "incidents"
"""The change-counter topic of incidents (the alert and the manager screen poll it)."""


class Incidents:
    """Incident acts and reads: ``hall.incidents``."""

    def __init__(self, store: Store, find_ticket: FindTicket) -> None:
        self._store = store
        self._config = store.config
        self._find_ticket = find_ticket
        self._timeline = Timeline(store.config, store.local)

    # -- writes ---------------------------------------------------------------------------------

    def log(self, new: NewIncident, actor: str) -> IncidentSummary:
        """Log a new incident (its first entry holds what happened); raises
        :class:`IncidentFormError` writing nothing when the form is wrong."""
        self._store.permit(actor, "incident.log")
        spec, place, note, people, ticket, visitor_id = validate(new, self._config,
                                                                   self._find_ticket)
        with self._store.transaction():
            at = to_storage(self._store.now())
            incident = Incident.create(
                business_day=self._store.today(), logged_at=at, logged_by=actor, type=spec.code,
                severity=spec.severity, place=place, ticket=ticket, visitor=visitor_id,
                people=people, status="open", last_seq=1, updated_at=at)
            IncidentEntry.create(incident=incident.id, seq=1, at=at, actor=actor, kind="logged",
                                 note=note)
            self._store.audit(actor, "incident.log", "incident", incident.id, at, {
                "type": spec.code, "severity": spec.severity, "place": place,
                "ticket": ticket, "visitor": visitor_id, "people": people})
            self._store.bump(INCIDENTS)
            # Read back inside the transaction: if this fails nothing was written, so the form's
            # "not saved" is true and a second try cannot log the incident twice.
            summary = self._summaries([incident])[0]
        return summary

    def act(self, incident_id: int, action: str, actor: str, result: str = "",
            note: str = "") -> IncidentEntryView:
        """Record a step taken (劝阻, 通知公安 ...); refused on a closed incident."""
        self._store.permit(actor, "incident.act")
        spec = self._config.incidents.action_of(action)
        if spec is None:
            valid = "、".join(f"{a.code}（{a.name}）" for a in self._config.incidents.actions)
            raise Refused(f"未知的处置措施“{action}”，应为：{valid}")
        texts = clean_texts(result=result, note=note)
        return self._append(incident_id, actor, "action", {"status": "open", "act": "记录处置"},
                            action=action, **texts)

    def correct(self, incident_id: int, entry: int, note: str, actor: str) -> IncidentEntryView:
        """Correct entry number ``entry``: a new entry pointing at it; the old one stays."""
        self._store.permit(actor, "incident.correct")
        if not note.strip():
            raise Refused("更正内容不能为空")
        text = clean_texts(note=note)["note"]
        return self._append(incident_id, actor, "correction", {}, note=text, corrects=entry)

    def close(self, incident_id: int, conclusion: str, actor: str) -> IncidentEntryView:
        """Close the incident with its conclusion (结案)."""
        self._store.permit(actor, "incident.close")
        if not conclusion.strip():
            raise Refused("结案须填写结论")
        text = clean_texts(conclusion=conclusion)["conclusion"]
        return self._append(incident_id, actor, "closed", {"status": "open", "act": "结案"},
                            note=text, becomes="closed")

    def reopen(self, incident_id: int, reason: str, actor: str) -> IncidentEntryView:
        """Reopen a closed incident; the reason is recorded."""
        self._store.permit(actor, "incident.close")
        if not reason.strip():
            raise Refused("重新打开须填写理由")
        text = clean_texts(reason=reason)["reason"]
        return self._append(incident_id, actor, "reopened",
                            {"status": "closed", "act": "重新打开"}, note=text, becomes="open")

    # -- reads ----------------------------------------------------------------------------------

    def detail(self, incident_id: int, actor: str) -> IncidentDetail:
        """The incident with its timeline; the view is written to the audit log."""
        self._store.permit(actor, "incident.view")
        with self._store.transaction():
            row = Incident.get_or_none(Incident.id == incident_id)
            if row is None:
                raise NotFound(f"没有编号为 {incident_id} 的特殊情况记录")
            detail = self._timeline.details([row])[0]
            self._store.audit(actor, "incident.view", "incident", row.id,
                              to_storage(self._store.now()), {})
        return shown_in(detail)

    def list(self, day: date | None = None, status: str | None = None,
             type: str | None = None, place: str | None = None) -> list[IncidentSummary]:
        """Incidents, newest first, filtered by business day, status, type and place."""
        query = Incident.select()
        if day is not None:
            query = query.where(Incident.business_day == day)
        if status:
            if status not in INCIDENT_STATUS_LABELS:
                raise Refused(f"状态应为 open（处置中）或 closed（已结案），实际为“{status}”")
            query = query.where(Incident.status == status)
        if type:
            query = query.where(Incident.type == type)
        if place:
            query = query.where(Incident.place == place)
        return self._summaries(list(query.order_by(Incident.logged_at.desc(),
                                                   Incident.id.desc())))

    def open_alerts(self) -> list[IncidentAlert]:
        """Open incidents of high severity, oldest first (the staff screens' alert)."""
        rows = (Incident.select(Incident.id, Incident.type, Incident.place, Incident.logged_at,
                                Incident.business_day)
                .where((Incident.status == "open") & (Incident.severity == "high"))
                .order_by(Incident.logged_at, Incident.id))
        today = self._store.today()
        out = []
        for row in rows:
            local = self._store.local(row.logged_at)
            since = local.strftime("%H:%M") if row.business_day == today \
                else local.strftime("%m-%d %H:%M")
            out.append(IncidentAlert(row.id, self._timeline.type_name(row.type), row.place, since))
        return shown_in(out)

    def report(self, day: date, actor: str) -> IncidentReport:
        """The day's incidents with their timelines; written to the audit log as one view."""
        self._store.permit(actor, "incident.report")
        with self._store.transaction():
            rows = list(Incident.select().where(Incident.business_day == day)
                        .order_by(Incident.logged_at, Incident.id))
            details = self._timeline.details(rows)
            self._store.audit(actor, "incident.report", "incident", day.isoformat(),
                              to_storage(self._store.now()), {"ids": [r.id for r in rows]})
        counts = Counter(d.summary.type_name for d in details)
        return shown_in(IncidentReport(
            date=day.isoformat(), total=len(details),
            open=sum(d.summary.status == "open" for d in details),
            closed=sum(d.summary.status == "closed" for d in details),
            by_type=tuple(counts.most_common()), incidents=tuple(details)))

    def of_visitor(self, visitor_id: int) -> list[VisitorIncident]:
        """A visitor's incidents, newest first (their file shows them)."""
        rows = (Incident.select(Incident.id, Incident.business_day, Incident.type,
                                Incident.status)
                .where(Incident.visitor == visitor_id)
                .order_by(Incident.logged_at.desc(), Incident.id.desc()))
        name = self._timeline.type_name
        return [VisitorIncident(r.id, str(r.business_day), name(r.type), r.status,
                                INCIDENT_STATUS_LABELS.get(r.status, r.status)) for r in rows]

    def places(self) -> list[str]:
        """Where an incident can happen: the windows, then the configured areas."""
        return [w.title for w in self._config.windows] + list(self._config.incidents.areas)

    # -- helpers --------------------------------------------------------------------------------

    def _append(self, incident_id: int, actor: str, kind: str, need: dict[str, str], *,
                action: str = "", result: str = "", note: str = "", corrects: int | None = None,
                becomes: str | None = None) -> IncidentEntryView:
        """Append one entry under the incident's row lock; ``need`` = required status and act."""
        with self._store.transaction():
            row = locked_incident(self._store.db, incident_id)
            # The time once the lock is ours: a terminal that waited for another's entry comes
            # after it in time as in number (PostgreSQL waits here, not at BEGIN).
            at = to_storage(self._store.now())
            if row is None:
                raise NotFound(f"没有编号为 {incident_id} 的特殊情况记录")
            if need.get("status") and row.status != need["status"]:
                if row.status == "closed":
                    raise Refused(f"第 {incident_id} 号已结案，不能{need['act']}：如需继续处置，"
                                  "请先重新打开（hall incident reopen，须写明理由）")
                raise Refused(f"第 {incident_id} 号正在处置中，不能{need['act']}")
            corrected_id = None
            if corrects is not None:
                target = IncidentEntry.get_or_none((IncidentEntry.incident == row.id)
                                                   & (IncidentEntry.seq == corrects))
                if target is None:
                    raise NotFound(f"第 {incident_id} 号没有第 {corrects} 条记录"
                                   f"（共 {row.last_seq} 条）")
                corrected_id = target.id
            seq = row.last_seq + 1
            changes: dict[Any, Any] = {Incident.last_seq: seq, Incident.updated_at: at}
            if becomes:
                changes[Incident.status] = becomes
            Incident.update(changes).where(Incident.id == row.id).execute()
            entry = IncidentEntry.create(incident=row.id, seq=seq, at=at, actor=actor, kind=kind,
                                         action=action, result=result, note=note,
                                         corrects=corrected_id)
            self._store.audit(actor, f"incident.{kind}", "incident", row.id, at,
                              {"entry": seq, "action": action, "corrects": corrects})
            self._store.bump(INCIDENTS)
        return shown_in(self._timeline.entry_view(entry, {corrected_id: corrects} if corrects
                                                  else {}, {}))


    def _summaries(self, rows: list[Incident]) -> list[IncidentSummary]:
        # Stored text (a place typed before free text was checked) made safe for a terminal.
        return shown_in(self._timeline.summaries(rows))
