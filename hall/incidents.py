"""Special situations (特殊情况): log an incident, record its steps, close, reopen, review.

Part of the :class:`hall.service.Hall` facade (mixed in), so the incident form, the manager
screen, the CLI and the tests share one code path:

    new = hall.log_incident(NewIncident("dangerous", "3号窗口", "携带水果刀", ticket="R007"),
                            actor="win03")
    hall.act(new.id, "dissuade", actor="win03", result="已交出刀具")
    hall.close_incident(new.id, "公安带离，移交派出所", actor="mgr01")

The record is append-only: every step is a new numbered entry; a correction is an entry pointing
at the one it corrects; nothing is edited in place or deleted. A closed incident takes no more
actions until it is reopened with a reason (corrections stay possible: the record of a closed
case may still be put right). Every write locks the incident's row (SQLite: ``BEGIN IMMEDIATE``;
PostgreSQL: ``SELECT … FOR UPDATE``) before it takes the next entry number, so two terminals
recording at the same instant are both kept, one after the other. Every view of an incident's
detail (screen, ``hall incident show``, the daily report) is written to the audit log.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import peewee as pw

from hall.clock import to_storage
from hall.errors import NotFound, Refused
from hall.incident_views import (
    ENTRY_LABELS,
    INCIDENT_STATUS_LABELS,
    ChainStep,
    IncidentAlert,
    IncidentDetail,
    IncidentEntryView,
    IncidentReport,
    IncidentSummary,
    VisitorIncident,
)
from hall.registration import FormError
from hall.text.masking import mask_name
from models import Incident, IncidentEntry, Ticket, Visitor, is_sqlite, write_transaction

if TYPE_CHECKING:
    from config.schema import HallConfig

INCIDENTS = "incidents"
"""The change-counter topic of incidents (the alert and the manager screen poll it)."""
MAX_PEOPLE = 9999
MAX_PLACE = 64

INCIDENT_FIELDS = {"type": "类型", "place": "地点", "ticket": "关联票号", "visitor": "来访人",
                   "people": "人数", "note": "经过"}


class IncidentFormError(FormError):
    """The incident form is invalid; ``errors`` maps each field to what is wrong."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.args = ("；".join(f"{INCIDENT_FIELDS.get(k, k)}：{v}" for k, v in errors.items()),)


@dataclass(frozen=True)
class NewIncident:
    """What the incident form (or ``hall incident log``) typed."""

    type: str
    place: str
    note: str
    people: int | str = 1
    ticket: str = ""  # a ticket number of today, or a query code
    visitor_id: int | None = None  # the visitor, when known without a ticket (the desk)


class IncidentOps:
    """Incident acts and reads; mixed into :class:`hall.service.Hall`."""

    config: HallConfig
    db: pw.Database

    if TYPE_CHECKING:  # provided by Hall
        def now(self) -> datetime: ...
        def today(self) -> date: ...
        def local(self, stored: datetime) -> datetime: ...
        def _audit(self, actor: str, action: str, entity: str, entity_id: Any, at: datetime,
                   detail: dict[str, Any]) -> None: ...
        def _bump(self, topic: str) -> None: ...
        def _find_ticket(self, code_or_number: str, day: date | None) -> Ticket: ...

    # -- writes ---------------------------------------------------------------------------------

    def log_incident(self, new: NewIncident, actor: str) -> IncidentSummary:
        """Log a new incident (its first entry holds what happened); raises
        :class:`IncidentFormError` writing nothing when the form is wrong."""
        spec, place, note, people, ticket, visitor_id = self._validate(new)
        with write_transaction(self.db):
            at = to_storage(self.now())
            incident = Incident.create(
                business_day=self.today(), logged_at=at, logged_by=actor, type=spec.code,
                severity=spec.severity, place=place, ticket=ticket, visitor=visitor_id,
                people=people, status="open", last_seq=1, updated_at=at)
            IncidentEntry.create(incident=incident.id, seq=1, at=at, actor=actor, kind="logged",
                                 note=note)
            self._audit(actor, "incident.log", "incident", incident.id, at, {
                "type": spec.code, "severity": spec.severity, "place": place,
                "ticket": ticket, "visitor": visitor_id, "people": people})
            self._bump(INCIDENTS)
            # Read back inside the transaction: if this fails nothing was written, so the form's
            # "not saved" is true and a second try cannot log the incident twice.
            summary = self._summaries([incident])[0]
        return summary

    def act(self, incident_id: int, action: str, actor: str, result: str = "",
            note: str = "") -> IncidentEntryView:
        """Record a step taken (劝阻, 通知公安 ...); refused on a closed incident."""
        spec = self.config.incidents.action_of(action)
        if spec is None:
            valid = "、".join(f"{a.code}（{a.name}）" for a in self.config.incidents.actions)
            raise Refused(f"未知的处置措施“{action}”，应为：{valid}")
        return self._append(incident_id, actor, "action", {"status": "open", "act": "记录处置"},
                            action=action, result=result.strip(), note=note.strip())

    def correct(self, incident_id: int, entry: int, note: str, actor: str) -> IncidentEntryView:
        """Correct entry number ``entry``: a new entry pointing at it; the old one stays."""
        text = note.strip()
        if not text:
            raise Refused("更正内容不能为空")
        return self._append(incident_id, actor, "correction", {}, note=text, corrects=entry)

    def close_incident(self, incident_id: int, conclusion: str,
                       actor: str) -> IncidentEntryView:
        """Close the incident with its conclusion (结案)."""
        text = conclusion.strip()
        if not text:
            raise Refused("结案须填写结论")
        return self._append(incident_id, actor, "closed", {"status": "open", "act": "结案"},
                            note=text, becomes="closed")

    def reopen_incident(self, incident_id: int, reason: str, actor: str) -> IncidentEntryView:
        """Reopen a closed incident; the reason is recorded."""
        text = reason.strip()
        if not text:
            raise Refused("重新打开须填写理由")
        return self._append(incident_id, actor, "reopened",
                            {"status": "closed", "act": "重新打开"}, note=text, becomes="open")

    # -- reads ----------------------------------------------------------------------------------

    def incident(self, incident_id: int, actor: str) -> IncidentDetail:
        """The incident with its timeline; the view is written to the audit log."""
        with write_transaction(self.db):
            row = Incident.get_or_none(Incident.id == incident_id)
            if row is None:
                raise NotFound(f"没有编号为 {incident_id} 的特殊情况记录")
            detail = self._details([row])[0]
            self._audit(actor, "incident.view", "incident", row.id, to_storage(self.now()), {})
        return detail

    def incidents(self, day: date | None = None, status: str | None = None,
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
        today = self.today()
        out = []
        for row in rows:
            local = self.local(row.logged_at)
            since = local.strftime("%H:%M") if row.business_day == today \
                else local.strftime("%m-%d %H:%M")
            out.append(IncidentAlert(row.id, self._type_name(row.type), row.place, since))
        return out

    def incident_report(self, day: date, actor: str) -> IncidentReport:
        """The day's incidents with their timelines; written to the audit log as one view."""
        with write_transaction(self.db):
            rows = list(Incident.select().where(Incident.business_day == day)
                        .order_by(Incident.logged_at, Incident.id))
            details = self._details(rows)
            self._audit(actor, "incident.report", "incident", day.isoformat(),
                        to_storage(self.now()), {"ids": [r.id for r in rows]})
        counts = Counter(d.summary.type_name for d in details)
        return IncidentReport(
            date=day.isoformat(), total=len(details),
            open=sum(d.summary.status == "open" for d in details),
            closed=sum(d.summary.status == "closed" for d in details),
            by_type=tuple(counts.most_common()), incidents=tuple(details))

    def visitor_incidents(self, visitor_id: int) -> list[VisitorIncident]:
        """A visitor's incidents, newest first (their file shows them)."""
        rows = (Incident.select(Incident.id, Incident.business_day, Incident.type,
                                Incident.status)
                .where(Incident.visitor == visitor_id)
                .order_by(Incident.logged_at.desc(), Incident.id.desc()))
        return [VisitorIncident(r.id, str(r.business_day), self._type_name(r.type), r.status,
                                INCIDENT_STATUS_LABELS.get(r.status, r.status)) for r in rows]

    def incident_places(self) -> list[str]:
        """Where an incident can happen: the windows, then the configured areas."""
        return [w.title for w in self.config.windows] + list(self.config.incidents.areas)

    # -- helpers --------------------------------------------------------------------------------

    def _validate(self, new: NewIncident) -> tuple[Any, str, str, int, int | None, int | None]:
        errors: dict[str, str] = {}
        spec = self.config.incidents.type_of(new.type.strip())
        if spec is None:
            valid = "、".join(f"{t.code}（{t.name}）" for t in self.config.incidents.types)
            errors["type"] = (f"未知的特殊情况类型“{new.type}”，应为：{valid}" if new.type.strip()
                              else "请选择特殊情况类型")
        place = new.place.strip()
        if not place:
            errors["place"] = "请填写发生地点"
        elif len(place) > MAX_PLACE:
            errors["place"] = f"地点不超过 {MAX_PLACE} 字"
        note = new.note.strip()
        if not note:
            errors["note"] = "请简述发生了什么"
        people = 0
        try:
            people = int(str(new.people).strip())
        except ValueError:
            errors["people"] = f"人数应为整数，实际为“{new.people}”"
        else:
            if not 1 <= people <= MAX_PEOPLE:
                errors["people"] = f"人数应在 1 到 {MAX_PEOPLE} 之间"
        ticket_id: int | None = None
        visitor_id = new.visitor_id
        if new.ticket.strip():
            try:
                ticket = self._find_ticket(new.ticket, None)
            except NotFound as exc:
                errors["ticket"] = str(exc)
            else:
                ticket_id = ticket.id
                visitor_id = ticket.visit.visitor_id
        elif visitor_id is not None and Visitor.get_or_none(Visitor.id == visitor_id) is None:
            errors["visitor"] = f"没有编号为 {visitor_id} 的来访人档案"
        if errors:
            raise IncidentFormError(errors)
        return spec, place, note, people, ticket_id, visitor_id

    def _append(self, incident_id: int, actor: str, kind: str, need: dict[str, str], *,
                action: str = "", result: str = "", note: str = "", corrects: int | None = None,
                becomes: str | None = None) -> IncidentEntryView:
        """Append one entry under the incident's row lock; ``need`` = required status and act."""
        with write_transaction(self.db):
            query = Incident.select().where(Incident.id == incident_id)
            if not is_sqlite(self.db):
                query = query.for_update()
            row = query.first()
            # The time once the lock is ours: a terminal that waited for another's entry comes
            # after it in time as in number (PostgreSQL waits here, not at BEGIN).
            at = to_storage(self.now())
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
            self._audit(actor, f"incident.{kind}", "incident", row.id, at,
                        {"entry": seq, "action": action, "corrects": corrects})
            self._bump(INCIDENTS)
        return self._entry_view(entry, {corrected_id: corrects} if corrects else {}, {})

    def _summaries(self, rows: list[Incident]) -> list[IncidentSummary]:
        if not rows:
            return []
        done = self._actions_done([r.id for r in rows])
        tickets = dict(Ticket.select(Ticket.id, Ticket.number)
                       .where(Ticket.id.in_([r.ticket_id for r in rows if r.ticket_id]))
                       .tuples()) if any(r.ticket_id for r in rows) else {}
        return [self._summary(r, done.get(r.id, []), tickets.get(r.ticket_id, ""))
                for r in rows]

    def _summary(self, row: Incident, done: list[str], ticket: str) -> IncidentSummary:
        spec = self.config.incidents.type_of(row.type)
        following = self._next_action(row.type, done) if row.status == "open" else ""
        action = self.config.incidents.action_of(following) if following else None
        return IncidentSummary(
            id=row.id, business_day=str(row.business_day),
            logged_at=self.local(row.logged_at).strftime("%Y-%m-%d %H:%M"), type=row.type,
            type_name=spec.name if spec else row.type, severity=row.severity,
            severity_label={"high": "高", "medium": "中", "low": "低"}.get(row.severity, ""),
            group=spec.group if spec else "", place=row.place, people=row.people, ticket=ticket,
            status=row.status, status_label=INCIDENT_STATUS_LABELS.get(row.status, row.status),
            entries=row.last_seq, next_action=following,
            next_action_name=action.name if action else "")

    def _next_action(self, type_code: str, done: list[str]) -> str:
        """The step after the furthest chain step recorded (the first when none is)."""
        spec = self.config.incidents.type_of(type_code)
        if spec is None:
            return ""
        reached = max((spec.chain.index(code) for code in done if code in spec.chain),
                      default=-1)
        return spec.chain[reached + 1] if reached + 1 < len(spec.chain) else ""

    def _actions_done(self, ids: list[int]) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {}
        rows = (IncidentEntry.select(IncidentEntry.incident, IncidentEntry.action)
                .where(IncidentEntry.incident.in_(ids) & (IncidentEntry.kind == "action"))
                .order_by(IncidentEntry.seq).tuples())
        for incident_id, action in rows:
            out.setdefault(incident_id, []).append(action)
        return out

    def _details(self, rows: list[Incident]) -> list[IncidentDetail]:
        summaries = self._summaries(rows)
        ids = [r.id for r in rows]
        entries: dict[int, list[IncidentEntry]] = {}
        for e in (IncidentEntry.select().where(IncidentEntry.incident.in_(ids))
                  .order_by(IncidentEntry.incident, IncidentEntry.seq)) if ids else ():
            entries.setdefault(e.incident_id, []).append(e)
        names = dict(Visitor.select(Visitor.id, Visitor.name)
                     .where(Visitor.id.in_([r.visitor_id for r in rows if r.visitor_id]))
                     .tuples()) if any(r.visitor_id for r in rows) else {}
        out = []
        for row, summary in zip(rows, summaries, strict=True):
            mine = entries.get(row.id, [])
            seq_of = {e.id: e.seq for e in mine}
            fixes: dict[int, list[int]] = {}
            for e in mine:
                if e.corrects_id is not None:
                    fixes.setdefault(e.corrects_id, []).append(e.seq)
            latest = _as_corrected(mine)
            views = tuple(self._entry_view(e, seq_of, fixes) for e in mine)
            first = mine[0] if mine else None
            closes = [e for e in mine if e.kind == "closed"]
            conclusion = ""
            if row.status == "closed" and closes:
                conclusion = latest[closes[-1].id]
            spec = self.config.incidents.type_of(row.type)
            done = {e.action for e in mine if e.kind == "action"}
            chain = tuple(ChainStep(code, a.name if (a := self.config.incidents.action_of(code))
                                    else code, code in done) for code in
                          (spec.chain if spec else []))
            out.append(IncidentDetail(
                summary=summary, logged_by=row.logged_by, visitor_id=row.visitor_id,
                visitor=mask_name(names.get(row.visitor_id, "")) if row.visitor_id else "",
                note=latest[first.id] if first else "",
                conclusion=conclusion, chain=chain, entries=views))
        return out

    def _entry_view(self, e: IncidentEntry, seq_of: dict[Any, Any],
                    fixes: dict[int, list[int]]) -> IncidentEntryView:
        member = self.config.staff_member(e.actor)
        action = self.config.incidents.action_of(e.action) if e.action else None
        return IncidentEntryView(
            seq=e.seq, at=self.local(e.at).strftime("%Y-%m-%d %H:%M:%S"), actor=e.actor,
            actor_name=member.name if member else e.actor, kind=e.kind,
            kind_label=ENTRY_LABELS.get(e.kind, e.kind), action=e.action,
            action_name=action.name if action else e.action, result=e.result, note=e.note,
            corrects=seq_of.get(e.corrects_id) if e.corrects_id else None,
            corrected_by=tuple(fixes.get(e.id, [])))

    def _type_name(self, code: str) -> str:
        spec = self.config.incidents.type_of(code)
        return spec.name if spec else code


def _as_corrected(entries: list[IncidentEntry]) -> dict[int, str]:
    """Each entry's text as last corrected (entry id -> text), following corrections of
    corrections: the newest correction of an entry says what it says, and that correction may
    itself have been corrected since. ``entries`` are one incident's, in order."""
    text: dict[int, str] = {}
    newest: dict[int, int] = {}  # entry id -> id of its newest correction
    for e in entries:
        if e.corrects_id is not None:
            newest[e.corrects_id] = e.id
    # A correction always comes after what it corrects: from the last entry back, each
    # correction's own text is settled before the entry it corrects is.
    for e in reversed(entries):
        text[e.id] = text[newest[e.id]] if e.id in newest else e.note
    return text
