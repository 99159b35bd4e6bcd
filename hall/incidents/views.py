"""Plain results about special situations (特殊情况): what adapters get from ``hall.incidents``.

Like :mod:`hall.views`: values, not rows, so a screen keeps them after the transaction and the
CLI prints them with :func:`dataclasses.asdict`. Names of visitors are masked in every one.
"""

from __future__ import annotations

from dataclasses import dataclass

INCIDENT_STATUS_LABELS = {"open": "处置中", "closed": "已结案"}
ENTRY_LABELS = {
    "logged": "登记",
    "action": "处置",
    "correction": "更正",
    "closed": "结案",
    "reopened": "重新打开",
}


@dataclass(frozen=True)
class IncidentEntryView:
    """One dated step of an incident's timeline."""

    seq: int  # 1, 2, 3 ... within the incident (what ``hall incident correct --entry`` takes)
    at: str  # local time, YYYY-MM-DD HH:MM:SS
    actor: str
    actor_name: str
    kind: str  # logged / action / correction / closed / reopened
    kind_label: str
    action: str  # the action's code, for kind "action"
    action_name: str
    result: str
    note: str
    corrects: int | None  # for a correction: the seq of the entry it corrects
    corrected_by: tuple[int, ...]  # the seqs of the corrections of this entry


@dataclass(frozen=True)
class ChainStep:
    """A step of the type's recommended chain, and whether it was recorded."""

    code: str
    name: str
    done: bool


@dataclass(frozen=True)
class IncidentSummary:
    """An incident as a list shows it: no note, no name."""

    id: int
    business_day: str
    logged_at: str  # local time, YYYY-MM-DD HH:MM
    type: str
    type_name: str
    severity: str  # high / medium / low
    severity_label: str
    group: str
    place: str
    people: int
    ticket: str  # the linked ticket's number, '' if none
    status: str  # open / closed
    status_label: str
    entries: int
    next_action: str  # the suggested next step's code ('' when closed or the chain is done)
    next_action_name: str


@dataclass(frozen=True)
class IncidentDetail:
    """An incident with its timeline, as the detail view and ``hall incident show`` give it."""

    summary: IncidentSummary
    logged_by: str
    visitor_id: int | None
    visitor: str  # masked name, '' if none
    note: str  # what happened, as last corrected
    conclusion: str  # the latest close's conclusion (as last corrected), '' while open
    chain: tuple[ChainStep, ...]
    entries: tuple[IncidentEntryView, ...]  # in order


@dataclass(frozen=True)
class IncidentAlert:
    """An open incident of high severity, for the discreet alert on staff screens."""

    id: int
    type_name: str
    place: str
    since: str  # local HH:MM (with the date when not today)


@dataclass(frozen=True)
class VisitorIncident:
    """An incident in a visitor's file."""

    id: int
    date: str
    type_name: str
    status: str
    status_label: str


@dataclass(frozen=True)
class IncidentReport:
    """The daily incident report (特殊情况日报)."""

    date: str
    total: int
    open: int
    closed: int
    by_type: tuple[tuple[str, int], ...]  # (type name, count), most frequent first
    incidents: tuple[IncidentDetail, ...]  # in the order they were logged
