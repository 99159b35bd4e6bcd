"""An incident's record as adapters see it: summaries, timelines with corrections applied.

The record is append-only (:mod:`hall.incidents.context`); here it is read back: the note and
conclusion as last corrected, the recommended chain with the steps done, the next step to take.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from hall.incidents.views import (
    ENTRY_LABELS,
    INCIDENT_STATUS_LABELS,
    ChainStep,
    IncidentDetail,
    IncidentEntryView,
    IncidentSummary,
)
from hall.text.masking import mask_name
from models import Incident, IncidentEntry, Ticket, Visitor

if TYPE_CHECKING:
    from config.schema import HallConfig


class Timeline:
    """Builds the views of incidents' rows, for one configuration and local time."""

    def __init__(self, config: HallConfig, local: Callable[[datetime], datetime]) -> None:
        self.config = config
        self._local = local

    def summaries(self, rows: list[Incident]) -> list[IncidentSummary]:
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
            logged_at=self._local(row.logged_at).strftime("%Y-%m-%d %H:%M"), type=row.type,
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

    def details(self, rows: list[Incident]) -> list[IncidentDetail]:
        summaries = self.summaries(rows)
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
            views = tuple(self.entry_view(e, seq_of, fixes) for e in mine)
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

    def entry_view(self, e: IncidentEntry, seq_of: dict[Any, Any],
                    fixes: dict[int, list[int]]) -> IncidentEntryView:
        member = self.config.staff_member(e.actor)
        action = self.config.incidents.action_of(e.action) if e.action else None
        return IncidentEntryView(
            seq=e.seq, at=self._local(e.at).strftime("%Y-%m-%d %H:%M:%S"), actor=e.actor,
            actor_name=member.name if member else e.actor, kind=e.kind,
            kind_label=ENTRY_LABELS.get(e.kind, e.kind), action=e.action,
            action_name=action.name if action else e.action, result=e.result, note=e.note,
            corrects=seq_of.get(e.corrects_id) if e.corrects_id else None,
            corrected_by=tuple(fixes.get(e.id, [])))

    def type_name(self, code: str) -> str:
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
