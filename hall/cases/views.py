"""Plain results about cases (信访事项): what adapters get from ``hall.cases``.

Values, not rows (like :mod:`hall.views`): a screen keeps them after the transaction and the CLI
prints them with :func:`dataclasses.asdict`. A visitor's name is masked in every one; a
confidential case shows its matter only to its department and the managers (「保密事项」
otherwise, :mod:`hall.accounts.visibility`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CaseSummary:
    """A case as a list shows it."""

    id: int
    number: str  # 江信〔2026〕第 0137 号
    state: str
    state_label: str
    category: str
    category_name: str
    matter: str  # 「保密事项」 for a confidential case the viewer may not read
    visitor: str  # the visitor's name, masked (李**)
    unit: str  # 承办单位 as shown: a department's name or the outside unit
    department: str  # the department's code ("" for an outside unit)
    opened_on: str  # YYYY-MM-DD
    due_on: str  # the next due date, "" when closed
    days_left: int | None  # to the due date (negative: overdue); None when closed
    overdue: bool
    due_soon: bool
    leader: str  # 包案 leader's code, "" when none
    leader_label: str
    extension_state: str  # "" / requested / approved / refused
    satisfaction: str
    confidential: bool
    masked: bool  # the matter is hidden from this viewer


@dataclass(frozen=True)
class CaseEntryView:
    """One dated step of a case's timeline."""

    seq: int
    at: str  # local time, YYYY-MM-DD HH:MM:SS
    actor: str
    actor_name: str
    kind: str
    kind_label: str
    state: str  # the state after the step
    state_label: str
    note: str
    due_on: str  # a date the step set, "" when none
    detail: dict[str, str]  # unit, how, satisfaction, reason, channel, days, document …


@dataclass(frozen=True)
class CaseVisitView:
    """A visit about the case, with what the window recorded (口径一致: answer the same way)."""

    visit_id: int
    date: str
    department: str
    department_name: str
    outcome: str
    outcome_name: str
    note: str
    reason: str
    channel: str


@dataclass(frozen=True)
class CaseDetail:
    """A case with its dates, visits and timeline."""

    summary: CaseSummary
    outcome: str
    outcome_name: str
    request: str
    acceptance_due: str
    accepted_on: str
    handling_due: str  # with an approved extension
    extension_days: int
    parent: str  # the number of the case this one reviews (复查), "" when none
    reviews: tuple[str, ...]  # the numbers of the reviews of this case
    visits: tuple[CaseVisitView, ...]
    entries: tuple[CaseEntryView, ...]
    allowed: tuple[str, ...]  # the steps its state allows (hall.cases.states.STEPS)
    documents: tuple[tuple[str, str, str], ...]  # (kind, number, issued at)


@dataclass(frozen=True)
class CasePreview:
    """What finishing a visit with an outcome would open: the window's finish dialog shows it."""

    opens: bool
    outcome_name: str
    unit: str
    outside_unit: bool  # the window must name the unit (转送)
    acceptance_due: str
    handling_due: str
    linked: str  # the open case the visit is about: no new case, an entry on it ("" when none)


@dataclass(frozen=True)
class CaseAlert:
    """The managers' top-bar mark: open cases past their due date, and due soon."""

    overdue: int
    due_soon: int
